"""Presence (docs/protocol/rest.md §10.1 `/users/{u}/presence…`, docs/protocol/msync.md §4.6 NOTIFY `presence`).

A device publishes a status (an integer, 1 = online as the Web SDK's publishPresence sends it) and
an `ext` text; every user with a running subscription to the publisher gets a NOTIFY
`{"type": "presence", "data": {"values": [<presence of the publisher>]}}` on its system queue,
which the Web SDK turns into onPresenceStatusChange. A presence is
`{uid, last_time (s), expiry (s, the subscriber's end), ext (the latest published), status: {resource: "n"}}`.
Subscriptions end at `expiry` seconds after subscribing; an ended one is neither listed nor told.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..faults import seam
from ..ids import now_ms
from .notify import deliver_notify

if TYPE_CHECKING:
    from .services import Services

MAX_EXPIRY = 30 * 24 * 3600   # seconds (sandbox choice `presence-limits`)
MAX_TARGETS = 100             # users per subscribe or query call


def presence_of(ctx: "Services", user: str, until_ms: int = 0) -> dict:
    rows = ctx.store.presence.statuses(user)
    latest = rows[-1] if rows else None
    return {"uid": user, "last_time": str(latest[3] // 1000) if latest else "0",
            "expiry": str(until_ms // 1000), "ext": latest[2] if latest else "",
            "status": {resource: str(status) for resource, status, _, _ in rows}}


def publish(ctx: "Services", user: str, resource: str, status: int, ext: str) -> None:
    now = now_ms()
    ctx.store.presence.publish(user, resource, status, ext, now)
    ctx.events.emit("presence.published", user=user, resource=resource, status=status)
    announce(ctx, user, now)


@seam("presence.announce")
def announce(ctx: "Services", user: str, now: int) -> None:
    """Tell every running subscriber of `user` its new presence (one NOTIFY each: `expiry` is theirs)."""
    for subscriber, until in ctx.store.presence.subscribers(user, now):
        payload = {"type": "presence", "data": {"values": [presence_of(ctx, user, until)]}}
        deliver_notify(ctx, payload, [subscriber], sender=user)


def subscribe(ctx: "Services", subscriber: str, targets: list[str], expiry: int) -> list[dict]:
    until = now_ms() + expiry * 1000
    ctx.store.presence.subscribe(subscriber, targets, until)
    return [presence_of(ctx, t, until) for t in targets]
