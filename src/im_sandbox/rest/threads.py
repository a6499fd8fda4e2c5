"""Threads (docs/protocol/rest.md §5.3, docs/protocol/msync.md §5.6): create from a group message, join, leave, rename,
destroy, members, kick, lists, last messages. App setting `threads_enabled` switches the service.

Group members hear about a thread's create / rename / destroy / new messages through NOTIFY
`thread` items, the operator's other devices through MUC 33–38 (domain/thread_updates.py); a
kicked member gets MUC THREAD_KICK. Only group members can be in a thread; leaving the group
leaves its threads, and destroying the group destroys them.
"""
from __future__ import annotations

from typing import Any

from im_wire import pb

from ..domain import group_notify, thread_updates
from ..faults import seam
from ..ids import now_ms
from ..store.groups import Group
from ..store.threads import Thread
from .envelope import RestError
from .group_common import Actor, actor, body_object, invalid_parameter
from .routing import Auth, Call, RouteTable

routes = RouteTable()
Op = group_notify.Op

MAX_NAME = 64
MAX_BATCH = 10
MAX_LAST_MESSAGES = 20
PAGE = 50


@seam("threads.over_limit")
def over_limit(ctx, count: int, limit: int) -> bool:
    """A name length, batch size or id count past its documented limit: the limit itself is allowed."""
    return count > limit


@seam("threads.save_name")
def save_name(ctx, thread_id: str, name: str) -> None:
    ctx.store.threads.rename(thread_id, name)


def thread_error(status: int, description: str, code: int | None = None) -> RestError:
    extra = {"error_code": code} if code is not None else {}
    return RestError(status, "group_error", description, "ThreadException", **extra)


def _enabled(call: Call) -> None:
    if not call.ctx.app_config.get("threads_enabled"):
        raise thread_error(403, "thread not open.", 40000)


def existing_thread(call: Call) -> tuple[Thread, Group]:
    _enabled(call)
    ctx = call.ctx
    thread = ctx.store.threads.get(call.arg("thread_id"))
    group = ctx.store.groups.get(thread.group_id) if thread is not None else None
    if thread is None or group is None:
        raise thread_error(404, "thread not found.", 40011)
    return thread, group


def detail(thread: Thread) -> dict[str, Any]:
    return {"id": thread.id, "name": thread.name, "owner": thread.owner, "msgId": thread.msg_id,
            "groupId": thread.group_id, "affiliations_count": len(thread.members), "created": thread.created,
            "message_count": thread.message_count}


def _may_manage(thread: Thread, group: Group, who: Actor) -> bool:
    return who.is_app or who.user == thread.owner or group.is_manager(who.user)


def _no_permission(who: Actor, thread: Thread) -> RestError:
    return RestError(403, "forbidden_op", f"user: {who.user} has no permission on thread: {thread.id}",
                     "EasemobForbiddenOpException")


