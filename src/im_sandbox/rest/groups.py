"""Group lifecycle (docs/protocol/rest.md §5.1, docs/protocol/msync.md §5.4): create, get, update, owner transfer, destroy,
lists (app, public, joined), is-joined, announcement."""
from __future__ import annotations

from typing import Any

from ..ids import now_ms
from ..store.groups import OWNER, Group
from . import group_actions
from .envelope import RestError
from .group_common import (Actor, actor, body_object, existing_group, existing_users, flag, forbidden,
                           invalid_parameter, name_list, require_manager, require_owner, save_settings, too_many_members,
                           user_missing)
from .routing import Auth, Call, RouteTable

routes = RouteTable()
Op = group_actions.Op

DEFAULT_MAX_USERS = 200
MAX_MAX_USERS = 100_000
MAX_CREATE_MEMBERS = 100
# request field → (stored setting, type); `desc` and `approval` are the Web SDK's spellings (docs/protocol/rest.md §10.2)
UPDATABLE: dict[str, tuple[str, type]] = {
    "groupname": ("name", str), "description": ("description", str), "desc": ("description", str),
    "avatar": ("avatar", str), "maxusers": ("maxusers", int), "membersonly": ("membersonly", bool),
    "approval": ("membersonly", bool), "allowinvites": ("allowinvites", bool),
    "invite_need_confirm": ("invite_need_confirm", bool), "custom": ("custom", str), "public": ("public", bool),
}
LIMITS = {"name": 128, "description": 512, "avatar": 1024, "custom": 8192}
MAX_ANNOUNCEMENT = 512


def detail(group: Group) -> dict[str, Any]:
    """The `GET /chatgroups/{id}` entry (docs/protocol/rest.md §5.1)."""
    affiliations = [{OWNER: group.owner}] + [{"member": u} for u in group.members if u != group.owner]
    return {"id": group.id, "name": group.name, "description": group.description, "avatar": group.avatar,
            "membersonly": group.membersonly, "allowinvites": group.allowinvites,
            "invite_need_confirm": group.invite_need_confirm, "maxusers": group.maxusers, "owner": group.owner,
            "created": group.created, "custom": group.custom, "mute": group.mute_all,
            "affiliations_count": group.count, "disabled": group.disabled, "affiliations": affiliations,
            "public": group.public}


def summary(group: Group) -> dict[str, Any]:
    """One entry of the joined-groups lists."""
    return {"groupId": group.id, "id": group.id, "name": group.name, "avatar": group.avatar, "owner": group.owner,
            "description": group.description, "disabled": group.disabled, "public": group.public,
            "allowinvites": group.allowinvites, "membersonly": group.membersonly, "maxusers": group.maxusers,
            "created": group.created, "affiliations_count": group.count}


def _setting(field: str, value: Any) -> tuple[str, Any]:
    name, kind = UPDATABLE[field]
    if kind is bool:
        return name, flag(value, field)
    if kind is int:
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= MAX_MAX_USERS:
            raise invalid_parameter(f"{field} must be an integer between 1 and {MAX_MAX_USERS}")
        return name, value
    if not isinstance(value, str):
        raise invalid_parameter(f"{field} must be a string")
    if len(value) > LIMITS[name]:
        raise invalid_parameter(f"{field} length is too big")
    return name, value


# -- create ------------------------------------------------------------------------------------
@routes.post("/chatgroups", auth=Auth.ANY)
async def create(call: Call):
    who = actor(call)
    body = await body_object(call)
    if "public" not in body:
        raise invalid_parameter("group must contain public field!")
    owner = body.get("owner", who.user)
    if not isinstance(owner, str) or not owner:
        raise invalid_parameter("owner must be provided")
    owner = owner.lower()
    if not who.is_app and owner != who.user:
        raise forbidden(f"user: {who.user} can not create a group for user: {owner}")
    if call.ctx.store.users.get(owner) is None:
        raise user_missing(owner)
    settings: dict[str, Any] = {"maxusers": DEFAULT_MAX_USERS}
    for field in UPDATABLE:
        if field in body:
            name, value = _setting(field, body[field])
            settings[name] = value
    members = []
    if body.get("members") is not None:
        members = [m for m in name_list(body["members"], "members", MAX_CREATE_MEMBERS,
                                        f"members size is more than max limit : {MAX_CREATE_MEMBERS}") if m != owner]
        existing_users(call, members)
    if len(members) + 1 > settings["maxusers"]:
        raise too_many_members()
    ctx = call.ctx
    now = now_ms()
    group = Group(str(ctx.ids.next()), owner, now, now, **settings)
    ctx.store.groups.create(group, [])
    ctx.events.emit("group.created", group=group.id, owner=owner, by=who.operator, public=group.public)
    creator = Actor(owner, who.resource if who.user == owner else None)
    group_actions.to_everyone(ctx, group, Op.CREATE, creator)
    group_actions.join(ctx, group, members, creator)
    return call.ok("post", data={"groupid": group.id})


