"""Group members (docs/protocol/rest.md §5.2, docs/protocol/msync.md §5.4): list, add, remove, quit, invite and apply flows."""
from __future__ import annotations

from ..ids import now_ms
from ..store.groups import OWNER, Request
from . import group_actions
from .group_common import (MAX_BATCH, actor, already_member, blocked, body_object, existing_group, existing_users,
                           forbidden, group_full, invalid_parameter, name_list, no_permission, not_members, on_owner,
                           path_names, require_manager, room_for, too_many_members, touches_admin)
from .routing import Auth, Call, RouteTable

routes = RouteTable()
Op = group_actions.Op

INVITE, APPLY = "invite", "apply"


def _member_entry(group, username: str, with_time: bool) -> dict:
    entry = {OWNER if group.role(username) == OWNER else "member": username}
    if with_time:
        entry["joined_time"] = group.joined.get(username, 0)
    return entry


@routes.get("/chatgroups/{group_id}/users", auth=Auth.ANY)
async def list_members(call: Call):
    group = existing_group(call)
    who = actor(call)
    if not who.is_app and not group.public and who.user not in group.members:
        raise not_members(group, [who.user])
    try:
        page = max(1, int(call.query.get("pagenum", "1")))
        size = max(1, min(int(call.query.get("pagesize", "1000")), 1000))
    except ValueError:
        raise invalid_parameter("pagenum and pagesize must be integers") from None
    names = [group.owner] + [u for u in group.members if u != group.owner]
    chosen = names[(page - 1) * size:page * size]
    with_time = call.query.get("joined_time", "").lower() == "true"
    params = {k: call.query.getall(k) for k in call.query.keys()}
    return call.ok("get", data=[_member_entry(group, u, with_time) for u in chosen], count=len(chosen),
                   params=params)


def _check_joinable(call: Call, group, names: list[str]) -> None:
    for name in names:
        if name in group.blocks:
            raise blocked(group, name)


# -- add ---------------------------------------------------------------------------------------
@routes.post("/chatgroups/{group_id}/users/{username}", auth=Auth.ANY)
async def add_member(call: Call):
    group = existing_group(call)
    who = actor(call)
    require_manager(group, who, "add members")
    name = call.arg("username").lower()
    existing_users(call, [name])
    if name in group.members:
        raise already_member(group, name)
    _check_joinable(call, group, [name])
    if not room_for(call.ctx, group, 1):
        raise too_many_members()
    group_actions.join(call.ctx, group, [name], who)
    return call.ok("post", data={"result": True, "groupid": group.id, "action": "add_member", "user": name})


@routes.post("/chatgroups/{group_id}/users", auth=Auth.ANY)
async def add_members(call: Call):
    group = existing_group(call)
    who = actor(call)
    require_manager(group, who, "add members")
    body = await body_object(call)
    names = existing_users(call, name_list(body.get("usernames")))
    fresh = [n for n in names if n not in group.members]
    _check_joinable(call, group, fresh)
    if not room_for(call.ctx, group, len(fresh)):
        raise too_many_members()
    group_actions.join(call.ctx, group, fresh, who)
    return call.ok("post", data={"newmembers": fresh, "groupid": group.id, "action": "add_member"})


# -- remove ------------------------------------------------------------------------------------
def _removable(ctx, group, who, names: list[str]) -> None:
    missing = [n for n in names if n not in group.members]
    if missing:
        raise not_members(group, missing)
    if group.owner in names:
        raise on_owner()
    require_manager(group, who, "remove members")
    if touches_admin(ctx, group, who, names):
        raise no_permission(who, group, "remove an admin")


@routes.delete("/chatgroups/{group_id}/users/{usernames}", auth=Auth.ANY)
async def remove_members(call: Call):
    group = existing_group(call)
    who = actor(call)
    names = path_names(call, limit=MAX_BATCH, too_many="kickMember: kickMembers number more than maxSize : 60")
    _removable(call.ctx, group, who, names)
    group_actions.leave(call.ctx, group, names, who, Op.KICK)
    entries = [{"result": True, "action": "remove_member", "user": n, "groupid": group.id} for n in names]
    return call.ok("delete", data=entries[0] if len(entries) == 1 else entries)


@routes.delete("/chatgroups/{group_id}/quit", auth=Auth.ANY)
async def quit_group(call: Call):
    group = existing_group(call)
    who = actor(call)
    if who.is_app:
        raise invalid_parameter("quit needs the token of the member who leaves")
    if who.user not in group.members:
        raise not_members(group, [who.user])
    if who.user == group.owner:
        raise on_owner()
    group_actions.leave(call.ctx, group, [who.user], who, how=None)
    return call.ok("delete", data={"result": True})


