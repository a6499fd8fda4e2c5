"""Group roles and moderation (docs/protocol/rest.md §4.2, §4.4, §5.2; docs/protocol/msync.md §5.3): admins, blocks, member
mute with a duration, mute-all and its allow-list, read receipts of a group message."""
from __future__ import annotations

import json

from ..ids import now_ms
from ..store.groups import ADMIN, FOREVER, MEMBER
from . import group_actions
from .group_common import (actor, body_object, existing_group, existing_users, forbidden, invalid_parameter,
                           name_list, not_members, on_owner, path_names, require_manager, require_member,
                           require_owner, save_settings, touches_admin)
from .envelope import RestError
from .routing import Auth, Call, RouteTable

routes = RouteTable()
Op = group_actions.Op

MAX_MANAGERS = 100  # owner + admins


def _one_or_many(entries: list[dict]):
    return entries[0] if len(entries) == 1 else entries


# -- admins ------------------------------------------------------------------------------------
@routes.get("/chatgroups/{group_id}/admin", auth=Auth.ANY)
async def list_admins(call: Call):
    group = existing_group(call)
    require_member(group, actor(call))
    admins = group.admins
    return call.ok("get", data=admins, count=len(admins))


@routes.post("/chatgroups/{group_id}/admin", auth=Auth.ANY)
async def add_admin(call: Call):
    group = existing_group(call)
    who = actor(call)
    require_owner(group, who, "add admins")
    body = await body_object(call)
    name = body.get("newadmin")
    if not isinstance(name, str) or not name:
        raise invalid_parameter("newadmin must be provided")
    name = name.lower()
    if name not in group.members:
        raise RestError(404, "resource_not_found", f"user: {name} doesn't exist in group: {group.id}",
                        "ResourceNotFoundException")
    if name == group.owner:
        raise on_owner()
    if len(group.managers) >= MAX_MANAGERS:
        raise RestError(403, "exceed_limit", "admin size is more than max limit", "ExceedLimitException")
    ctx = call.ctx
    ctx.store.groups.set_role(group.id, name, ADMIN)
    ctx.events.emit("group.admin_added", group=group.id, user=name, by=who.operator)
    group_actions.to_user_and_managers(ctx, group, Op.ADD_ADMIN, who, name)
    return call.ok("post", data={"result": "success", "newadmin": name})


@routes.delete("/chatgroups/{group_id}/admin/{username}", auth=Auth.ANY)
async def remove_admin(call: Call):
    group = existing_group(call)
    who = actor(call)
    require_owner(group, who, "remove admins")
    name = call.arg("username").lower()
    if group.role(name) != ADMIN:
        raise forbidden(f"user:{name} is not admin of group:{group.id}")
    ctx = call.ctx
    ctx.store.groups.set_role(group.id, name, MEMBER)
    ctx.events.emit("group.admin_removed", group=group.id, user=name, by=who.operator)
    group_actions.to_user_and_managers(ctx, group, Op.REMOVE_ADMIN, who, name)
    return call.ok("delete", data={"result": "success", "oldadmin": name})


# -- blocks ------------------------------------------------------------------------------------
@routes.get("/chatgroups/{group_id}/blocks/users", auth=Auth.ANY)
async def list_blocks(call: Call):
    group = existing_group(call)
    require_manager(group, actor(call), "see the block list")
    names = sorted(group.blocks)
    return call.ok("get", data=names, count=len(names))


async def _block(call: Call, names: list[str]):
    group = existing_group(call)
    who = actor(call)
    require_manager(group, who, "block users")
    existing_users(call, names)
    if group.owner in names:
        raise on_owner()
    if touches_admin(call.ctx, group, who, names):
        raise forbidden(f"user: {who.user} can not block an admin of group: {group.id}")
    ctx = call.ctx
    ctx.store.groups.block(group.id, names)
    ctx.events.emit("group.blocked", group=group.id, users=names, by=who.operator)
    members = [n for n in names if n in group.members]
    group_actions.leave(ctx, group, members, who, how=Op.BLOCK)
    for name in names:
        if name not in members:
            group_actions.group_notify.muc(ctx, group.id, Op.BLOCK, [name], operator=who.operator, to=[name],
                                           name=group.name, skip=who.skip)
    return group, [{"result": True, "action": "add_blocks", "user": n, "groupid": group.id} for n in names]