# -- read --------------------------------------------------------------------------------------
@routes.get("/chatgroups/{group_ids}", auth=Auth.ANY)
async def get_groups(call: Call):
    ids = [i for i in call.arg("group_ids").split(",") if i][:100]
    groups = [existing_group(call, i) for i in ids]
    return call.ok("get", data=[detail(g) for g in groups], count=len(groups))


@routes.get("/chatgroups", auth=Auth.APP)
async def list_groups(call: Call):
    limit, after = _paging(call, 10, 1000)
    store = call.ctx.store.groups
    ids = store.page_ids(limit + 1, after)
    groups = [store.get(i) for i in ids[:limit]]
    data = [{"owner": f"{call.ctx.appkey}_{g.owner}", "groupid": g.id, "affiliations": g.count,
             "type": "group", "lastModified": str(g.modified), "groupname": g.name} for g in groups]
    extra = {"cursor": groups[-1].id} if len(ids) > limit else {}
    return call.ok("get", data=data, count=len(data), **extra)


@routes.get("/publicchatgroups", auth=Auth.ANY)
async def public_groups(call: Call):
    limit, after = _paging(call, 100, 1000)
    store = call.ctx.store.groups
    ids = store.public_ids(limit + 1, after)
    groups = [store.get(i) for i in ids[:limit]]
    # `id` / `name` are what the Web SDK's getPublicGroups reads (rule `group-list-sdk-keys`)
    data = [{"owner": g.owner, "groupid": g.id, "affiliations": g.count, "groupname": g.name, "id": g.id,
             "name": g.name} for g in groups]
    extra = {"cursor": groups[-1].id} if len(ids) > limit else {}
    return call.ok("get", data=data, count=len(data), **extra)


def _paging(call: Call, default: int, maximum: int) -> tuple[int, str]:
    try:
        limit = int(call.query.get("limit", str(default)))
    except ValueError:
        raise invalid_parameter("limit must be an integer") from None
    return max(1, min(limit, maximum)), call.query.get("cursor", "")


def _joined(call: Call) -> list[Group]:
    username = call.arg("username").lower()
    if call.ctx.store.users.get(username) is None:
        raise user_missing(username)
    store = call.ctx.store.groups
    return [g for g in (store.get(i) for i in store.joined_by(username)) if g is not None]


@routes.get("/users/{username}/joined_chatgroups", auth=Auth.SELF)
async def joined_groups(call: Call):
    """The Web SDK's list: `data` in the old shape, `entities` in the new one."""
    groups = _joined(call)
    user = call.arg("username").lower()
    # `id`, `name`, `disabled`, `permission` are what the Web SDK's getJoinedGroups reads (rule `group-list-sdk-keys`)
    data = [{"groupid": g.id, "groupname": g.name, "id": g.id, "name": g.name, "disabled": g.disabled,
             "permission": g.role(user)} for g in groups]
    return call.ok("get", data=data, entities=[summary(g) for g in groups], count=len(groups))


@routes.get("/chatgroups/user/{username}", auth=Auth.SELF)
async def user_groups(call: Call):
    groups = _joined(call)
    try:
        size = max(1, min(int(call.query.get("pagesize", "5")), 20))
        page = max(0, int(call.query.get("pagenum", "0")))
    except ValueError:
        raise invalid_parameter("pagesize and pagenum must be integers") from None
    chosen = groups[page * size:(page + 1) * size]
    user = call.arg("username").lower()
    # the SDK's getJoinedGroups with needRole / needAffiliations reads `permission` and `affiliations_count`
    entities = [{**summary(g), "permission": g.role(user)} for g in chosen]
    return call.ok("get", entities=entities, total=len(groups), count=len(chosen))


