"""Identifiers: message ids (snowflake-style), tokens, uuids, clocks."""
from __future__ import annotations

import secrets
import time
import uuid

SEQUENCE_BITS = 22
TOKEN_PREFIX = "YWMt"


def now_ms() -> int:
    return time.time_ns() // 1_000_000


class IdGenerator:
    """Strictly increasing uint64 ids: `ms << 22 | sequence`.

    The sequence simply spills into the millisecond part when more than 4M ids are taken in one
    millisecond, and a clock going backwards never produces a smaller id. `floor` is the largest
    id already handed out (e.g. read back from the store after a restart).
    """

    __slots__ = ("_last",)

    def __init__(self, floor: int = 0):
        self._last = floor

    def next(self) -> int:
        candidate = (time.time_ns() // 1_000_000) << SEQUENCE_BITS
        last = self._last
        if candidate <= last:
            candidate = last + 1
        self._last = candidate
        return candidate

    @property
    def last(self) -> int:
        return self._last

    @staticmethod
    def timestamp_of(msg_id: int) -> int:
        return msg_id >> SEQUENCE_BITS


def new_token() -> str:
    """Opaque bearer token, shaped like Easemob's (`YWMt` + url-safe base64)."""
    return TOKEN_PREFIX + secrets.token_urlsafe(48)


def new_uuid() -> str:
    return str(uuid.uuid4())


def new_resource() -> str:
    return "sandbox_" + secrets.token_hex(6)
