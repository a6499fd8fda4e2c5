"""1:1 routing: where a message between two users goes (the queues of docs/protocol/msync.md §3.6).

The recipient's known devices get it in the queue named after the sender (its pending bucket while
it has no device); the sender's other known devices get a copy in `sender/<sending resource>`.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..faults import seam
from ..store import PENDING
from .delivery import Target
from .queues import user_queue

if TYPE_CHECKING:
    from .services import Services


@seam("chat.one_to_one_targets")
def one_to_one_targets(ctx: "Services", sender: str, sender_res: str, recipient: str,
                       online_only: bool) -> list[Target]:
    """Every known device of the recipient (queue = sender), or its pending bucket when it has
    none; plus the sender's other known devices (queue = sender/sending resource)."""
    hub = ctx.hub
    known = ctx.store.devices.known
    targets: list[Target] = []
    inbox = user_queue(sender)
    devices = known(recipient)
    if devices:
        for device in devices:
            if recipient == sender and device == sender_res:
                continue
            if online_only and hub.device(recipient, device) is None:
                continue
            targets.append((recipient, device, inbox))
    elif not online_only:
        targets.append((recipient, PENDING, inbox))
    if recipient != sender:
        copies = user_queue(sender, sender_res)
        for device in known(sender):
            if device == sender_res or (online_only and hub.device(sender, device) is None):
                continue
            targets.append((sender, device, copies))
    return targets
