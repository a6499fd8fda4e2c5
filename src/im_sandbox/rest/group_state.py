"""A group's state and one member's relation to it (docs/protocol/rest.md §5.1–§5.2): disable / enable
(app token), a member blocking the group's messages for itself (`/shield`, the Web SDK's
`blockGroupMessage`), and how many groups a user is in (`joined_count`).

A disabled group refuses messages (FAIL `group is disabled`, domain/groups.py) and every change a
user token asks for (403 `can not operate this group, reason: group is disabled`,
group_common.existing_group); reading it and the app's own calls still work, so that the app can
enable it again (rule `group-disabled-refuses-users`). Members hear of it with MUC DISABLE_GROUP /
ABLE_GROUP, which the SDK ignores (docs/protocol/msync.md §5.2).

A shielded member stays a member (lists, roles, notifications) and receives none of the group's
messages until it unshields; messages sent meanwhile are not kept for it (rule `group-shield-drops`).
"""
from __future__ import annotations

from ..faults import seam
from ..store.groups import Group
from . import group_actions
from .group_common import actor, existing_group, invalid_parameter, not_members, user_missing
from .routing import Auth, Call, RouteTable

routes = RouteTable()
Op = group_actions.Op


# -- disable / enable --------------------------------------------------------------------------
@seam("groups.set_disabled")
def set_disabled(ctx, group: Group, disabled: bool) -> None:
    """The group's `disabled` flag, stored: a disabled group carries no messages."""
    ctx.store.groups.update(group.id, disabled=disabled)


async def _switch(call: Call, disabled: bool):
    group = existing_group(call)
    who = actor(call)
    ctx = call.ctx
    set_disabled(ctx, group, disabled)
    ctx.events.emit("group.disabled" if disabled else "group.enabled", group=group.id, by=who.operator)
    group_actions.to_everyone(ctx, group, Op.DISABLE_GROUP if disabled else Op.ABLE_GROUP, who)
    return call.ok("post", data={"disabled": disabled})


@routes.post("/chatgroups/{group_id}/disable", auth=Auth.APP)
async def disable(call: Call):
    return await _switch(call, True)


@routes.post("/chatgroups/{group_id}/enable", auth=Auth.APP)
async def enable(call: Call):
    return await _switch(call, False)


# -- shield: a member blocks the group's messages for itself ------------------------------------
async def _shield(call: Call, on: bool):
    group = existing_group(call)
    who = actor(call)
    if who.is_app:
        raise invalid_parameter("shield needs the token of the member")
    if who.user not in group.members:
        raise not_members(group, [who.user])
    ctx = call.ctx
    ctx.store.groups.shield(group.id, who.user, on)
    ctx.events.emit("group.shielded" if on else "group.unshielded", group=group.id, user=who.user)
    return call.ok("post" if on else "delete", data={"result": True, "groupid": group.id, "user": who.user,
                                                      "action": "shield" if on else "unshield"})


@routes.post("/chatgroups/{group_id}/shield", auth=Auth.ANY)
async def shield(call: Call):
    return await _shield(call, True)


@routes.delete("/chatgroups/{group_id}/shield", auth=Auth.ANY)
async def unshield(call: Call):
    return await _shield(call, False)


# -- how many groups -----------------------------------------------------------------------------
@routes.get("/chatgroups/user/{username}/joined_count", auth=Auth.SELF)
async def joined_count(call: Call):
    username = call.arg("username").lower()
    if call.ctx.store.users.get(username) is None:
        raise user_missing(username)
    return call.ok("get", data=len(call.ctx.store.groups.joined_by(username)))
