"""The CHAT namespace: MessageBody parsing, dispatch by MessageBody.type, 1:1 routing."""
from __future__ import annotations

from typing import TYPE_CHECKING

from google.protobuf.message import DecodeError

from im_wire import CONFERENCE_DOMAIN, USER_DOMAIN, ErrorCode, Reason, pb

from .. import reasons
from ..domain.chat import one_to_one_targets
from ..domain.contacts import send_refusal
from ..domain.conversations import channel_read
from ..domain.delivery import deliver, rewrite, user_jid
from ..domain.push import record_offline_push
from ..domain.results import MetaResult
from ..faults import seam
from ..ids import now_ms
from ..store import StoredMessage
from .dispatch import CONFERENCE, USER

if TYPE_CHECKING:
    from .context import Context
    from .connection import Connection

T = pb.MessageBody
TYPE_NAMES = {value: name for name, value in T.Type.items()}
# receipts that name the message they acknowledge in ackMessageId (docs/protocol/msync.md §4.2)
ACKS_OF_ONE_MESSAGE = frozenset({T.READ_ACK, T.DELIVER_ACK})


def handle_chat(conn: "Connection", meta: pb.Meta) -> MetaResult:
    try:
        body = T.FromString(meta.payload)
    except DecodeError:
        return MetaResult.fail(ErrorCode.PB_PARSER_ERROR, Reason.BAD_PAYLOAD)
    if not body.HasField("type") or body.type == T.NORMAL:
        return MetaResult.fail(ErrorCode.WRONG_PARAMETER, Reason.BAD_PAYLOAD)
    domain = meta.to.domain
    if domain in ("", USER_DOMAIN):
        scope = USER
    elif domain == CONFERENCE_DOMAIN:
        scope = CONFERENCE
    else:
        return MetaResult.fail(ErrorCode.WRONG_PARAMETER, Reason.BAD_PAYLOAD)
    handler = conn.ctx.dispatcher.chat_types.get((scope, body.type))
    if handler is None:
        name = T.Type.Name(body.type) if scope == USER else f"{T.Type.Name(body.type)} to {CONFERENCE_DOMAIN}"
        return MetaResult.fail(ErrorCode.FAIL, reasons.NOT_SUPPORTED.format(name))
    return handler(conn, meta, body)


def handle_one_to_one(conn: "Connection", meta: pb.Meta, body: pb.MessageBody) -> MetaResult:
    """CHAT, READ_ACK, DELIVER_ACK and CHANNEL_ACK between two users."""
    ctx = conn.ctx
    to = meta.to
    recipient = to.name.lower()
    if not recipient or ctx.store.users.get(recipient) is None:
        return MetaResult.fail(ErrorCode.FAIL, reasons.USER_NOT_EXIST.format(to.name))
    if body.type == T.CHAT:
        refusal = send_refusal(ctx, conn.user, recipient) or ctx.send_policy.check(conn.user, "chat", body)
        if refusal is not None:
            return refusal
    elif body.type in ACKS_OF_ONE_MESSAGE and not body.ackMessageId:
        return MetaResult.fail(ErrorCode.WRONG_PARAMETER, Reason.BAD_PAYLOAD)
    result = deliver_one_to_one(ctx, conn, meta, body, recipient)
    if body.type == T.CHANNEL_ACK:
        channel_read(ctx, conn.user, recipient)  # the sender read the whole conversation
    return result


@seam("chat.deliver")
def deliver_one_to_one(ctx: "Context", conn: "Connection", meta: pb.Meta, body: pb.MessageBody,
                       recipient: str) -> MetaResult:
    """Accept a checked 1:1 meta: store it, queue it for its targets, NOTICE the connected ones."""
    server_id = ctx.ids.next()
    ts = now_ms()
    appkey = ctx.appkey
    sender, sender_res = conn.user, conn.resource
    data = rewrite(meta, server_id, ts, user_jid(appkey, sender, sender_res), user_jid(appkey, recipient))
    online_only = meta.routetype == pb.Meta.ROUTE_ONLINE
    targets = one_to_one_targets(ctx, sender, sender_res, recipient, online_only)
    log_upstream(ctx, id=server_id, client_id=meta.id, sender=sender, resource=sender_res, to=recipient,
                 type=TYPE_NAMES.get(body.type, str(body.type)))
    deliver(ctx, StoredMessage(server_id, sender, sender_res, recipient, body.type, data, ts), targets)
    if body.type == T.CHAT and not online_only:
        record_offline_push(ctx, server_id, sender, recipient, body)
    return MetaResult.ok(server_id, ts)


@seam("chat.upstream_event")
def log_upstream(ctx: "Context", **fields) -> None:
    """`message.upstream`: a 1:1 meta was accepted."""
    ctx.events.emit("message.upstream", **fields)


def install(ctx: "Context") -> None:
    ctx.dispatcher.namespace(pb.Meta.CHAT, handle_chat)
    for msg_type in (T.CHAT, T.READ_ACK, T.DELIVER_ACK, T.CHANNEL_ACK):
        ctx.dispatcher.chat_type(msg_type, handle_one_to_one, scope=USER)
