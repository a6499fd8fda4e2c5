"""Global (app-level) user mute (docs/protocol/rest.md §4.1): `/mutes`, app token.

    POST /mutes {"username", "chat"?, "groupchat"?, "chatroom"?}   seconds; 0 lifts, -1 = permanent;
                                                                   an omitted scope is left unchanged
    GET  /mutes/{username}    remaining seconds per scope (0 = not muted), unixtime in seconds
    GET  /mutes?pageNum=&pageSize=   active mutes, one row per (user, scope), pageSize 1–50
"""
from __future__ import annotations

import time
from typing import TYPE_CHECKING

from ..faults import seam
from ..store.mutes import SCOPES
from .envelope import RestError, illegal_argument
from .routing import Auth, Call, RouteTable

if TYPE_CHECKING:
    from ..msync.context import Context

routes = RouteTable()
MAX_SECONDS = 2147483647
MAX_PAGE_SIZE = 50


def _unknown_user() -> RestError:
    return RestError(400, "required_property_not_found", "Entity user requires a property named username",
                     "RequiredPropertyNotFoundException")


def _existing(call: Call, name) -> str:
    if not isinstance(name, str) or not name or call.ctx.store.users.get(name.lower()) is None:
        raise _unknown_user()
    return name.lower()


def _int_param(call: Call, name: str, default: int) -> int:
    raw = call.query.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise illegal_argument(f"{name} must be an integer") from None


@routes.post("/mutes", auth=Auth.APP)
async def set_mute(call: Call):
    body = await call.json()
    if not isinstance(body, dict):
        raise RestError(400, "invalid_request_body", "Request body is invalid. Please check body is correct.")
    username = _existing(call, body.get("username"))
    changes = {}
    for scope in SCOPES:
        if scope not in body:
            continue
        seconds = body[scope]
        if not isinstance(seconds, int) or isinstance(seconds, bool) or not -1 <= seconds <= MAX_SECONDS:
            raise illegal_argument(f"{scope} must be an integer from -1 to {MAX_SECONDS}")
        changes[scope] = seconds
    for scope, seconds in changes.items():
        store_mute(call.ctx, username, scope, seconds)
    call.ctx.events.emit("mute.set", user=username, **changes)
    return call.ok("post", "/mutes", data={"result": "ok"})


@seam("mutes.store")
def store_mute(ctx: "Context", username: str, scope: str, seconds: int) -> None:
    """Mute `username` in `scope` for `seconds` (-1 permanent, 0 lifts the mute)."""
    ctx.store.mutes.set(username, scope, seconds)


@routes.get("/mutes/{username}", auth=Auth.APP)
async def get_mute(call: Call):
    username = _existing(call, call.arg("username"))
    config = call.ctx.config
    data = {"userid": f"{config.appkey}_{username}", **call.ctx.store.mutes.remaining(username),
            "unixtime": int(time.time())}
    return call.ok("get", "/mutes", data=data)


@routes.get("/mutes", auth=Auth.APP)
async def list_mutes(call: Call):
    page_num = _int_param(call, "pageNum", 1)
    page_size = _int_param(call, "pageSize", 10)
    if page_num < 1 or not 1 <= page_size <= MAX_PAGE_SIZE:
        raise illegal_argument(f"pageNum must be >= 1 and pageSize from 1 to {MAX_PAGE_SIZE}")
    rows = call.ctx.store.mutes.page(page_num, page_size)
    data = {"data": [{"username": user, scope: seconds} for user, scope, seconds in rows],
            "unixtime": int(time.time())}
    return call.ok("get", "/mutes", data=data)