@routes.get("/chatgroups/{group_id}/user/{username}/is_joined", auth=Auth.ANY)
async def is_joined(call: Call):
    group = existing_group(call)
    return call.ok("get", data=call.arg("username").lower() in group.members)


# -- update, owner transfer --------------------------------------------------------------------
@routes.put("/chatgroups/{group_id}", auth=Auth.ANY)
async def update(call: Call):
    group = existing_group(call)
    who = actor(call)
    body = await body_object(call)
    if "newowner" in body:
        return await _transfer(call, group, who, body["newowner"])
    unknown = [k for k in body if k not in UPDATABLE]
    if unknown:
        raise invalid_parameter(f"some of [{', '.join(unknown)}] are not valid fields")
    require_manager(group, who, "modify the group")
    changes = dict(_setting(field, value) for field, value in body.items())
    if changes.get("maxusers", group.maxusers) < group.count:
        raise too_many_members()
    ctx = call.ctx
    if changes:
        save_settings(ctx, group.id, **changes)
    ctx.events.emit("group.updated", group=group.id, by=who.operator, fields=sorted(changes))
    group_actions.to_everyone(ctx, group, Op.UPDATE, who,
                              event_ext={**{k: v for k, v in body.items()}, "last_modified": group.modified})
    return call.ok("put", data={field: True for field in body})


async def _transfer(call: Call, group: Group, who: Actor, new_owner: Any):
    require_owner(group, who, "transfer the ownership")
    if not isinstance(new_owner, str) or not new_owner:
        raise invalid_parameter("newowner must be provided")
    new_owner = new_owner.lower()
    if new_owner == group.owner:
        raise forbidden("new owner and old owner are the same")
    if new_owner not in group.members:
        raise forbidden(f"user: {new_owner} doesn't exist in group: {group.id}")
    ctx = call.ctx
    old = ctx.store.groups.transfer_owner(group.id, new_owner)
    ctx.events.emit("group.owner_changed", group=group.id, old=old, new=new_owner, by=who.operator)
    group_actions.to_everyone(ctx, group, Op.ASSIGN_OWNER, who, to=[new_owner])
    return call.ok("put", data={"newowner": True})


# -- destroy -----------------------------------------------------------------------------------
@routes.delete("/chatgroups/{group_id}", auth=Auth.ANY)
async def destroy(call: Call):
    group = existing_group(call)
    who = actor(call)
    require_owner(group, who, "destroy the group")
    group_actions.destroy(call.ctx, group, who)
    return call.ok("delete", data={"success": True, "groupid": group.id})


# -- announcement ------------------------------------------------------------------------------
@routes.get("/chatgroups/{group_id}/announcement", auth=Auth.ANY)
async def get_announcement(call: Call):
    group = existing_group(call)
    return call.ok("get", data={"announcement": group.announcement})


@routes.post("/chatgroups/{group_id}/announcement", auth=Auth.ANY)
async def set_announcement(call: Call):
    group = existing_group(call)
    who = actor(call)
    body = await body_object(call)
    text = body.get("announcement")
    if text is None:
        raise RestError(400, "illegal_argument", "announcement is null", "java.lang.IllegalArgumentException")
    if not isinstance(text, str):
        raise invalid_parameter("announcement must be a string")
    if len(text) > MAX_ANNOUNCEMENT:
        raise RestError(403, "FORBIDDEN", "announce info length exceeds limit!", "ForbiddenException")
    require_manager(group, who, "change the announcement")
    ctx = call.ctx
    save_settings(ctx, group.id, announcement=text)
    ctx.events.emit("group.announcement", group=group.id, by=who.operator, length=len(text))
    op = Op.UPDATE_ANNOUNCEMENT if text else Op.DELETE_ANNOUNCEMENT
    group_actions.to_everyone(ctx, group, op, who, reason=text)
    return call.ok("post", data={"id": group.id, "result": True})