def _name(call: Call, value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise invalid_parameter("name must be provided")
    if over_limit(call.ctx, len(value), MAX_NAME):
        raise thread_error(400, "thread name limit reached.")
    return value


def _last_message(call: Call, thread: Thread) -> dict | None:
    if not thread.last_msg_id:
        return None
    stored = call.ctx.store.messages.get(thread.last_msg_id)
    return thread_updates.last_message(stored, thread) if stored is not None else None


# -- create, read, rename, destroy -------------------------------------------------------------
@routes.post("/thread", auth=Auth.ANY)
async def create(call: Call):
    _enabled(call)
    who = actor(call)
    body = await body_object(call)
    name = _name(call, body.get("name"))
    group_id, msg_id = str(body.get("group_id") or ""), str(body.get("msg_id") or "")
    owner = str(body.get("owner") or who.user or "").lower()
    if not who.is_app and owner != who.user:
        raise RestError(403, "forbidden_op", f"user: {who.user} can not create a thread for user: {owner}",
                        "EasemobForbiddenOpException")
    ctx = call.ctx
    group = ctx.store.groups.get(group_id)
    if group is None:
        raise thread_error(404, "group not found.")
    if owner not in group.members:
        raise thread_error(404, "user not in group.")
    parent = ctx.store.messages.get(int(msg_id)) if msg_id.isdigit() else None
    if parent is None or parent.chat_type != pb.MessageBody.GROUPCHAT:
        raise thread_error(404, "msg not exist.")
    if ctx.store.threads.get(parent.recipient) is not None:
        raise thread_error(400, "thread not nested.")
    if parent.recipient != group.id:
        raise thread_error(400, "msg not belong to group .")
    if ctx.store.threads.by_message(msg_id) is not None:
        raise thread_error(403, "msg already create thread.not allow to create.", 40003)
    now = now_ms()
    thread = ctx.store.threads.create(Thread(str(ctx.ids.next()), group.id, name, owner, msg_id, now, now))
    ctx.events.emit("thread.created", thread=thread.id, group=group.id, owner=owner, msg=msg_id)
    thread_updates.tell_group(ctx, thread, "create", group.members, who.user, who.skip)
    return call.ok("post", data={"thread_id": thread.id})


@routes.get("/thread/{thread_id}", auth=Auth.ANY)
async def get_thread(call: Call):
    thread, _ = existing_thread(call)
    return call.ok("get", data=detail(thread))


@routes.put("/thread/{thread_id}", auth=Auth.ANY)
async def rename(call: Call):
    thread, group = existing_thread(call)
    who = actor(call)
    if not _may_manage(thread, group, who):
        raise _no_permission(who, thread)
    name = _name(call, (await body_object(call)).get("name"))
    ctx = call.ctx
    save_name(ctx, thread.id, name)
    ctx.events.emit("thread.renamed", thread=thread.id, group=group.id, by=who.operator)
    thread_updates.tell_group(ctx, thread, "update", group.members, who.user, who.skip)
    return call.ok("put", data={"name": name})


@routes.delete("/thread/{thread_id}", auth=Auth.ANY)
async def destroy(call: Call):
    thread, group = existing_thread(call)
    who = actor(call)
    if not _may_manage(thread, group, who):
        raise _no_permission(who, thread)
    ctx = call.ctx
    ctx.store.threads.delete(thread.id)
    ctx.events.emit("thread.destroyed", thread=thread.id, group=group.id, by=who.operator)
    thread_updates.tell_group(ctx, thread, "delete", group.members, who.user, who.skip)
    return call.ok("delete", data={"status": "ok"})


def destroy_all(ctx, group: Group, who: Actor) -> None:
    """A destroyed group takes its threads with it (its DESTROY notification says enough)."""
    for thread_id in ctx.store.threads.ids_of_group(group.id):
        ctx.store.threads.delete(thread_id)
        ctx.events.emit("thread.destroyed", thread=thread_id, group=group.id, by=who.operator, with_group=True)


# -- members -----------------------------------------------------------------------------------
@routes.get("/thread/{thread_id}/users", auth=Auth.ANY)
async def members(call: Call):
    thread, group = existing_thread(call)
    who = actor(call)
    if not who.is_app and who.user not in group.members:
        raise thread_error(404, "user not in group.")
    names = list(thread.members)
    after = call.query.get("cursor", "")
    start = names.index(after) + 1 if after in thread.members else 0
    chosen = names[start:start + PAGE]
    properties = {"cursor": chosen[-1]} if start + PAGE < len(names) else {}
    return call.ok("get", data={"affiliations": chosen}, properties=properties)


def _join(call: Call, thread: Thread, group: Group, names: list[str], who: Actor) -> None:
    outsiders = [n for n in names if n not in group.members]
    if outsiders:
        raise thread_error(404, "user not in group.")
    call.ctx.store.threads.join(thread.id, names)
    call.ctx.events.emit("thread.joined", thread=thread.id, users=names, by=who.operator)


@routes.post("/thread/{thread_id}/user/{username}/join", auth=Auth.SELF)
async def join(call: Call):
    thread, group = existing_thread(call)
    who = actor(call)
    name = call.arg("username").lower()
    _join(call, thread, group, [name], who)
    thread_updates.own_devices(call.ctx, thread, "join", who.user, who.skip)
    return call.ok("post", data={"detail": detail(thread)})


@routes.post("/thread/{thread_id}/users", auth=Auth.ANY)
async def join_many(call: Call):
    thread, group = existing_thread(call)
    who = actor(call)
    if not _may_manage(thread, group, who):
        raise _no_permission(who, thread)
    names = _names(call, (await body_object(call)).get("usernames"))
    _join(call, thread, group, names, who)
    return call.ok("post", data={"status": "ok"})


def _names(call: Call, value: Any) -> list[str]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
        raise invalid_parameter("usernames must be provided")
    if over_limit(call.ctx, len(value), MAX_BATCH):
        raise thread_error(400, "request body reaches limit.")
    return list(dict.fromkeys(v.lower() for v in value))


@routes.delete("/thread/{thread_id}/user/{username}/quit", auth=Auth.SELF)
async def leave(call: Call):
    thread, _ = existing_thread(call)
    name = call.arg("username").lower()
    if name not in thread.members:
        raise thread_error(404, "user not in thread.")
    call.ctx.store.threads.leave(thread.id, [name])
    call.ctx.events.emit("thread.left", thread=thread.id, user=name)
    thread_updates.own_devices(call.ctx, thread, "leave", actor(call).user, actor(call).skip)
    return call.ok("delete", data={"result": True})


def _kick(call: Call, thread: Thread, group: Group, names: list[str], who: Actor) -> list[dict]:
    if not _may_manage(thread, group, who):
        raise _no_permission(who, thread)
    ctx = call.ctx
    results = []
    for name in names:
        present = name in thread.members and name != thread.owner
        if present:
            ctx.store.threads.leave(thread.id, [name])
            ctx.events.emit("thread.kicked", thread=thread.id, user=name, by=who.operator)
            group_notify.muc(ctx, thread.id, Op.THREAD_KICK, [name], operator=who.operator, to=[name],
                             name=thread.name, thread_parent=group.id, skip=who.skip)
        results.append({"result": present, "user": name})
    return results


@routes.delete("/thread/{thread_id}/users/{username}", auth=Auth.ANY)
async def kick_one(call: Call):
    thread, group = existing_thread(call)
    return call.ok("delete", data=_kick(call, thread, group, [call.arg("username").lower()], actor(call))[0])


@routes.delete("/thread/{thread_id}/users", auth=Auth.ANY)
async def kick_many(call: Call):
    thread, group = existing_thread(call)
    names = _names(call, (await body_object(call)).get("usernames"))
    return call.ok("delete", entities=_kick(call, thread, group, names, actor(call)))


# -- lists, last messages ----------------------------------------------------------------------
def _listing(call: Call, ids: list[str]):
    store = call.ctx.store.threads
    after = call.query.get("cursor", "")
    try:
        limit = max(1, min(int(call.query.get("limit", str(PAGE))), PAGE))
    except ValueError:
        raise invalid_parameter("limit must be an integer") from None
    if call.query.get("sort") == "desc":
        ids = ids[::-1]
    start = ids.index(after) + 1 if after in ids else 0
    chosen = [store.get(i) for i in ids[start:start + limit]]
    entities = [{"name": t.name, "owner": t.owner, "id": t.id, "msgId": t.msg_id, "groupId": t.group_id,
                 "created": t.created} for t in chosen if t is not None]
    properties = {"cursor": chosen[-1].id} if chosen and start + limit < len(ids) else {}
    return call.ok("get", entities=entities, properties=properties, count=len(entities))


@routes.get("/thread", auth=Auth.APP)
async def app_threads(call: Call):
    _enabled(call)
    ids = [r[0] for r in call.ctx.store.db.all("SELECT id FROM threads ORDER BY id")]
    return _listing(call, ids)


@routes.get("/threads/user/{username}", auth=Auth.SELF)
async def user_threads(call: Call):
    _enabled(call)
    return _listing(call, call.ctx.store.threads.ids_of_user(call.arg("username").lower()))


@routes.get("/threads/chatgroups/{group_id}/user/{username}", auth=Auth.SELF)
async def user_group_threads(call: Call):
    _enabled(call)
    return _listing(call, call.ctx.store.threads.ids_of_user(call.arg("username").lower(), call.arg("group_id")))


@routes.get("/threads/chatgroups/{group_id}", auth=Auth.ANY)
async def group_threads(call: Call):
    _enabled(call)
    group = call.ctx.store.groups.get(call.arg("group_id"))
    if group is None:
        raise thread_error(404, "group not found.")
    who = actor(call)
    if not who.is_app and who.user not in group.members:
        raise thread_error(404, "user not in group.")
    return _listing(call, call.ctx.store.threads.ids_of_group(group.id))


@routes.post("/thread/message", auth=Auth.ANY)
async def last_messages(call: Call):
    _enabled(call)
    ids = (await body_object(call)).get("threadIds")
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise invalid_parameter("threadIds must be a list of thread ids")
    if over_limit(call.ctx, len(ids), MAX_LAST_MESSAGES):
        raise thread_error(400, "query param reaches limit.")
    store = call.ctx.store.threads
    entities = []
    for thread_id in ids:
        thread = store.get(thread_id)
        if thread is not None:
            entities.append({"thread_id": thread.id, "last_message": _last_message(call, thread) or {}})
    return call.ok("post", entities=entities, count=len(entities))
