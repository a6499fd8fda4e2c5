"""Fan-out of one stored meta to many users: their devices as delivery targets, and the offline
limit of conference queues (app setting `group_offline_limit`).

The message and all its queue items go to the store in one `deliver()` call (one executemany);
devices that are not connected then have their queue trimmed to the newest N items, and every
evicted item is reported as a `message.evicted` event so that load checks can tell eviction from
loss.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from ..faults import seam
from ..store import PENDING, StoredMessage
from .delivery import Target, deliver

if TYPE_CHECKING:
    from .services import Services


def device_targets(ctx: "Services", users: Iterable[str], qkey: str, *, online_only: bool = False,
                   skip: tuple[str, str | None] | None = None) -> list[Target]:
    """Every known device of every user (the pending bucket of a user without one), minus the
    `skip` device; with `online_only`, connected devices only."""
    hub = ctx.hub
    known = ctx.store.devices.known
    targets: list[Target] = []
    append = targets.append
    for user in users:
        devices = known(user)
        if devices:
            for device in devices:
                if skip is not None and skip[0] == user and skip[1] == device:
                    continue
                if online_only and hub.device(user, device) is None:
                    continue
                append((user, device, qkey))
        elif not online_only:
            append((user, PENDING, qkey))
    return targets


@seam("fanout.deliver")
def deliver_limited(ctx: "Services", msg: StoredMessage, targets: list[Target]) -> int:
    """deliver(), then apply the offline limit to the targets that are not connected.
    Returns the number of evicted queue items."""
    deliver(ctx, msg, targets)
    limit = ctx.app_config.get("group_offline_limit")
    if limit <= 0:
        return 0
    hub = ctx.hub
    online, offline = [], []
    for target in targets:
        (offline if target[1] == PENDING or hub.device(target[0], target[1]) is None else online).append(target)
    limiter = ctx.store.offline_limit
    limiter.forget(online)
    if not offline:
        return 0
    evicted = limiter.enforce(offline, msg.id, limit)
    emit = ctx.events.emit
    total = 0
    for (owner, device, qkey), ids in evicted:
        total += len(ids)
        for msg_id in ids:
            emit("message.evicted", id=msg_id, owner=owner, device=device or None, queue=qkey,
                 reason="group_offline_limit")
    return total
