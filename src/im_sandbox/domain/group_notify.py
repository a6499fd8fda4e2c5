"""Group and thread notifications: MUC metas (docs/protocol/msync.md §5.2) and NOTIFY `thread` items (§4.6).

Both go through the system queue (`{domain: "easemob.com"}` without a name) of every device of the
affected users, like the real server's MUC/ROSTER operations (docs/protocol/msync.md §1.3 Meta.to, §4.6): the
recipients of an invitation or an application are not members, so the group queue would be the
wrong place, and one queue for every operation keeps the order of operations intact.

One stored meta serves all recipients of one operation (Meta.to is the group's JID, not each
recipient's); MUCBody.from is the operator (`admin` for app-token calls).
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING, Iterable

from im_wire import CONFERENCE_DOMAIN, USER_DOMAIN, pb

from ..ids import now_ms
from ..store import StoredMessage
from .delivery import deliver
from .fanout import device_targets
from .queues import SYSTEM_QUEUE

if TYPE_CHECKING:
    from .services import Services

Op = pb.MUCBody
ADMIN = "admin"  # the operator of app-token (server-side) calls

# StoredMessage.chat_type of notifications (they are not MessageBody messages)
NOTIFICATION_TYPE = 0


def conference_jid(appkey: str, muc_id: str) -> pb.JID:
    return pb.JID(appKey=appkey, name=muc_id, domain=CONFERENCE_DOMAIN)


def _store_and_deliver(ctx: "Services", muc_id: str, operator: str, ns: int, payload: bytes,
                       recipients: Iterable[str], skip: tuple[str, str | None] | None) -> int:
    appkey = ctx.appkey
    server_id = ctx.ids.next()
    ts = now_ms()
    meta = pb.Meta(id=server_id, timestamp=ts, ns=ns, payload=payload,
                   to=conference_jid(appkey, muc_id), **{"from": pb.JID(appKey=appkey, name=operator,
                                                                       domain=USER_DOMAIN)})
    users = ctx.store.users
    # `admin` (an app-token operator) and deleted users have no queues
    known = [r for r in dict.fromkeys(recipients) if users.get(r) is not None]
    targets = device_targets(ctx, known, SYSTEM_QUEUE, skip=skip)
    if targets:
        deliver(ctx, StoredMessage(server_id, operator, None, muc_id, NOTIFICATION_TYPE,
                                   meta.SerializeToString(), ts), targets)
    return server_id


def muc(ctx: "Services", muc_id: str, operation: int, recipients: Iterable[str], *, operator: str,
        to: Iterable[str] = (), reason: str | None = None, name: str | None = None,
        member_count: int | None = None, members: Iterable[str] = (), ext: str | None = None,
        event_ext: dict | None = None, thread_parent: str | None = None,
        skip: tuple[str, str | None] | None = None) -> int:
    """One MUC meta about group (or thread) `muc_id` to every device of `recipients`."""
    appkey = ctx.appkey
    body = pb.MUCBody(mucId=conference_jid(appkey, muc_id), operation=operation,
                      **{"from": pb.JID(appKey=appkey, name=operator, domain=USER_DOMAIN)})
    for user in to:
        body.to.append(pb.JID(appKey=appkey, name=user, domain=USER_DOMAIN))
    if reason is not None:
        body.reason = reason
    if name is not None:
        body.mucName = name
    if member_count is not None:
        body.mucMemberCount = member_count
    body.members.extend(members)
    if ext is not None:
        body.ext = ext
    if event_ext is not None:
        body.eventInfo.ext = json.dumps(event_ext, separators=(",", ":"), ensure_ascii=False)
    if thread_parent is not None:
        body.isThread = True
        body.mucParentId.CopyFrom(conference_jid(appkey, thread_parent))
    return _store_and_deliver(ctx, muc_id, operator, pb.Meta.MUC, body.SerializeToString(), recipients, skip)


def thread_event(ctx: "Services", thread, operation: str, recipients: Iterable[str], *, operator: str,
                 skip: tuple[str, str | None] | None = None, last_message: dict | None = None) -> int:
    """NOTIFY `{"type":"thread","data":{operation, id, name, muc_parent_id, msg_parent_id, …}}`."""
    data = {"operation": operation, "id": thread.id, "name": thread.name, "muc_parent_id": thread.group_id,
            "msg_parent_id": thread.msg_id, "timestamp": now_ms(), "from": operator,
            "message_count": thread.message_count}
    if last_message is not None:
        data["last_message"] = last_message
    payload = json.dumps({"type": "thread", "data": data}, separators=(",", ":"), ensure_ascii=False).encode()
    return _store_and_deliver(ctx, thread.id, operator, pb.Meta.NOTIFY, payload, recipients, skip)
