"""Handler registries: features plug in by registering a Meta namespace or a MessageBody type.

    ctx.dispatcher.namespace(pb.Meta.MUC, handle_muc)   # handler(conn, meta) -> MetaResult
    ctx.dispatcher.chat_type(pb.MessageBody.GROUPCHAT, handle, scope=CONFERENCE)
                                                        # handler(conn, meta, body) -> MetaResult

Message types are registered per scope, the domain of Meta.to: USER (`easemob.com`, 1:1) or
CONFERENCE (`conference.easemob.com`, groups/rooms/threads) — READ_ACK, RECALL, EDIT … exist in
both. Whatever nobody registered answers FAIL "<name> is not supported ...".
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

from im_wire import ErrorCode, pb

if TYPE_CHECKING:
    from .connection import Connection


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

USER = "user"
CONFERENCE = "conference"

NamespaceHandler = Callable[["Connection", pb.Meta], MetaResult]
ChatTypeHandler = Callable[["Connection", pb.Meta, pb.MessageBody], MetaResult]


class Dispatcher:
    def __init__(self) -> None:
        self.namespaces: dict[int, NamespaceHandler] = {}
        self.chat_types: dict[tuple[str, int], ChatTypeHandler] = {}

    def namespace(self, ns: int, handler: NamespaceHandler) -> None:
        if ns in self.namespaces:
            raise ValueError(f"namespace {pb.Meta.NameSpace.Name(ns)} already has a handler")
        self.namespaces[ns] = handler

    def chat_type(self, msg_type: int, handler: ChatTypeHandler, scope: str = USER) -> None:
        if scope not in (USER, CONFERENCE):
            raise ValueError(f"unknown scope {scope!r}")
        if (scope, msg_type) in self.chat_types:
            raise ValueError(f"message type {pb.MessageBody.Type.Name(msg_type)} ({scope}) already has a handler")
        self.chat_types[(scope, msg_type)] = handler
