"""Devices and online state (docs/protocol/rest.md §2.3–§2.5): force logout, resources, status, offline count."""
from __future__ import annotations

from ..domain.devices import KICKED_BY_OTHER_DEVICE
from .envelope import illegal_argument
from .routing import Auth, Call, RouteTable
from .users import existing_user

routes = RouteTable()

MAX_BATCH_STATUS = 100


def _status(call: Call, username: str) -> str:
    return "online" if call.ctx.hub.online(username) else "offline"


# registered before /users/{username}/status so "batch" is never taken for a user name
@routes.post("/users/batch/status", auth=Auth.APP)
async def batch_status(call: Call):
    body = await call.json()
    names = body.get("usernames") if isinstance(body, dict) else None
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise illegal_argument("usernames must be an array of user names")
    if len(names) > MAX_BATCH_STATUS:
        raise illegal_argument(f"request body exceeds maximum limit, maximum limit is {MAX_BATCH_STATUS}")
    data = [{name: _status(call, name.lower())} for name in names]
    return call.ok("get batch user status", data=data)


@routes.get("/users/{username}/status", auth=Auth.APP)
async def user_status(call: Call):
    user = existing_user(call)
    return call.ok("get", entities=[], data={user.username: _status(call, user.username)}, count=0)


@routes.get("/users/{username}/resources", auth=Auth.SELF)
async def resources(call: Call):
    user = existing_user(call)
    ctx = call.ctx
    data = []
    for resource in ctx.hub.user_devices(user.username):
        info = ctx.store.devices.info(user.username, resource) or {}
        data.append({"res": resource, "device_uuid": info.get("device_uuid") or "",
                     "device_name": info.get("device_name") or ""})
    return call.ok("get", entities=[], data=data)


@routes.get("/users/{username}/disconnect", auth=Auth.APP)
async def disconnect_all(call: Call):
    user = existing_user(call)
    call.ctx.hub.kick(user.username, None, KICKED_BY_OTHER_DEVICE)
    return call.ok("get", entities=[], data={"result": True}, count=0)


@routes.delete("/users/{username}/disconnect/{resource}", auth=Auth.APP)
async def disconnect_one(call: Call):
    user = existing_user(call)
    kicked = call.ctx.hub.kick(user.username, call.arg("resource"), KICKED_BY_OTHER_DEVICE)
    return call.ok("delete", entities=[], data={"result": kicked > 0}, count=0)


@routes.get("/users/{username}/offline_msg_count", auth=Auth.APP)
async def offline_count(call: Call):
    user = existing_user(call)
    count = call.ctx.store.messages.pending_count(user.username)
    return call.ok("get", entities=[], data={user.username: count}, count=0)
