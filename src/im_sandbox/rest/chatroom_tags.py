"""Chatroom member tags and tag mute (docs/protocol/rest.md §4.3; the service's `chatroom_user_tag_*` pages).

`PUT /chatrooms/{r}/users/{u}/tag {"tags": [...]}` replaces a member's tags (at most 10, each at most
32 characters; `[]` removes them); a member's tags end when it leaves the room. `PUT
/chatrooms/{r}/tag/mute {"tag", "mute_duration"}` mutes every member carrying the tag, the duration
in seconds (-1 permanent, 0 lifts): the members go on the room's mute list, as a member mute puts
them, with the same ADD_MUTE / REMOVE_MUTE notices, so what a tag-muted sender is answered is the
member mute's answer. Both need the app token or the room's owner or an admin.
"""
from __future__ import annotations

import json

from im_wire import pb

from ..domain.chatrooms import errors
from ..faults import seam
from ..ids import now_ms
from ..store.chatrooms import MUTE, OWNER, PERMANENT
from .chatroom_access import moderated_room, operator, rest_error, room_of
from .envelope import RestError
from .routing import Auth, Call, RouteTable

routes = RouteTable()

ROOM = "/chatrooms/{room_id:[0-9]+}"
Op = pb.MUCBody
MAX_TAGS = 10
MAX_TAG_LENGTH = 32


def _invalid(description: str) -> RestError:
    return RestError(400, "invalid_parameter", description)


def _tag(value) -> str:
    if not isinstance(value, str) or not value or len(value) > MAX_TAG_LENGTH:
        raise _invalid(f"tag must be a string of 1 to {MAX_TAG_LENGTH} characters")
    return value


def _member(call: Call, room_id: str) -> str:
    user = call.arg("username").lower()
    if call.ctx.store.chatrooms.role(room_id, user) is None:
        raise rest_error(errors.not_member([user]))
    return user


@routes.put(ROOM + "/users/{username}/tag", auth=Auth.ANY)
async def set_tags(call: Call):
    room = moderated_room(call)
    user = _member(call, room.id)
    body = await call.json()
    tags = body.get("tags") if isinstance(body, dict) else None
    if not isinstance(tags, list):
        raise _invalid("tags must be an array of strings")
    if len(tags) > MAX_TAGS:
        raise _invalid(f"tags size can't exceed limit {MAX_TAGS}")
    tags = list(dict.fromkeys(_tag(t) for t in tags))
    call.ctx.store.chatrooms.set_tags(room.id, user, tags)
    call.ctx.events.emit("chatroom.tags_set", room=room.id, user=user, tags=tags, operator=operator(call))
    return call.ok("put", entities=[], data={"result": True})


@routes.get(ROOM + "/users/{username}/tag", auth=Auth.ANY)
async def get_tags(call: Call):
    room = room_of(call)
    user = _member(call, room.id)
    return call.ok("get", entities=[], data={"tags": call.ctx.store.chatrooms.tags(room.id, user)})


@seam("chatrooms.tagged_members")
def tagged_members(ctx, room_id: str, tag: str) -> list[str]:
    """The members a tag mute acts on: every member carrying the tag, the owner excepted."""
    store = ctx.store.chatrooms
    return [u for u in store.tagged(room_id, tag) if store.role(room_id, u) not in (None, OWNER)]


@routes.put(ROOM + "/tag/mute", auth=Auth.ANY)
async def tag_mute(call: Call):
    room = moderated_room(call)
    body = await call.json()
    if not isinstance(body, dict):
        raise RestError(400, "invalid_request_body", "Request body is invalid. Please check body is correct.")
    tag = _tag(body.get("tag"))
    duration = body.get("mute_duration")
    if not isinstance(duration, int) or isinstance(duration, bool) or duration < -1:
        raise _invalid("mute_duration must be -1, 0 or a number of seconds")
    ctx = call.ctx
    store = ctx.store.chatrooms
    who = operator(call)
    users = tagged_members(ctx, room.id, tag)
    end = PERMANENT if duration == -1 else now_ms() + duration * 1000
    for user in users:
        if duration == 0:
            if store.list_remove(room.id, MUTE, user):
                ctx.chatrooms.notify.to_user(room.id, user, Op.REMOVE_MUTE, operator=who, to=[user])
            continue
        store.list_add(room.id, MUTE, user, end)
        ctx.chatrooms.notify.to_user(room.id, user, Op.ADD_MUTE, operator=who, to=[user],
                                     ext=json.dumps({"user_mute_time": end}))
    ctx.events.emit("chatroom.tag_muted", room=room.id, tag=tag, users=users, duration=duration, operator=who)
    return call.ok("put", entities=[], data={"result": True})
