"""SYNC: upstream metas (dispatched by namespace) and queue pulls (docs/protocol/msync.md §3.6, §4.3)."""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from google.protobuf.unknown_fields import UnknownFieldSet

from im_wire import MAX_FRAME_SIZE, ErrorCode, Reason, pb

from .. import reasons
from ..domain.queues import key_for_pull
from ..domain.results import DEFERRED, MetaResult
from ..faults import seam
from ..ids import now_ms
from . import replies
from .replies import SYNC

if TYPE_CHECKING:
    from .context import Context
    from .connection import Connection

log = logging.getLogger(__name__)

# leave room for the envelope the server adds, so every downstream frame fits MAX_FRAME_SIZE
MAX_META_BYTES = MAX_FRAME_SIZE - 64 * 1024
_NS_FIELD = pb.Meta.DESCRIPTOR.fields_by_name["ns"].number
BAD_INPUT_CODES = frozenset({ErrorCode.PB_PARSER_ERROR, ErrorCode.WRONG_PARAMETER})


def handle(conn: "Connection", msg: pb.MSync, ul: pb.CommSyncUL) -> None:
    has_meta = ul.HasField("meta")
    has_queue = ul.HasField("queue")
    if not has_meta and not has_queue:
        conn.protocol_error(SYNC, ErrorCode.WRONG_PARAMETER, Reason.BAD_PAYLOAD, "SYNC without meta or queue")
        return
    if has_meta:
        handle_meta(conn, ul.meta)
    if has_queue and not conn.closed:
        pull(conn, ul)


# -- upstream metas ---------------------------------------------------------------------------
def handle_meta(conn: "Connection", meta: pb.Meta) -> None:
    meta_id = meta.id if meta.HasField("id") else None
    try:
        result = dispatch_meta(conn, meta)
    except Exception:
        log.exception("unexpected error handling meta %s from %s", meta_id, conn.describe())
        result = MetaResult.fail(ErrorCode.FAIL, reasons.INTERNAL_ERROR)
    if result is DEFERRED:
        return
    if result.code in BAD_INPUT_CODES:
        conn.count_error(result.code, result.reason or "", f"meta {meta_id}")
    conn.ack(meta_id, result)
    if result.code in BAD_INPUT_CODES:
        conn.check_error_budget()


def dispatch_meta(conn: "Connection", meta: pb.Meta) -> MetaResult:
    if meta.HasField("ns"):
        ns = meta.ns
    elif any(f.field_number == _NS_FIELD for f in UnknownFieldSet(meta)):
        return MetaResult.fail(ErrorCode.WRONG_PARAMETER, Reason.BAD_PAYLOAD)
    else:
        ns = pb.Meta.STATISTIC  # proto2 default
    if meta.ByteSize() > MAX_META_BYTES:
        return MetaResult.fail(ErrorCode.PERMISSION_DENIED, Reason.DATA_TOO_LARGE)
    handler = conn.ctx.dispatcher.namespaces.get(ns)
    if handler is None:
        return MetaResult.fail(ErrorCode.FAIL, reasons.NOT_SUPPORTED.format(pb.Meta.NameSpace.Name(ns)))
    return handler(conn, meta)


def handle_statistic(conn: "Connection", meta: pb.Meta) -> MetaResult:
    """Client statistics (sent after every login): nothing to do but ack."""
    return MetaResult.ok(conn.ctx.ids.next(), now_ms())


# -- queue pulls ------------------------------------------------------------------------------
def pull(conn: "Connection", ul: pb.CommSyncUL) -> None:
    """Ack by key (drop items <= key), then the next page with nextKey, or isLast when empty."""
    ctx = conn.ctx
    qkey = key_for_pull(ul.queue, conn.user)
    if qkey is None:
        conn.protocol_error(SYNC, ErrorCode.WRONG_PARAMETER, Reason.BAD_PAYLOAD,
                            f"no queue in domain {ul.queue.domain!r}")
        return
    conn.notified.discard(qkey)
    messages = ctx.store.messages
    after = 0
    if ul.HasField("key"):
        after = ul.key
        removed = ack_items(ctx, conn.user, conn.resource, qkey, after)
        if removed:
            ctx.events.emit("message.ack", user=conn.user, resource=conn.resource, queue=qkey,
                            key=after, count=removed)
    config = ctx.config
    rows = messages.page(conn.user, conn.resource, qkey, after, config.page_size, config.page_bytes)
    if rows:
        metas = page_metas(ctx, rows)
        conn.send(replies.page(ul.queue, metas, rows[-1][0], now_ms()))
        ctx.traffic.release(conn.user, conn.resource, qkey, rows[-1][0])
        for msg_id, _ in rows:
            ctx.events.emit("message.downstream", id=msg_id, owner=conn.user, device=conn.resource, queue=qkey)
    else:
        conn.send(replies.drained(ul.queue, now_ms()))


@seam("sync.ack")
def ack_items(ctx: "Context", user: str, resource: str, qkey: str, key: int) -> int:
    """Ack by key: delete the device's items of the queue up to `key`; returns how many went."""
    return ctx.store.messages.ack(user, resource, qkey, key)


@seam("sync.page_metas")
def page_metas(ctx: "Context", rows: list[tuple[int, bytes]]) -> list[bytes]:
    """The metas of a pulled page, oldest first (the order of the queue)."""
    return [meta for _, meta in rows]


def install(ctx: "Context") -> None:
    ctx.dispatcher.command(SYNC, pb.CommSyncUL, handle)
    ctx.dispatcher.namespace(pb.Meta.STATISTIC, handle_statistic)
