"""Deleting a user (docs/protocol/rest.md §2.2: "also deletes groups/rooms the user owns").

In order: the user's devices are kicked (USER_REMOVED) and the store forgets the account (tokens,
devices, queues, mutes, roaming), so no notification below is queued for it any more. Then each
group and each chatroom it owns is destroyed through the code of `DELETE /chatgroups/{id}` and
`DELETE /chatrooms/{id}` (operator `admin`), and it leaves the others: the remaining group
members get ABSENCE, like on `DELETE /chatgroups/{id}/users/{u}`, and so do the members present
in a room it was present in (rest.md and msync.md say nothing of user deletion beyond the owned
groups and rooms). Its threads, admin roles, mutes, allow/block list entries and pending
invitations/applications go with it.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..domain.devices import USER_REMOVED
from ..domain.group_notify import ADMIN
from ..store.chatrooms import OWNER
from . import group_actions
from .group_common import Actor

if TYPE_CHECKING:
    from ..msync.context import Context

ROOM_REASON = "user_deleted"  # chatroom.left `reason`
GROUP_HOW = "USER_DELETED"    # group.member_removed `how`
APP_ADMIN = Actor(None, None)


def delete_user(ctx: "Context", username: str) -> None:
    ctx.hub.kick(username, None, USER_REMOVED)
    ctx.store.delete_user(username)
    _end_groups(ctx, username)
    _end_rooms(ctx, username)
    ctx.events.emit("user.deleted", user=username)


def _end_groups(ctx: "Context", username: str) -> None:
    groups = ctx.store.groups
    for group_id in groups.joined_by(username):
        group = groups.get(group_id)
        if group is None:
            continue
        if group.owner == username:
            group_actions.destroy(ctx, group, APP_ADMIN)
        else:
            group_actions.leave(ctx, group, [username], APP_ADMIN, how=None, why=GROUP_HOW)
    groups.forget_user(username)


def _end_rooms(ctx: "Context", username: str) -> None:
    store = ctx.store.chatrooms
    for room_id, _ in store.rooms_of(username):
        if store.role(room_id, username) == OWNER:
            ctx.chatrooms.destroy(room_id, ADMIN)
        else:
            ctx.chatrooms.leave(room_id, username, why=ROOM_REASON)
    store.delete_user(username)
