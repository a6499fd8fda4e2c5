"""RECALL over msync: the 1:1 handler, and the handler of any scope on the shared recall core
(domain/recall.py): check, remove the original, deliver the RECALL notice like a message."""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from im_wire import ErrorCode, Reason, pb

from ..domain.delivery import Target, deliver, rewrite, user_jid
from ..domain.recall import MSYNC_STATUS, ONE_TO_ONE, RecallScope, Refused, find_recallable, remove_original
from ..domain.results import MetaResult
from ..faults import seam
from ..ids import now_ms
from ..store import StoredMessage
from .dispatch import USER

if TYPE_CHECKING:
    from .context import Context
    from .connection import Connection

T = pb.MessageBody


def make_handler(scope: RecallScope) -> Callable[["Connection", pb.Meta, pb.MessageBody], MetaResult]:
    """The msync RECALL handler of one scope: check, remove, deliver the notice like a message."""

    def handle_recall(conn: "Connection", meta: pb.Meta, body: pb.MessageBody) -> MetaResult:
        ctx = conn.ctx
        if not body.ackMessageId:
            return MetaResult.fail(ErrorCode.WRONG_PARAMETER, Reason.BAD_PAYLOAD)
        try:
            original = find_recallable(ctx, body.ackMessageId, conn.user, meta.to.name.lower(), scope)
        except Refused as refused:
            ctx.events.emit("recall.refused", id=body.ackMessageId, by=conn.user, why=refused.why)
            return MetaResult.fail(*MSYNC_STATUS[refused.why])
        return recall_and_notify(ctx, conn, meta, original, scope)

    return handle_recall


@seam("recall.recall_and_notify")
def recall_and_notify(ctx: "Context", conn: "Connection", meta: pb.Meta, original: StoredMessage,
                      scope: RecallScope) -> MetaResult:
    """Remove the original, then deliver the RECALL notice to the conversation like a message."""
    remove_original(ctx, original, conn.user)
    server_id, ts = ctx.ids.next(), now_ms()
    to_jid = pb.JID()
    to_jid.CopyFrom(meta.to)
    to_jid.appKey = ctx.appkey
    to_jid.name = original.recipient
    to_jid.ClearField("clientResource")
    data = rewrite(meta, server_id, ts, user_jid(ctx.appkey, conn.user, conn.resource), to_jid)
    targets = notice_targets(ctx, scope, original, conn.user, conn.resource)
    deliver(ctx, StoredMessage(server_id, conn.user, conn.resource, original.recipient, T.RECALL, data, ts),
            targets)
    return MetaResult.ok(server_id, ts)


@seam("recall.notice_targets")
def notice_targets(ctx: "Context", scope: RecallScope, original: StoredMessage, recaller: str,
                   resource: str) -> list[Target]:
    """Every device the RECALL notice goes to: each device of each user concerned, online or not."""
    return scope.notice_targets(ctx, original, recaller, resource)


def install(ctx: "Context") -> None:
    ctx.dispatcher.chat_type(T.RECALL, make_handler(ONE_TO_ONE), scope=USER)
