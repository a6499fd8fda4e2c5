"""What a session hands back: the server's answer to an upstream meta (Ack), a message it accepted
(Sent), a queue notice left to the test (QueueNotice), a status sent outside any ack (ServerError);
and the ids the client gives its upstream metas."""
from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field

from im_wire import pb
from im_wire.codes import ErrorCode

_meta_ids = itertools.count(int(time.time() * 1000) * 1000)


def next_meta_id() -> int:
    return next(_meta_ids)


@dataclass
class Ack:
    """The server's answer to one upstream meta (docs/protocol/msync.md §4.3)."""

    meta_id: int
    code: int
    reason: str
    server_id: int
    timestamp: int
    metas: list[pb.Meta] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.code == ErrorCode.OK


@dataclass
class Sent:
    """A message the server accepted: its ids and what was sent."""

    local_id: int
    server_id: int
    timestamp: int
    to: str
    chat_type: str
    meta: pb.Meta

    @classmethod
    def from_ack(cls, ack: Ack, meta: pb.Meta, to: str, chat_type: str) -> "Sent":
        return cls(ack.meta_id, ack.server_id, ack.timestamp, to, chat_type, meta)


@dataclass
class QueueNotice:
    """A NOTICE that a session with auto_pull=False did not act on: `queue` has new items."""

    name: str
    queue: pb.JID


@dataclass
class ServerError:
    """A status the server sent outside any ack (e.g. an answer to a malformed frame)."""

    code: int
    reason: str
    meta_id: int = 0

    def summary(self) -> str:
        return f"server status {self.code} {self.reason!r}"
