"""Sandbox-only endpoints under /_sandbox/ (not part of the Easemob API)."""
from __future__ import annotations

import asyncio

from aiohttp import web

from ..msync.context import CTX_KEY
from .envelope import json_response


async def health(request: web.Request) -> web.Response:
    return json_response({"status": "ok"})


async def info(request: web.Request) -> web.Response:
    ctx = request.app[CTX_KEY]
    files, stored = ctx.store.files.usage()
    return json_response({"appkey": ctx.appkey, "connections": len(ctx.hub.connections),
                          "online_users": len(ctx.hub.devices), "chatfiles": files, "chatfile_bytes": stored})


async def event_mark(request: web.Request) -> web.Response:
    """Write a `storage.mark` event and flush the event log: once a reader sees the mark, every
    event emitted before this request is readable too (how the suite asserts that something did
    NOT happen)."""
    ctx = request.app[CTX_KEY]
    mark = request.query.get("mark", "")
    ctx.events.emit("storage.mark", mark=mark)
    pending = ctx.events.flush()
    if pending is not None:
        await asyncio.wrap_future(pending)
    return json_response({"mark": mark})


def add_routes(app: web.Application) -> None:
    app.router.add_get("/_sandbox/health", health)
    app.router.add_get("/_sandbox/info", info)
    app.router.add_post("/_sandbox/events/mark", event_mark)
