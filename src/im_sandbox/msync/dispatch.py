"""Handler registries: features plug in by registering a command, a Meta namespace or a MessageBody type.

    ctx.dispatcher.command(SYNC, pb.CommSyncUL, sync.handle)   # handler(conn, frame, payload)
    ctx.dispatcher.namespace(pb.Meta.MUC, handle_muc)   # handler(conn, meta) -> MetaResult
    ctx.dispatcher.chat_type(pb.MessageBody.GROUPCHAT, handle, scope=CONFERENCE)
                                                        # handler(conn, meta, body) -> MetaResult

Message types are registered per scope, the domain of Meta.to: USER (`easemob.com`, 1:1) or
CONFERENCE (`conference.easemob.com`, groups/rooms/threads) — READ_ACK, RECALL, EDIT … exist in
both. Whatever nobody registered answers FAIL "<name> is not supported ...".
"""
from __future__ import annotations

from typing import Callable

from im_wire import pb

from ..domain.results import MetaResult

USER = "user"
CONFERENCE = "conference"

# handler(conn: Connection, meta) and handler(conn: Connection, meta, body); the connection is not
# named here, so that this module stays below msync/connection.py
NamespaceHandler = Callable[..., MetaResult]
ChatTypeHandler = Callable[..., MetaResult]
CommandHandler = Callable[..., None]  # handler(conn: Connection, frame: pb.MSync, decoded payload)


class Dispatcher:
    def __init__(self) -> None:
        # command -> (payload type, handler): the connection decodes and checks the payload once,
        # so handlers neither parse it again nor answer its decode errors themselves
        self.commands: dict[int, tuple[type, CommandHandler]] = {}
        self.namespaces: dict[int, NamespaceHandler] = {}
        self.chat_types: dict[tuple[str, int], ChatTypeHandler] = {}

    def command(self, command: int, payload_type: type, handler: CommandHandler) -> None:
        if command in self.commands:
            raise ValueError(f"command {pb.MSync.Command.Name(command)} already has a handler")
        self.commands[command] = (payload_type, handler)

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
