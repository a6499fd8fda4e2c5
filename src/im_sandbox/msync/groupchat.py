"""GROUPCHAT messages to groups and threads (docs/protocol/msync.md §4.2, §4.4, §5.6).

Checks in the real server's order: the group (or thread) exists, the sender is a member, is not
globally muted (`/mutes`, scope groupchat), not muted in the group, and mute-all lets it speak
(owner, admins, allow-list); then the shared send policy (size, sensitive words, rate).
Delivery: one stored meta, one queue item per device of every member in the group's (or
thread's) conference queue, NOTICE to connected devices, the offline limit for the
others. ROUTE_DIRECT reaches the directed members only; ROUTE_ONLINE only connected devices.
A thread message also tells the group NOTIFY `update_msg` (domain/thread_updates.py).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from im_wire import pb

from ..domain import thread_updates
from ..domain.delivery import rewrite, user_jid
from ..domain.fanout import deliver_limited, device_targets
from ..domain.group_notify import conference_jid
from ..domain.groups import membership_refusal, recipients_of, resolve, speak_refusal, thread_annotated, unshielded
from ..domain.push import record_group_offline_push
from ..domain.queues import conference_queue
from ..domain.results import MetaResult
from ..ids import now_ms
from ..store import StoredMessage
from .dispatch import CONFERENCE

if TYPE_CHECKING:
    from .context import Context
    from .connection import Connection

T = pb.MessageBody
ROUTE = pb.Meta


def handle_groupchat(conn: "Connection", meta: pb.Meta, body: pb.MessageBody) -> MetaResult:
    ctx = conn.ctx
    sender, sender_res = conn.user, conn.resource
    name = meta.to.name
    group, thread = resolve(ctx, name)
    refused = membership_refusal(group, thread, sender) or speak_refusal(ctx, group, sender)
    if refused is None:
        refused = ctx.send_policy.check(sender, "groupchat", body)
    if refused is not None:
        ctx.events.emit("group.message_refused", group=group.id if group else name, sender=sender,
                        reason=refused.reason)
        return refused
    members = thread.members if thread is not None else group.members
    route = meta.routetype
    recipients = unshielded(ctx, group, recipients_of(ctx, members, route, meta.directedUsers, sender), sender)
    if thread is not None:
        meta = thread_annotated(ctx, meta, body, thread)
    qkey = conference_queue(name)

    def plan() -> list:
        return device_targets(ctx, recipients, qkey, online_only=route == ROUTE.ROUTE_ONLINE,
                              skip=(sender, sender_res))

    def commit(targets: list) -> MetaResult:
        server_id = ctx.ids.next()
        ts = now_ms()
        appkey = ctx.appkey
        data = rewrite(meta, server_id, ts, user_jid(appkey, sender, sender_res), conference_jid(appkey, name))
        ctx.events.emit("message.upstream", id=server_id, client_id=meta.id, sender=sender, resource=sender_res,
                        to=name, type="GROUPCHAT", group=group.id, thread=thread.id if thread else None,
                        route=ROUTE.RouteType.Name(route), recipients=len(targets))
        stored = StoredMessage(server_id, sender, sender_res, name, T.GROUPCHAT, data, ts)
        deliver_limited(ctx, stored, targets)
        if thread is not None:
            ctx.store.threads.record_message(thread.id, server_id)
            thread_updates.message_posted(ctx, thread, list(group.members), stored, (sender, sender_res))
        elif route != ROUTE.ROUTE_ONLINE:
            record_group_offline_push(ctx, server_id, sender, group.id, recipients, body)
        return MetaResult.ok(server_id, ts)

    return ctx.traffic.submit(conn, meta.id if meta.HasField("id") else None, group.id, plan, commit)


def install(ctx: "Context") -> None:
    ctx.dispatcher.chat_type(T.GROUPCHAT, handle_groupchat, scope=CONFERENCE)
