"""The sandbox's admin endpoint for app settings (not an Easemob API; a real cluster needs the
suite's `command` backend instead). App token only: a user token gets 401 auth_bad_access_token.

    GET /{org}/{app}/app_config            -> data: {name: value, ...}, properties: {name: doc}
    PUT /{org}/{app}/app_config  {name: v} -> data: the changed settings; null restores a default
    DELETE /{org}/{app}/app_config         -> every setting back to its default
"""
from __future__ import annotations

from ..store.app_config import SETTINGS, AppConfigError
from .envelope import RestError
from .routing import Auth, Call, RouteTable

routes = RouteTable()


@routes.get("/app_config", auth=Auth.APP)
async def get_app_config(call: Call):
    docs = {name: {"default": s.default, "type": s.type.__name__, "doc": s.doc} for name, s in SETTINGS.items()}
    return call.ok("get", data=call.ctx.app_config.values(), properties=docs)


@routes.put("/app_config", auth=Auth.APP)
async def put_app_config(call: Call):
    body = await call.json()
    if not isinstance(body, dict) or not body:
        raise RestError(400, "illegal_argument", "body must be a non-empty JSON object of settings")
    try:
        changed = call.ctx.app_config.update(body)
    except AppConfigError as exc:
        raise RestError(400, "illegal_argument", str(exc)) from None
    call.ctx.events.emit("app_config.changed", settings=changed)
    return call.ok("put", data=changed)


@routes.delete("/app_config", auth=Auth.APP)
async def reset_app_config(call: Call):
    call.ctx.app_config.reset()
    call.ctx.events.emit("app_config.reset")
    return call.ok("delete", data=call.ctx.app_config.values())
