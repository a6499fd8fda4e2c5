"""NOTIFY metas (docs/protocol/msync.md §4.6): JSON payloads such as reaction changes, delivered through the
queues like messages (system queue), so an offline device gets them when it logs in.

    deliver_notify(ctx, {"type": "reaction", "data": [...]}, ["bob"], sender="alice")
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING, Iterable

from im_wire import pb

from ..ids import now_ms
from ..store import PENDING, StoredMessage
from .delivery import Target, deliver, user_jid
from .queues import SYSTEM_QUEUE

if TYPE_CHECKING:
    from .services import Services

NOT_A_CHAT_MESSAGE = 0  # messages.chat_type of rows that are not CHAT metas (MessageBody NORMAL)


def notify_targets(ctx: "Services", users: Iterable[str]) -> list[Target]:
    """Every known device of each user (or the user's pending bucket), system queue."""
    targets: list[Target] = []
    for user in users:
        devices = ctx.store.devices.known(user) or (PENDING,)
        targets.extend((user, device, SYSTEM_QUEUE) for device in devices)
    return targets


def deliver_notify(ctx: "Services", payload: dict, users: list[str], sender: str = "admin",
                   skip: tuple[str, str] | None = None) -> int | None:
    """Queue one NOTIFY meta for every device of `users` but the `skip` (user, resource); returns its id
    (None when no device is left to tell)."""
    targets = [t for t in notify_targets(ctx, users) if skip is None or (t[0], t[1]) != skip]
    if not targets:
        return None
    server_id, ts = ctx.ids.next(), now_ms()
    meta = pb.Meta(id=server_id, timestamp=ts, ns=pb.Meta.NOTIFY,
                   payload=json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode())
    getattr(meta, "from").CopyFrom(user_jid(ctx.appkey, sender))
    if len(users) == 1:
        meta.to.CopyFrom(user_jid(ctx.appkey, users[0]))
    recipient = users[0] if users else ""
    deliver(ctx, StoredMessage(server_id, sender, None, recipient, NOT_A_CHAT_MESSAGE, meta.SerializeToString(), ts),
            targets)
    return server_id
