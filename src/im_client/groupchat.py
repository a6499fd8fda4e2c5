"""Group and thread messages over msync (docs/protocol/msync.md §4.2, §5.6).

    sent = alice.must_send_group_text(group_id, "hi all")
    alice.must_send_group_text(group_id, "psst", directed_users=["bob"])   # ROUTE_DIRECT
    alice.must_send_group_text(group_id, "now", online_only=True)          # ROUTE_ONLINE
    ack = mallory.send_group_text(group_id, "let me in")                   # bare form: the raw Ack
    bob.must_send_group_read_ack(received)                                 # READ_ACK to the group
    bob.must_send_group_channel_ack(group_id)                              # CHANNEL_ACK: all read
    alice.must_send_thread_text(thread_id, "in the thread")                # MessageBody.meta {"thread":{}}

Recall a group message with the shared `must_recall(sent)` (recall.py): a Sent of a group message
carries chat_type "groupchat".
"""
from __future__ import annotations

from typing import Any, Mapping

from . import messages as m
from .replies import Ack, Sent
from .session import Session

Body = m.Body
GROUPCHAT = "groupchat"


def group_meta(session: Session, group_id: str, body_type: int, content, *, ext: Mapping[str, Any] | None = None,
               online_only: bool = False, directed_users: list[str] | None = None, **kw: Any):
    routetype = m.ROUTE.ROUTE_ONLINE if online_only else None
    return m.chat_meta(session.appkey, session.name, group_id, body_type, content, GROUPCHAT, ext,
                       routetype=routetype, directed_users=directed_users, **kw)


class GroupChatMixin:
    """Group actions; mixed into Client on top of Session."""

    def _group_send(self: Session, group_id: str, body_type: int, content, **kw: Any) -> Ack:
        return self.send_meta(group_meta(self, group_id, body_type, content, **kw))

    def _group_must(self: Session, group_id: str, body_type: int, content, **kw: Any) -> Sent:
        meta = group_meta(self, group_id, body_type, content, **kw)
        return Sent.from_ack(self.must_send_meta(meta), meta, group_id, GROUPCHAT)

    # messages -----------------------------------------------------------------------------------
    def send_group_text(self, group_id: str, text: str, ext: Mapping[str, Any] | None = None, **kw: Any) -> Ack:
        """kw: online_only, directed_users, allow_group_ack."""
        return self._group_send(group_id, Body.GROUPCHAT, m.text_content(text), ext=ext, **kw)

    def must_send_group_text(self, group_id: str, text: str, ext: Mapping[str, Any] | None = None,
                             **kw: Any) -> Sent:
        return self._group_must(group_id, Body.GROUPCHAT, m.text_content(text), ext=ext, **kw)

    def send_group_custom(self, group_id: str, event: str, exts: Mapping[str, Any] | None = None,
                          **kw: Any) -> Ack:
        return self._group_send(group_id, Body.GROUPCHAT, m.custom_content(event, exts), **kw)

    def must_send_group_custom(self, group_id: str, event: str, exts: Mapping[str, Any] | None = None,
                               **kw: Any) -> Sent:
        return self._group_must(group_id, Body.GROUPCHAT, m.custom_content(event, exts), **kw)

    # read receipts ------------------------------------------------------------------------------
    def send_group_read_ack(self, message: m.Message, content: str | None = None) -> Ack:
        return self._group_send(message.to, Body.READ_ACK, None, ack_message_id=message.id,
                                allow_group_ack=True, ack_content=content)

    def must_send_group_read_ack(self, message: m.Message, content: str | None = None) -> Sent:
        return self._group_must(message.to, Body.READ_ACK, None, ack_message_id=message.id,
                                allow_group_ack=True, ack_content=content)

    def send_group_channel_ack(self, group_id: str) -> Ack:
        return self._group_send(group_id, Body.CHANNEL_ACK, None)

    def must_send_group_channel_ack(self, group_id: str) -> Sent:
        return self._group_must(group_id, Body.CHANNEL_ACK, None)

    # threads ------------------------------------------------------------------------------------
    def send_thread_text(self, thread_id: str, text: str, ext: Mapping[str, Any] | None = None,
                         **kw: Any) -> Ack:
        return self._group_send(thread_id, Body.GROUPCHAT, m.text_content(text), ext=ext,
                                body_meta={"thread": {}}, **kw)

    def must_send_thread_text(self, thread_id: str, text: str, ext: Mapping[str, Any] | None = None,
                              **kw: Any) -> Sent:
        return self._group_must(thread_id, Body.GROUPCHAT, m.text_content(text), ext=ext,
                                body_meta={"thread": {}}, **kw)
