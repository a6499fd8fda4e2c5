"""What the ack of an upstream meta carries, whichever feature answered it."""
from __future__ import annotations

from dataclasses import dataclass, field

from im_wire import ErrorCode


@dataclass(slots=True)
class MetaResult:
    """What the ack of an upstream meta carries."""

    code: int = ErrorCode.OK
    reason: str | None = None
    server_id: int | None = None
    timestamp: int | None = None
    metas: list[bytes] = field(default_factory=list)

    @classmethod
    def ok(cls, server_id: int, timestamp: int, metas: list[bytes] | None = None) -> "MetaResult":
        return cls(ErrorCode.OK, None, server_id, timestamp, metas or [])

    @classmethod
    def fail(cls, code: int, reason: str) -> "MetaResult":
        return cls(code, reason)


# returned by a handler that sends the ack itself later (traffic control, traffic.py)
DEFERRED = MetaResult(code=-1, reason="deferred")
