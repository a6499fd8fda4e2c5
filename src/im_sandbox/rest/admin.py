"""Sandbox-only endpoints under /_sandbox/ (not part of the Easemob API)."""
from __future__ import annotations

from aiohttp import web

from ..context import CTX_KEY
from .envelope import json_response


async def health(request: web.Request) -> web.Response:
    return json_response({"status": "ok"})


async def info(request: web.Request) -> web.Response:
    ctx = request.app[CTX_KEY]
    return json_response({"appkey": ctx.appkey, "connections": len(ctx.hub.connections),
                          "online_users": len(ctx.hub.devices)})


def add_routes(app: web.Application) -> None:
    app.router.add_get("/_sandbox/health", health)
    app.router.add_get("/_sandbox/info", info)
