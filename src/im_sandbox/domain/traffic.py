"""Downstream traffic control of group messages: a pool of `traffic_control_ticket_max` tickets.

A ticket is one downstream delivery in flight: a queue item created for a device that was connected
when the message was accepted, until the item is written to that device's connection (a pull page
that contains it) or the device disconnects (the item is then stored for pull like any offline
item). The device's acknowledgement is not waited for: the item stays in its queue until then, so
an unacknowledged item is never lost, and holding tickets until every member answers would let a
few slow devices throttle the whole service. Items for devices that are not connected take no
ticket: they are written to the store before the ack is sent, so no write is pending once a message
is acked.

A group message needs one ticket per connected target device. It is admitted when the pool has
room, or when the pool is empty (so a fan-out larger than the pool still passes, alone). Otherwise
it waits, FIFO behind earlier waiting messages (which keeps each group's order), at most
`traffic_control_timeout` ms; then it is refused with FAIL "traffic control happened, retry later"
(the real server's status for traffic control, docs/protocol/msync.md §6.1; PERMISSION_DENIED "traffic limit" is
the per-sender rate limit). A waiting message is not accepted yet: its ack is sent when it is admitted
or refused, and it is dropped without an ack only if its sender disconnects while waiting.
"""
from __future__ import annotations

import logging
from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from im_wire import ErrorCode, Reason

from .. import reasons
from ..faults import seam
from ..store import PENDING
from .delivery import Target
from .results import DEFERRED, MetaResult

if TYPE_CHECKING:
    from .devices import Device
    from .services import Services

log = logging.getLogger(__name__)

Key = tuple[str, str, str]  # (owner, device, queue key)
Plan = Callable[[], list[Target]]
Commit = Callable[[list[Target]], MetaResult]

TICK = 0.05  # s between checks for expired waiters and tickets of devices that went away


@dataclass(slots=True)
class Waiter:
    conn: "Device"
    meta_id: int | None
    group: str
    plan: Plan
    commit: Commit
    since: float
    deadline: float
    need: int = 0  # tickets it needed at its last attempt
    generation: int = -1  # the hub's generation at that attempt (same generation: same need)


