"""Recall over msync (docs/protocol/msync.md §4.2): a RECALL body naming the message by its server id.

    alice.must_recall(sent)                      # Ack, or SendError with the server's status
    ack = bob.recall(received_message)           # bare form for negative tests
    alice.must_recall(sent, ext="changed my mind")   # Meta.ext recallMessageExtensionInfo
"""
from __future__ import annotations

from typing import Any

from . import messages as m
from .replies import Ack, Sent
from .session import Session

RECALL_EXT_KEY = "recallMessageExtensionInfo"
_CHAT_TYPE_OF_KIND = {"chat": "chat", "groupchat": "groupchat", "chatroom": "chatroom"}


def message_target(target: Any, to: str | None, chat_type: str | None, action: str) -> tuple[int, str, str]:
    """(server id, peer or conference, chat type) of the message an action is about. `target`: a
    Sent, a received Message, or a server id (then `to` is required); `to` and `chat_type` win."""
    if isinstance(target, Sent):
        msg_id, peer, kind = target.server_id, target.to, target.chat_type
    elif isinstance(target, m.Message):
        kind = _CHAT_TYPE_OF_KIND.get(target.kind, "chat")
        msg_id, peer = target.id, target.sender if kind == "chat" else target.to
    else:
        msg_id, peer, kind = int(target), to, chat_type or "chat"
    if to is not None:
        peer = to
    if chat_type is not None:
        kind = chat_type
    if peer is None:
        raise ValueError(f"{action} by id needs to=<peer or group id>")
    return msg_id, peer, kind


def _recall_meta(session: Session, target: Any, ext: str | None, to: str | None, chat_type: str | None):
    msg_id, peer, kind = message_target(target, to, chat_type, "recall")
    meta_ext = {RECALL_EXT_KEY: ext} if ext is not None else None
    return m.chat_meta(session.appkey, session.name, peer, m.Body.RECALL, None, kind,
                       ack_message_id=msg_id, meta_ext=meta_ext)


class RecallMixin:
    def recall(self: Session, target: Any, ext: str | None = None, *, to: str | None = None,
               chat_type: str | None = None) -> Ack:
        return self.send_meta(_recall_meta(self, target, ext, to, chat_type))

    def must_recall(self: Session, target: Any, ext: str | None = None, *, to: str | None = None,
                    chat_type: str | None = None) -> Ack:
        return self.must_send_meta(_recall_meta(self, target, ext, to, chat_type))