# -- invitations -------------------------------------------------------------------------------
@routes.post("/chatgroups/{group_id}/invite", auth=Auth.ANY)
async def invite(call: Call):
    group = existing_group(call)
    who = actor(call)
    if not who.is_app and not (group.is_manager(who.user) or (group.allowinvites and who.user in group.members)):
        raise no_permission(who, group, "invite users")
    body = await body_object(call)
    names = existing_users(call, name_list(body.get("usernames")))
    welcome = body.get("welcome") or body.get("reason") or ""
    present = [n for n in names if n in group.members]
    if present:
        raise forbidden(f"invite users to join group failed, user: {present[0]} already in group: {group.id}")
    _check_joinable(call, group, names)
    if not room_for(call.ctx, group, len(names)):
        raise group_full()
    ctx = call.ctx
    if not group.invite_need_confirm:
        group_actions.join(ctx, group, names, who)
    else:
        for name in names:
            ctx.store.groups.add_request(Request(group.id, name, INVITE, who.operator, welcome, now_ms()))
            ctx.events.emit("group.invited", group=group.id, user=name, by=who.operator)
            group_actions.group_notify.muc(ctx, group.id, Op.INVITE, [name], operator=who.operator, to=[name],
                                           name=group.name, reason=welcome, skip=who.skip)
    entries = [{"result": True, "action": "invite", "user": n, "groupid": group.id} for n in names]
    return call.ok("post", data=entries)


@routes.post("/chatgroups/{group_id}/invite_verify", auth=Auth.ANY)
async def invite_verify(call: Call):
    """The invitee accepts (`verifyResult: true`) or declines an invitation."""
    group = existing_group(call)
    who = actor(call)
    body = await body_object(call)
    invitee = str(body.get("invitee") or who.user or "").lower()
    if not invitee:
        raise invalid_parameter("invitee must be provided")
    if not who.is_app and invitee != who.user:
        raise forbidden(f"user: {who.user} can not answer the invitation of user: {invitee}")
    accept = body.get("verifyResult")
    if not isinstance(accept, bool):
        raise invalid_parameter("verifyResult must be a boolean")
    request = call.ctx.store.groups.take_request(group.id, invitee, INVITE)
    if request is None:
        raise forbidden(f"user: {invitee} has no invitation to group: {group.id}")
    ctx = call.ctx
    if accept:
        if invitee in group.members:
            raise already_member(group, invitee)
        if not room_for(call.ctx, group, 1):
            raise group_full()
        group_actions.join(ctx, group, [invitee], who, how=Op.INVITE_ACCEPT, notify=request.origin)
    else:
        ctx.events.emit("group.invite_declined", group=group.id, user=invitee)
        group_actions.group_notify.muc(ctx, group.id, Op.INVITE_DECLINE, [request.origin], operator=invitee,
                                       to=[invitee], name=group.name, reason=str(body.get("reason") or ""))
    return call.ok("post", data={"result": True, "action": "inviteVerify", "user": invitee, "groupid": group.id})


# -- applications ------------------------------------------------------------------------------
@routes.post("/chatgroups/{group_id}/apply", auth=Auth.ANY)
async def apply(call: Call):
    """Ask to join a public group: joined at once unless it needs approval (`membersonly`)."""
    group = existing_group(call)
    who = actor(call)
    if who.is_app:
        raise invalid_parameter("apply needs the token of the applicant")
    body = await body_object(call, required=False)
    message = str(body.get("message") or body.get("reason") or "")
    applicant = who.user
    if not group.public:
        raise forbidden(f"can not join this group, reason: group {group.id} is private")
    if applicant in group.members:
        raise already_member(group, applicant)
    _check_joinable(call, group, [applicant])
    if not room_for(call.ctx, group, 1):
        raise group_full()
    ctx = call.ctx
    if not group.membersonly:
        group_actions.join(ctx, group, [applicant], who, how=None)
        return call.ok("post", data={"result": True, "action": "apply", "user": applicant, "groupid": group.id,
                                     "joined": True})
    ctx.store.groups.add_request(Request(group.id, applicant, APPLY, applicant, message, now_ms()))
    ctx.events.emit("group.applied", group=group.id, user=applicant)
    group_actions.group_notify.muc(ctx, group.id, Op.APPLY, group.managers, operator=applicant, to=[applicant],
                                   name=group.name, reason=message)
    return call.ok("post", data={"result": True, "action": "apply", "user": applicant, "groupid": group.id,
                                 "joined": False})


@routes.post("/chatgroups/{group_id}/apply_verify", auth=Auth.ANY)
async def apply_verify(call: Call):
    """The owner or an admin approves (`verifyResult: true`) or declines an application."""
    group = existing_group(call)
    who = actor(call)
    require_manager(group, who, "answer applications")
    body = await body_object(call)
    applicant = body.get("applicant")
    if not isinstance(applicant, str) or not applicant:
        raise invalid_parameter("applicant must be provided")
    applicant = applicant.lower()
    accept = body.get("verifyResult")
    if not isinstance(accept, bool):
        raise invalid_parameter("verifyResult must be a boolean")
    ctx = call.ctx
    request = ctx.store.groups.take_request(group.id, applicant, APPLY)
    if request is None:
        raise forbidden(f"user: {applicant} has not applied to join group: {group.id}")
    if accept:
        if not room_for(call.ctx, group, 1):
            raise group_full()
        group_actions.join(ctx, group, [applicant], who, how=Op.APPLY_ACCEPT)
    else:
        ctx.events.emit("group.apply_declined", group=group.id, user=applicant, by=who.operator)
        group_actions.group_notify.muc(ctx, group.id, Op.APPLY_DECLINE, [applicant], operator=who.operator,
                                       to=[applicant], name=group.name, reason=str(body.get("reason") or ""),
                                       skip=who.skip)
    return call.ok("post", data={"result": True, "action": "applyVerify", "user": applicant, "groupid": group.id})