@routes.post("/chatgroups/{group_id}/blocks/users/{username}", auth=Auth.ANY)
async def block_one(call: Call):
    _, entries = await _block(call, [call.arg("username").lower()])
    return call.ok("post", data=entries[0])


@routes.post("/chatgroups/{group_id}/blocks/users", auth=Auth.ANY)
async def block_many(call: Call):
    body = await body_object(call)
    _, entries = await _block(call, name_list(body.get("usernames")))
    return call.ok("post", data=entries)


@routes.delete("/chatgroups/{group_id}/blocks/users/{usernames}", auth=Auth.ANY)
async def unblock(call: Call):
    group = existing_group(call)
    who = actor(call)
    require_manager(group, who, "unblock users")
    names = path_names(call, too_many="removeBlacklist: list size more than max limit : 60")
    ctx = call.ctx
    ctx.store.groups.unblock(group.id, names)
    ctx.events.emit("group.unblocked", group=group.id, users=names, by=who.operator)
    for name in names:
        group_actions.group_notify.muc(ctx, group.id, Op.ALLOW, [name], operator=who.operator, to=[name],
                                       name=group.name, skip=who.skip)
    return call.ok("delete", data=_one_or_many(
        [{"result": True, "action": "remove_blocks", "user": n, "groupid": group.id} for n in names]))


# -- member mute -------------------------------------------------------------------------------
@routes.get("/chatgroups/{group_id}/mute", auth=Auth.ANY)
async def list_mutes(call: Call):
    group = existing_group(call)
    require_member(group, actor(call))
    data = [{"expire": expiry, "user": user} for user, expiry in group.active_mutes().items()]
    return call.ok("get", data=data, count=len(data))


@routes.post("/chatgroups/{group_id}/mute", auth=Auth.ANY)
async def mute(call: Call):
    group = existing_group(call)
    who = actor(call)
    require_manager(group, who, "mute members")
    body = await body_object(call)
    names = name_list(body.get("usernames"))
    duration = body.get("mute_duration")
    if not isinstance(duration, int) or isinstance(duration, bool) or duration < FOREVER:
        raise invalid_parameter("mute_duration must be milliseconds, -1 for ever or 0 to cancel")
    missing = [n for n in names if n not in group.members]
    if missing:
        raise not_members(group, missing)
    if group.owner in names:
        raise on_owner()
    if touches_admin(call.ctx, group, who, names):
        raise forbidden(f"user: {who.user} can not mute an admin of group: {group.id}")
    ctx = call.ctx
    if duration == 0:
        _unmute(call, group, who, names)
        return call.ok("post", data=[{"result": True, "expire": 0, "user": n} for n in names])
    expiry = FOREVER if duration == FOREVER else now_ms() + duration
    ctx.store.groups.mute(group.id, names, expiry)
    for name in names:
        ctx.events.emit("group.muted", group=group.id, user=name, expire=expiry, by=who.operator)
        group_actions.to_user_and_managers(ctx, group, Op.ADD_MUTE, who, name,
                                           ext=json.dumps({"user_mute_time": expiry}, separators=(",", ":")))
    return call.ok("post", data=[{"result": True, "expire": expiry, "user": n} for n in names])


def _unmute(call: Call, group, who, names: list[str]) -> None:
    ctx = call.ctx
    ctx.store.groups.unmute(group.id, names)
    for name in names:
        ctx.events.emit("group.unmuted", group=group.id, user=name, by=who.operator)
        group_actions.to_user_and_managers(ctx, group, Op.REMOVE_MUTE, who, name)


@routes.delete("/chatgroups/{group_id}/mute/{usernames}", auth=Auth.ANY)
async def unmute(call: Call):
    group = existing_group(call)
    who = actor(call)
    require_manager(group, who, "unmute members")
    names = path_names(call, too_many="removeMute member size more than max limit : 60")
    _unmute(call, group, who, names)
    return call.ok("delete", data=[{"result": True, "user": n} for n in names])


