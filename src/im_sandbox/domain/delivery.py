"""Delivery: rewrite the envelope of an accepted meta, store it, queue it, NOTICE the devices.

Shared by every message kind (1:1 now; groups, rooms and threads later pass their own targets).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from im_wire import USER_DOMAIN, pb

from ..store import PENDING, StoredMessage

if TYPE_CHECKING:
    from .services import Services

Target = tuple[str, str, str]  # (owner user, device resource or PENDING, queue key)


def rewrite(meta: pb.Meta, server_id: int, timestamp: int, sender_jid: pb.JID, to_jid: pb.JID) -> bytes:
    """The downstream Meta: new id/timestamp/from/to; ns, payload bytes, ext, routetype kept."""
    out = pb.Meta()
    out.CopyFrom(meta)
    out.id = server_id
    out.timestamp = timestamp
    getattr(out, "from").CopyFrom(sender_jid)
    out.to.CopyFrom(to_jid)
    out.ClearField("meta")  # downstream-only annotations are the server's to set
    return out.SerializeToString()


def user_jid(appkey: str, name: str, resource: str | None = None) -> pb.JID:
    jid = pb.JID(appKey=appkey, name=name, domain=USER_DOMAIN)
    if resource:
        jid.clientResource = resource
    return jid


def deliver(ctx: "Services", msg: StoredMessage, targets: Iterable[Target]) -> None:
    """Store the message with one queue item per target, then NOTICE the connected targets.

    Event log: `message.offline` for a target that is not connected; `message.downstream` is
    written when a device pulls the message (sync.pull), online or after being offline.
    """
    targets = list(targets)
    ctx.store.messages.add(msg, targets)
    hub = ctx.hub
    emit = ctx.events.emit
    for owner, device, qkey in targets:
        conn = hub.device(owner, device) if device != PENDING else None
        if conn is not None:
            conn.notify(qkey)
        else:
            emit("message.offline", id=msg.id, owner=owner, device=device or None, queue=qkey)
