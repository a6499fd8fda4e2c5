"""Shared by the chatroom REST modules: room lookup, who is calling, roles, body parsing.

App tokens may do everything. User tokens (what the Web SDK uses, docs/protocol/rest.md §10) may read a room,
and change it according to their role: owner and admins moderate, only the owner hands out admin
rights, transfers or destroys; a super admin may create rooms. Refused: 403 `forbidden_op`.
As in groups, an admin does not kick, mute or block another admin (`moderation-below-own-role`).
"""
from __future__ import annotations

from typing import Any

from ..domain.chatrooms import RoomError
from ..faults import seam
from ..store.chatrooms import ADMIN, OWNER, Room
from .envelope import RestError
from .routing import Call

MAX_BATCH = 60
MODERATORS = (OWNER, ADMIN)


def rest_error(exc: RoomError) -> RestError:
    return RestError(exc.status, exc.error, exc.reason)


def room_of(call: Call, room_id: str | None = None) -> Room:
    try:
        return call.ctx.chatrooms.room(room_id if room_id is not None else call.arg("room_id"))
    except RoomError as exc:
        raise rest_error(exc) from None


def operator(call: Call) -> str:
    """Who acts: `admin` for the app token, else the user of the token."""
    return "admin" if call.is_app else call.token.username


def require_role(call: Call, room: Room, roles: tuple[str, ...] = MODERATORS) -> None:
    if call.is_app:
        return
    user = call.token.username
    if call.ctx.store.chatrooms.role(room.id, user) not in roles:
        raise RestError(403, "forbidden_op", f"user: {user} has no permission for this operation"
                                             f" in chatroom: {room.id}")


@seam("chatrooms.touches_admin")
def touches_admin(call: Call, room: Room, users: list[str]) -> bool:
    """An admin (not the owner, not the app) moderating another admin: refused by kick, block and
    mute, as in groups (groups.touches_admin); only the owner and the app may act on admins."""
    if call.is_app:
        return False
    store = call.ctx.store.chatrooms
    return store.role(room.id, call.token.username) != OWNER and any(store.role(room.id, u) == ADMIN for u in users)


def refuse_admin_on_admin(call: Call, room: Room, users: list[str], what: str) -> None:
    if touches_admin(call, room, users):
        raise RestError(403, "forbidden_op", f"user: {call.token.username} can not {what} an admin of chatroom:"
                                             f" {room.id}")


def moderated_room(call: Call) -> Room:
    """The room of the call, which its caller must be allowed to moderate (owner or admin, or the
    app itself)."""
    room = room_of(call)
    require_role(call, room)
    return room


def existing_user(call: Call, name: Any) -> str:
    if not isinstance(name, str) or call.ctx.store.users.get(name.lower()) is None:
        raise RestError(404, "resource_not_found", f"username {name} doesn't exist!")
    return name.lower()


def usernames(value: Any, too_many: str) -> list[str]:
    """A list of 1..60 user names from a body field (or a comma-separated path segment);
    `too_many` is the error text for more than 60, with `{}` for the limit."""
    if isinstance(value, str):
        value = [v for v in value.split(",") if v]
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
        raise RestError(400, "invalid_parameter", "usernames must be a non-empty array of user names")
    if len(value) > MAX_BATCH:
        raise RestError(400, "invalid_parameter", too_many.format(MAX_BATCH))
    return [v.lower() for v in value]


def body_usernames(body: Any, too_many: str) -> list[str]:
    """`usernames` of a JSON body, checked like usernames()."""
    return usernames(body.get("usernames") if isinstance(body, dict) else None, too_many)


def params(call: Call) -> dict[str, list[str]]:
    return {k: call.query.getall(k) for k in call.query.keys()}


def int_query(call: Call, name: str, default: int, low: int, high: int) -> int:
    raw = call.query.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise RestError(400, "illegal_argument", f"{name} must be an integer") from None
    return max(low, min(value, high))
