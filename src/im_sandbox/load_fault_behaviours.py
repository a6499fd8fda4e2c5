"""Load-mode faults: deterministic loss, duplicates, unanswered sends and stalls in group fan-out,
so that a load cell's ledger can be shown to catch them (tests/load/test_ledger_catches_faults.py).

Their amounts are exact, not random, so a test can assert the figure the ledger must report. The
parameters come from the environment of the sandbox process (read when a fault first acts):

| variable | default | meaning |
|---|---|---|
| `IM_SANDBOX_LOAD_FAULT_N` | 50 | `load_drop_one_in_n` / `load_deliver_twice`: every N-th group delivery (one queue item of one member device); `load_presence_drop_one_in_n`: every N-th presence notice (one subscriber's) |
| `IM_SANDBOX_LOAD_FAULT_AFTER` | 0 | … counted only after the first D deliveries of the sandbox's life (the fault starts under load) |
| `IM_SANDBOX_LOAD_FAULT_ACKS` | 10 | `load_stop_acking`: group sends after the first K get no ack (and are not delivered) |
| `IM_SANDBOX_LOAD_FAULT_STALL_S` | 5 | `load_stall_fanout`: from the first group message on, fan-out waits S seconds (acks do not) |

So over T group deliveries `load_drop_one_in_n` drops exactly (T − D) // N of them, and
`load_deliver_twice` adds exactly as many second copies (a new message id, the same body).
"""
from __future__ import annotations

import dataclasses
import os
import weakref
from dataclasses import dataclass, field
from typing import Any

from im_wire import pb

from .domain.results import DEFERRED

ENV_N, ENV_AFTER = "IM_SANDBOX_LOAD_FAULT_N", "IM_SANDBOX_LOAD_FAULT_AFTER"
ENV_ACKS, ENV_STALL = "IM_SANDBOX_LOAD_FAULT_ACKS", "IM_SANDBOX_LOAD_FAULT_STALL_S"


@dataclass
class LoadFaultState:
    """Parameters and counters of one sandbox's load faults."""
    n: int = field(default_factory=lambda: max(1, int(os.environ.get(ENV_N, "50"))))
    after: int = field(default_factory=lambda: max(0, int(os.environ.get(ENV_AFTER, "0"))))
    acks: int = field(default_factory=lambda: max(0, int(os.environ.get(ENV_ACKS, "10"))))
    stall_s: float = field(default_factory=lambda: max(0.0, float(os.environ.get(ENV_STALL, "5"))))
    deliveries: int = 0
    submits: int = 0
    stall_until: float | None = None
    stalled: list[tuple[Any, Any, list]] = field(default_factory=list)

    def hit(self) -> bool:
        """Count one delivery; True for every N-th one after the first D."""
        self.deliveries += 1
        past = self.deliveries - self.after
        return past > 0 and past % self.n == 0


_STATES: "weakref.WeakKeyDictionary[Any, LoadFaultState]" = weakref.WeakKeyDictionary()


def _state(ctx: Any) -> LoadFaultState:
    faults = ctx.faults
    if faults not in _STATES:
        _STATES[faults] = LoadFaultState()
    return _STATES[faults]


def drop_one_in_n(real, ctx, msg, targets):
    state = _state(ctx)
    return real(ctx, msg, [t for t in targets if not state.hit()])


def deliver_twice(real, ctx, msg, targets):
    state = _state(ctx)
    twice = [t for t in targets if state.hit()]
    evicted = real(ctx, msg, targets)
    if twice:
        meta = pb.Meta.FromString(msg.meta)
        meta.id = ctx.ids.next()
        evicted += real(ctx, dataclasses.replace(msg, id=meta.id, meta=meta.SerializeToString()), twice)
    return evicted


def stop_acking(real, traffic, conn, meta_id, group, plan, commit):
    state = _state(traffic.ctx)
    state.submits += 1
    if state.submits > state.acks:
        return DEFERRED  # never answered, never delivered
    return real(traffic, conn, meta_id, group, plan, commit)


def stall_fanout(real, ctx, msg, targets):
    state = _state(ctx)
    now = ctx.loop.time()
    if state.stall_until is None:
        state.stall_until = now + state.stall_s
        ctx.loop.call_at(state.stall_until, _release, real, state)
    if now < state.stall_until or state.stalled:  # in order: nothing overtakes what waits
        state.stalled.append((ctx, msg, targets))
        return 0
    return real(ctx, msg, targets)


def _release(real, state: LoadFaultState) -> None:
    stalled, state.stalled = state.stalled, []
    for ctx, msg, targets in stalled:
        real(ctx, msg, targets)


def drop_presence_one_in_n(real, ctx, user, now):
    """presence.announce, minus every N-th notice (one subscriber's NOTIFY)."""
    from .domain.notify import deliver_notify
    from .domain.presence import presence_of

    state = _state(ctx)
    for subscriber, until in ctx.store.presence.subscribers(user, now):
        if not state.hit():
            payload = {"type": "presence", "data": {"values": [presence_of(ctx, user, until)]}}
            deliver_notify(ctx, payload, [subscriber], sender=user)


BEHAVIOURS = {
    "load_drop_one_in_n": {"fanout.deliver": drop_one_in_n},
    "load_deliver_twice": {"fanout.deliver": deliver_twice},
    "load_stop_acking": {"traffic.submit": stop_acking},
    "load_stall_fanout": {"fanout.deliver": stall_fanout},
    "load_presence_drop_one_in_n": {"presence.announce": drop_presence_one_in_n},
}
