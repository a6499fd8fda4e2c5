"""Room messages under traffic control: under downstream pressure low ones are shed first, then normal.

Room messages are pushed to the devices present, never pulled, so they take no tickets; the pool of
traffic control (domain/traffic.py) is still how the server measures downstream pressure, so a group
load that fills the pool also makes rooms shed. With `traffic_control_enabled`, and `pressure` the
share of the pool in use (`TrafficControl.pressure`):

| priority | shed while | why |
|---|---|---|
| low | pressure >= SHED_LOW_AT (half the pool in use) | yields before group messages must wait |
| normal | pressure >= SHED_NORMAL_AT (pool full, or a group message waits) | yields when they do |
| high | never (by traffic control) | the room's own budget (budget.py) still applies |

Nothing in flight is no pressure (a pool of 0 tickets sheds nothing while it is empty). Broadcasts
are not shed, as they skip the budget.

A shed message is treated like a budget drop: it is stored (history), acked OK with its server id,
not pushed, and logged as `message.dropped` with `reason` "traffic control: <priority> shed at <n>
of <max> tickets in use[, <w> group message(s) waiting]", `in_use`, `ticket_max` and `waiting`.
The real service drops room messages by priority (docs/protocol/rest.md §8.2) while the send still succeeds, as
for budget drops. FAIL "traffic control happened, retry later" (docs/protocol/msync.md §6.1, SDK 503) stays the
answer to a group message that waited for tickets in vain: a room message has nothing to wait for,
and refusing it would make clients resend just when the server sheds load.

Room pushes the transport has not written yet are not counted as pressure. Transports expose only
one byte total per connection (`buffered()`), shared by acks, NOTICEs, pull pages and pushes, and
including frames merely queued for the current loop iteration (a TCP write is flushed on the next
tick, WebSocket frames by a writer task), so a healthy burst into a big room would read as
pressure; telling which pushes are still unwritten would need per-frame write tracking in the
transports. Tickets end when a page is handed to the connection, not when the kernel takes it, so
such a count would also measure rooms by another yardstick than groups. A device that stops
reading is bounded by `max_outbound_bytes` instead (`connection.overflow`).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .budget import LOW, NORMAL

if TYPE_CHECKING:
    from ..traffic import TrafficControl

SHED_LOW_AT = 0.5  # share of the ticket pool in use from which low room messages are shed
SHED_NORMAL_AT = 1.0  # ... and normal ones (a full pool); high ones never
SHED_AT = {LOW: SHED_LOW_AT, NORMAL: SHED_NORMAL_AT}


def shed(traffic: "TrafficControl", priority: str) -> dict | None:
    """The fields of the `message.dropped` event when traffic control sheds a room message of
    `priority` now; None when it may be delivered."""
    threshold = SHED_AT.get(priority)
    if threshold is None:
        return None
    if traffic.pressure < threshold:
        return None
    reason = f"traffic control: {priority} shed at {traffic.in_use} of {traffic.ticket_max} tickets in use"
    if traffic.waiting:
        reason += f", {len(traffic.waiting)} group message(s) waiting"
    return {"reason": reason, "in_use": traffic.in_use, "ticket_max": traffic.ticket_max,
            "waiting": len(traffic.waiting)}