@routes.get("/sdk/chatgroups/{group_id}/mute/{username}", auth=Auth.ANY)
async def is_muted(call: Call):
    group = existing_group(call)
    name = call.arg("username").lower()
    expiry = group.mute_expiry(name)
    return call.ok("get", data={"userid": name, "mute": expiry is not None, "expire": expiry or 0})


# -- mute all ----------------------------------------------------------------------------------
async def _mute_all(call: Call, on: bool):
    group = existing_group(call)
    who = actor(call)
    require_manager(group, who, "mute all members")
    ctx = call.ctx
    save_settings(ctx, group.id, mute_all=on)
    ctx.events.emit("group.mute_all", group=group.id, on=on, by=who.operator)
    group_actions.to_everyone(ctx, group, Op.BAN_GROUP if on else Op.REMOVE_BAN_GROUP, who)
    return call.ok("post" if on else "delete", data={"mute": on})


@routes.post("/chatgroups/{group_id}/ban", auth=Auth.ANY)
async def ban(call: Call):
    return await _mute_all(call, True)


@routes.delete("/chatgroups/{group_id}/ban", auth=Auth.ANY)
async def unban(call: Call):
    return await _mute_all(call, False)


# -- allow-list --------------------------------------------------------------------------------
@routes.get("/chatgroups/{group_id}/white/users", auth=Auth.ANY)
async def list_allowed(call: Call):
    group = existing_group(call)
    require_member(group, actor(call))
    names = sorted(group.allow)
    return call.ok("get", data=names, count=len(names))


@routes.get("/chatgroups/{group_id}/white/users/{username}", auth=Auth.ANY)
async def is_allowed(call: Call):
    group = existing_group(call)
    return call.ok("get", data=call.arg("username").lower() in group.allow)


async def _allow(call: Call, names: list[str]):
    group = existing_group(call)
    who = actor(call)
    require_manager(group, who, "change the allow-list")
    missing = [n for n in names if n not in group.members]
    if missing:
        raise not_members(group, missing)
    ctx = call.ctx
    ctx.store.groups.allow_add(group.id, names)
    for name in names:
        ctx.events.emit("group.allowed", group=group.id, user=name, by=who.operator)
        group_actions.to_user_and_managers(ctx, group, Op.ADD_USER_WHITE_LIST, who, name)
    return [{"result": True, "action": "add_user_whitelist", "user": n, "groupid": group.id} for n in names]


@routes.post("/chatgroups/{group_id}/white/users/{username}", auth=Auth.ANY)
async def allow_one(call: Call):
    return call.ok("post", data=(await _allow(call, [call.arg("username").lower()]))[0])


@routes.post("/chatgroups/{group_id}/white/users", auth=Auth.ANY)
async def allow_many(call: Call):
    body = await body_object(call)
    names = name_list(body.get("usernames"), too_many="usernames size is more than max limit : 60")
    return call.ok("post", data=await _allow(call, names))


@routes.delete("/chatgroups/{group_id}/white/users/{usernames}", auth=Auth.ANY)
async def disallow(call: Call):
    group = existing_group(call)
    who = actor(call)
    require_manager(group, who, "change the allow-list")
    names = path_names(call, too_many="usernames size is more than max limit : 60")
    ctx = call.ctx
    ctx.store.groups.allow_remove(group.id, names)
    for name in names:
        ctx.events.emit("group.disallowed", group=group.id, user=name, by=who.operator)
        group_actions.to_user_and_managers(ctx, group, Op.REMOVE_USER_WHITE_LIST, who, name)
    return call.ok("delete", data=[{"result": True, "action": "remove_user_whitelist", "user": n,
                                    "groupid": group.id} for n in names])


# -- read receipts -----------------------------------------------------------------------------
@routes.get("/chatgroups/{group_id}/acks/{msg_id}", auth=Auth.ANY)
async def read_acks(call: Call):
    group = existing_group(call)
    require_member(group, actor(call))
    try:
        msg_id = int(call.arg("msg_id"))
    except ValueError:
        raise invalid_parameter("msgId must be a number") from None
    readers = call.ctx.store.groups.readers(msg_id)
    return call.ok("get", data=[{"user": u, "timestamp": ts} for u, ts in readers], count=len(readers))