class TrafficControl:
    def __init__(self, ctx: "Services"):
        self.ctx = ctx
        self.in_use = 0
        self.held: dict[Key, deque[int]] = {}
        self.waiting: deque[Waiter] = deque()
        self._tick = None
        self._drain_scheduled = False
        self._last_need = 0
        self._reclaimed_at = -1  # hub generation of the last reclaim

    @property
    def enabled(self) -> bool:
        return bool(self.ctx.app_config.get("traffic_control_enabled"))

    @property
    def ticket_max(self) -> int:
        return self.ctx.app_config.get("traffic_control_ticket_max")

    @property
    def pressure(self) -> float:
        """How full the pool is, for senders that shed load (chatrooms/shedding.py): tickets in use
        / ticket_max once tickets of devices that went away are let go, at least 1.0 while a message
        waits for tickets, 0.0 when traffic control is off or nothing is in flight."""
        if not self.enabled:
            return 0.0
        if self.in_use:
            self._reclaim()
        full = 1.0 if self.waiting else 0.0
        if not self.in_use:
            return full
        return max(full, self.in_use / self.ticket_max if self.ticket_max else float("inf"))

    # -- admission ------------------------------------------------------------------------------
    @seam("traffic.submit")
    def submit(self, conn: "Device", meta_id: int | None, group: str, plan: Plan,
               commit: Commit) -> MetaResult:
        """Accept now (the MetaResult of `commit`), or park the message and return DEFERRED."""
        if not self.enabled:
            return commit(plan())
        need, generation = 0, -1  # unknown until it is planned
        if not self.waiting:
            result = self._try(plan, commit)
            if result is not None:
                return result
            need, generation = self._last_need, self.ctx.hub.generation
        now = self.ctx.loop.time()
        timeout = self.ctx.app_config.get("traffic_control_timeout") / 1000
        self.waiting.append(Waiter(conn, meta_id, group, plan, commit, now, now + timeout, need, generation))
        self.ctx.events.emit("traffic.waiting", group=group, sender=conn.user, meta_id=meta_id,
                             in_use=self.in_use, waiting=len(self.waiting))
        if timeout <= 0:
            self._expire(now)
        self._ensure_tick()
        return DEFERRED

    def _try(self, plan: Plan, commit: Commit, waiter: Waiter | None = None) -> MetaResult | None:
        targets = plan()
        hub = self.ctx.hub
        live = [t for t in targets if t[1] != PENDING and hub.device(t[0], t[1]) is not None]
        self._last_need = len(live)
        if waiter is not None:
            waiter.need, waiter.generation = len(live), hub.generation
        # switched off while messages waited: they go through (the tickets held are still counted)
        if self.enabled and self.in_use and self.in_use + len(live) > self.ticket_max:
            self._reclaim()
            if self.in_use and self.in_use + len(live) > self.ticket_max:
                return None
        result = commit(targets)
        if result.code == ErrorCode.OK and result.server_id is not None:
            held = self.held
            for key in live:
                ids = held.get(key)
                if ids is None:
                    ids = held[key] = deque()
                ids.append(result.server_id)
            self.in_use += len(live)
        return result

    # -- release --------------------------------------------------------------------------------
    def release(self, owner: str, device: str, qkey: str, key: int) -> None:
        """The items of `qkey` up to `key` were written to the device."""
        ids = self.held.get((owner, device, qkey))
        if not ids:
            return
        freed = 0
        while ids and ids[0] <= key:
            ids.popleft()
            freed += 1
        if not ids:
            del self.held[(owner, device, qkey)]
        self.in_use -= freed
        if freed and self.waiting:
            self._schedule_drain()

    def _reclaim(self) -> None:
        """Tickets of devices that disconnected: their items are stored for pull now."""
        hub = self.ctx.hub
        if self._reclaimed_at == hub.generation:
            return
        self._reclaimed_at = hub.generation
        gone = [key for key in self.held if hub.device(key[0], key[1]) is None]
        for key in gone:
            self.in_use -= len(self.held.pop(key))

    # -- waiting messages -----------------------------------------------------------------------
    def _schedule_drain(self) -> None:
        if not self._drain_scheduled:
            self._drain_scheduled = True
            self.ctx.loop.call_soon(self._drain)

    def _drain(self, replan: bool = False) -> None:
        """Admit waiting messages in order while tickets allow. A head that did not fit last time
        is planned again only when enough tickets are free, or with `replan` when devices came or
        went since (its need may have changed)."""
        self._drain_scheduled = False
        while self.waiting:
            waiter = self.waiting[0]
            if waiter.conn.closed:
                self.waiting.popleft()
                self.ctx.events.emit("traffic.abandoned", group=waiter.group, sender=waiter.conn.user,
                                     meta_id=waiter.meta_id)
                continue
            stale = replan and waiter.generation != self.ctx.hub.generation
            if not stale and self.in_use and self.in_use + waiter.need > self.ticket_max and self.enabled:
                return
            try:
                result = self._try(waiter.plan, waiter.commit, waiter)
            except Exception:
                log.exception("admitting a waiting message of %s failed", waiter.conn.describe())
                result = MetaResult.fail(ErrorCode.FAIL, reasons.INTERNAL_ERROR)
            if result is None:
                return
            self.waiting.popleft()
            self.ctx.events.emit("traffic.admitted", group=waiter.group, sender=waiter.conn.user,
                                 meta_id=waiter.meta_id, id=result.server_id,
                                 waited_ms=round((self.ctx.loop.time() - waiter.since) * 1000))
            self._ack(waiter, result)

    def _expire(self, now: float) -> None:
        kept: deque[Waiter] = deque()
        for waiter in self.waiting:
            if waiter.deadline > now:
                kept.append(waiter)
                continue
            self._ack(waiter, self.expired(waiter, now))
        refused = len(kept) != len(self.waiting)
        self.waiting = kept
        if refused and kept:
            self._schedule_drain()

    @seam("traffic.expired")
    def expired(self, waiter: Waiter, now: float) -> MetaResult:
        """A message waited past `traffic_control_timeout`: refused, so that its sender retries."""
        self.ctx.events.emit("group.message_refused", group=waiter.group, sender=waiter.conn.user,
                             reason=Reason.TRAFFIC_CONTROL, meta_id=waiter.meta_id,
                             waited_ms=round((now - waiter.since) * 1000), in_use=self.in_use)
        return MetaResult.fail(ErrorCode.FAIL, Reason.TRAFFIC_CONTROL)

    def _ack(self, waiter: Waiter, result: MetaResult) -> None:
        waiter.conn.ack(waiter.meta_id, result)

    def _ensure_tick(self) -> None:
        if self._tick is None and self.waiting:
            self._tick = self.ctx.loop.call_later(TICK, self._on_tick)

    def _on_tick(self) -> None:
        self._tick = None
        if self.waiting:
            self._reclaim()
            self._drain(replan=True)
            self._expire(self.ctx.loop.time())
        self._ensure_tick()
