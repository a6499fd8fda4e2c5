"""One-to-one chat: text, command, custom messages and receipts (docs/protocol/msync.md §4.2).

Every action has a bare form returning the raw Ack (for negative tests) and a `must_` form that
raises SendError on a refusal and returns a `Sent`.
"""
from __future__ import annotations

from typing import Any, Mapping

from . import messages as m
from .replies import Ack, Sent
from .session import Session

Body = m.Body


class ChatMixin:
    """Chat actions; mixed into Client on top of Session."""

    def _chat(self: Session, to: str, body_type: int, content, chat_type: str = "chat", **kw: Any) -> tuple[Ack, Any]:
        meta = m.chat_meta(self.appkey, self.name, to, body_type, content, chat_type, **kw)
        return self.send_meta(meta), meta

    def _must(self: Session, to: str, body_type: int, content, chat_type: str = "chat", **kw: Any) -> Sent:
        meta = m.chat_meta(self.appkey, self.name, to, body_type, content, chat_type, **kw)
        ack = self.must_send_meta(meta)
        return Sent.from_ack(ack, meta, to, chat_type)

    # text -----------------------------------------------------------------------------------
    def send_text(self, to: str, text: str, ext: Mapping[str, Any] | None = None, **kw: Any) -> Ack:
        return self._chat(to, Body.CHAT, m.text_content(text), ext=ext, **kw)[0]

    def must_send_text(self, to: str, text: str, ext: Mapping[str, Any] | None = None, **kw: Any) -> Sent:
        return self._must(to, Body.CHAT, m.text_content(text), ext=ext, **kw)

    # command (passthrough) and custom ---------------------------------------------------------
    def send_command(self, to: str, action: str, ext: Mapping[str, Any] | None = None, **kw: Any) -> Ack:
        return self._chat(to, Body.CHAT, m.command_content(action), ext=ext, **kw)[0]

    def must_send_command(self, to: str, action: str, ext: Mapping[str, Any] | None = None, **kw: Any) -> Sent:
        return self._must(to, Body.CHAT, m.command_content(action), ext=ext, **kw)

    def send_custom(self, to: str, event: str, exts: Mapping[str, Any] | None = None,
                    ext: Mapping[str, Any] | None = None, **kw: Any) -> Ack:
        return self._chat(to, Body.CHAT, m.custom_content(event, exts), ext=ext, **kw)[0]

    def must_send_custom(self, to: str, event: str, exts: Mapping[str, Any] | None = None,
                         ext: Mapping[str, Any] | None = None, **kw: Any) -> Sent:
        return self._must(to, Body.CHAT, m.custom_content(event, exts), ext=ext, **kw)

    # receipts ---------------------------------------------------------------------------------
    def send_read_ack(self, message: m.Message) -> Ack:
        return self._chat(message.sender, Body.READ_ACK, None, ack_message_id=message.id)[0]

    def must_send_read_ack(self, message: m.Message) -> Sent:
        return self._must(message.sender, Body.READ_ACK, None, ack_message_id=message.id)

    def send_delivery_ack(self, message: m.Message) -> Ack:
        return self._chat(message.sender, Body.DELIVER_ACK, None, ack_message_id=message.id)[0]

    def must_send_delivery_ack(self, message: m.Message) -> Sent:
        return self._must(message.sender, Body.DELIVER_ACK, None, ack_message_id=message.id)

    def send_channel_ack(self, peer: str) -> Ack:
        return self._chat(peer, Body.CHANNEL_ACK, None)[0]

    def must_send_channel_ack(self, peer: str) -> Sent:
        return self._must(peer, Body.CHANNEL_ACK, None)
