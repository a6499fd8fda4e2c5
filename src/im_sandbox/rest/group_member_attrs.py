"""Group member attributes (docs/protocol/rest.md §5.2): string key/value pairs per member of a group.

    PUT  /metadata/chatgroup/{gid}/user/{username}   {"metaData": {key: value}}   (set; "" deletes a key)
    POST /metadata/chatgroup/{gid}/get               {"targets": [users ≤ 10], "properties": [keys]}
The Web SDK calls the same paths under `/sdk/` (`setGroupMemberAttributes`,
`getGroupMembersAttributes`) with its user token and `?resource=`.

A member writes its own attributes; the owner and the admins write anyone's; the app anything
(rule `group-member-attributes-writers`). Only members are read and written; a member's
attributes go when it leaves. Limits (rule `group-member-attributes-limits`): a key ≤ 16 bytes,
a value ≤ 512 bytes, one member's attributes ≤ 4 KB. Every member but the calling device hears of
a change with MUC GROUP_MEMBER_METADATA_UPDATE, `eventInfo.ext` {username, properties}: the SDK's
`memberAttributesUpdate` (on the writer's other devices its `onMultiDeviceEvent`, docs/protocol/msync.md §5.2).
"""
from __future__ import annotations

from typing import Any

from ..faults import seam
from ..store.groups import Group
from . import group_actions
from .group_common import (Actor, actor, body_object, existing_group, invalid_parameter, no_permission, not_members,
                           require_member)
from .routing import Auth, Call, RouteTable

routes = RouteTable()
Op = group_actions.Op

MAX_KEY = 16
MAX_VALUE = 512
MAX_MEMBER_TOTAL = 4096
MAX_TARGETS = 10


@seam("groups.may_write_member_attrs")
def may_write(ctx, group: Group, who: Actor, target: str) -> bool:
    """Oneself, the owner and the admins (and the app) write a member's attributes."""
    return who.is_app or who.user == target or group.is_manager(who.user)


def _attributes(value: Any) -> dict[str, str]:
    if not isinstance(value, dict) or not value:
        raise invalid_parameter("metaData must be a non-empty object")
    for key, item in value.items():
        if not key or len(key.encode()) > MAX_KEY:
            raise invalid_parameter(f"metadata key length must be 1 to {MAX_KEY} bytes")
        if not isinstance(item, str):
            raise invalid_parameter("metadata values must be strings")
        if len(item.encode()) > MAX_VALUE:
            raise invalid_parameter(f"metadata value length must be at most {MAX_VALUE} bytes")
    return value


async def _set(call: Call):
    group = existing_group(call)
    who = actor(call)
    target = call.arg("username").lower()
    if target not in group.members:
        raise not_members(group, [target])
    if not may_write(call.ctx, group, who, target):
        raise no_permission(who, group, f"set the attributes of {target}")
    changes = _attributes((await body_object(call)).get("metaData"))
    store = call.ctx.store.group_member_attrs
    merged = {**store.get(group.id, target), **changes}
    if sum(len(k.encode()) + len(v.encode()) for k, v in merged.items() if v) > MAX_MEMBER_TOTAL:
        raise invalid_parameter(f"the attributes of one member must be at most {MAX_MEMBER_TOTAL} bytes")
    store.merge(group.id, target, changes)
    ctx = call.ctx
    ctx.events.emit("group.member_attrs", group=group.id, user=target, by=who.operator, keys=sorted(changes))
    group_actions.to_everyone(ctx, group, Op.GROUP_MEMBER_METADATA_UPDATE, who,
                              event_ext={"username": target, "properties": changes})
    return call.ok("put", data=changes)


async def _get(call: Call):
    group = existing_group(call, change=False)  # a read, though a POST
    require_member(group, actor(call))
    body = await body_object(call)
    targets, keys = body.get("targets"), body.get("properties") or []
    if not isinstance(targets, list) or not targets or not all(isinstance(t, str) and t for t in targets):
        raise invalid_parameter("targets must be provided")
    if len(targets) > MAX_TARGETS:
        raise invalid_parameter(f"targets size must be at most {MAX_TARGETS}")
    if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
        raise invalid_parameter("properties must be a list of keys")
    store = call.ctx.store.group_member_attrs
    data = {t: store.get(group.id, t.lower(), keys) if t.lower() in group.members else {} for t in targets}
    return call.ok("post", data=data)


@routes.put("/metadata/chatgroup/{group_id}/user/{username}", auth=Auth.ANY)
async def set_member_attributes(call: Call):
    return await _set(call)


@routes.put("/sdk/metadata/chatgroup/{group_id}/user/{username}", auth=Auth.ANY)
async def sdk_set_member_attributes(call: Call):
    """The Web SDK's path of the same call."""
    return await _set(call)


@routes.post("/metadata/chatgroup/{group_id}/get", auth=Auth.ANY)
async def get_member_attributes(call: Call):
    return await _get(call)


@routes.post("/sdk/metadata/chatgroup/{group_id}/get", auth=Auth.ANY)
async def sdk_get_member_attributes(call: Call):
    """The Web SDK's path of the same call."""
    return await _get(call)
