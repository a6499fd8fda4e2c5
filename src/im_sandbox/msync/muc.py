"""The MUC namespace, shared by groups and chatrooms: MUCBody parsing and routing.

Clients send MUC items to the system queue (docs/protocol/msync.md §5.1); which feature answers depends on
`isChatroom` and the operation. Every feature registers its operations on the one router:

    muc.router(ctx).register(pb.MUCBody.JOIN, handle_join, chatroom=True)
    # handler(conn, meta, body) -> MetaResult

Whatever nobody registered answers FAIL "<OPERATION> (chatroom|group) is not supported ...".
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from google.protobuf.message import DecodeError

from im_wire import ErrorCode, Reason, pb

from .. import reasons
from ..domain.results import MetaResult

if TYPE_CHECKING:
    from .context import Context
    from .connection import Connection

MucHandler = Callable[["Connection", pb.Meta, pb.MUCBody], MetaResult]


class MucRouter:
    def __init__(self) -> None:
        self.handlers: dict[tuple[bool, int], MucHandler] = {}

    def register(self, operation: int, handler: MucHandler, *, chatroom: bool) -> None:
        key = (chatroom, operation)
        if key in self.handlers:
            name = pb.MUCBody.Operation.Name(operation)
            raise ValueError(f"MUC {name} (chatroom={chatroom}) already has a handler")
        self.handlers[key] = handler

    def __call__(self, conn: "Connection", meta: pb.Meta) -> MetaResult:
        try:
            body = pb.MUCBody.FromString(meta.payload)
        except DecodeError:
            return MetaResult.fail(ErrorCode.PB_PARSER_ERROR, Reason.BAD_PAYLOAD)
        if not body.HasField("operation") or not body.mucId.name:
            return MetaResult.fail(ErrorCode.WRONG_PARAMETER, Reason.BAD_PAYLOAD)
        handler = self.handlers.get((body.isChatroom, body.operation))
        if handler is None:
            what = f"MUC {pb.MUCBody.Operation.Name(body.operation)} ({'chatroom' if body.isChatroom else 'group'})"
            return MetaResult.fail(ErrorCode.FAIL, reasons.NOT_SUPPORTED.format(what))
        return handler(conn, meta, body)


def router(ctx: "Context") -> MucRouter:
    """The app's MUC router, installed on the MUC namespace the first time it is asked for."""
    existing = ctx.dispatcher.namespaces.get(pb.Meta.MUC)
    if isinstance(existing, MucRouter):
        return existing
    muc = MucRouter()
    ctx.dispatcher.namespace(pb.Meta.MUC, muc)  # raises if someone registered MUC without the router
    return muc
