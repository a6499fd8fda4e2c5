"""Chatroom attributes over REST (docs/protocol/rest.md §6.3): set, forced set, get, delete, forced delete.

Setting and deleting answer 200 with `successKeys` / `errorKeys` even when some keys fail (the
per-key reasons are in chatrooms/attributes.py). Whole-request errors: more than 10 keys → 400
`exceed allowed batch size 10`; a user who is not a member → 401 `MetadataException`
`user is not in chatroom` (with the app token, the user `admin` may act on any room).
"""
from __future__ import annotations

from im_wire import Reason

from .chatroom_access import room_of
from .envelope import RestError
from .routing import Auth, Call, RouteTable

routes = RouteTable()

ROOM = "/metadata/chatroom/{room_id:[0-9]+}"
USER = ROOM + "/user/{username}"
MAX_BATCH = 10


def _acting_user(call: Call, room_id: str) -> str:
    user = call.arg("username").lower()
    if call.is_app and user == "admin":
        return user
    if call.ctx.store.chatrooms.role(room_id, user) is None:
        raise RestError(401, "MetadataException", Reason.ROOM_ATTR_NOT_IN_ROOM)
    return user


def _keys(value, *, required: bool, limit: int | None) -> list[str] | None:
    if value is None and not required:
        return None
    if not isinstance(value, list) or not all(isinstance(k, str) for k in value) or (required and not value):
        raise RestError(400, "illegal_argument", "keys must be an array of attribute names")
    if limit is not None and len(value) > limit:
        raise RestError(400, "illegal_argument", Reason.ROOM_ATTR_BATCH)
    return value


async def _set(call: Call, forced: bool):
    room = room_of(call)
    body = await call.json()
    values = body.get("metaData") if isinstance(body, dict) else None
    if not isinstance(values, dict) or not values:
        raise RestError(400, "illegal_argument", "metaData must be a non-empty JSON object")
    if len(values) > MAX_BATCH:
        raise RestError(400, "illegal_argument", Reason.ROOM_ATTR_BATCH)
    auto = body.get("autoDelete", "DELETE")
    if auto not in ("DELETE", "NO_DELETE"):
        raise RestError(400, "illegal_argument", "autoDelete must be DELETE or NO_DELETE")
    user = _acting_user(call, room.id)
    success, errors = call.ctx.chatrooms.attributes.set(room.id, user, values, auto == "DELETE", forced)
    return call.ok("put", data={"successKeys": success, "errorKeys": errors})


async def _delete(call: Call, forced: bool):
    room = room_of(call)
    body = await call.json(required=False)
    keys = _keys(body.get("keys") if isinstance(body, dict) else None, required=True, limit=MAX_BATCH)
    user = _acting_user(call, room.id)
    success, errors = call.ctx.chatrooms.attributes.delete(room.id, user, keys, forced)
    return call.ok("delete", data={"successKeys": success, "errorKeys": errors})


@routes.put(USER, auth=Auth.SELF)
async def set_attributes(call: Call):
    return await _set(call, forced=False)


@routes.put(USER + "/forced", auth=Auth.SELF)
async def force_set_attributes(call: Call):
    return await _set(call, forced=True)


@routes.delete(USER, auth=Auth.SELF)
async def delete_attributes(call: Call):
    return await _delete(call, forced=False)


@routes.delete(USER + "/forced", auth=Auth.SELF)
async def force_delete_attributes(call: Call):
    return await _delete(call, forced=True)


@routes.post(ROOM, auth=Auth.ANY)
async def get_attributes(call: Call):
    room = room_of(call)
    body = await call.json(required=False)
    keys = _keys(body.get("keys") if isinstance(body, dict) else None, required=False, limit=None)
    return call.ok("post", data=call.ctx.chatrooms.attributes.get(room.id, keys))
