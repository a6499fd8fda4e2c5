"""Editing a sent message over msync (docs/protocol/msync.md §4.2 EDIT): the new content names the message by
its server id (`editMessageId`); the ack carries a NOTIFY meta `{"edit_msg": {...}}`.

    ack = alice.must_edit_text(sent, "fixed typo")            # Ack; ack.metas[0] is the edit_msg NOTIFY
    info = edit_info(ack)                                     # {"count", "operator", "edit_time", ...}
    ack = bob.edit_text(received, "not mine")                 # bare form for negative tests
    alice.must_edit_text(sent, "with ext", ext={"k": 1})     # editScope BODY_AND_EXT
"""
from __future__ import annotations

import json
from typing import Any, Mapping

from . import messages as m
from .recall import message_target
from .replies import Ack
from .session import Session

Body = m.Body


def _edit_meta(session: Session, target: Any, content: m.Content, ext: Mapping[str, Any] | None,
               to: str | None, chat_type: str | None):
    msg_id, peer, kind = message_target(target, to, chat_type, "edit")
    meta = m.chat_meta(session.appkey, session.name, peer, Body.EDIT, content, kind, ext)
    body = Body.FromString(meta.payload)
    body.editMessageId = msg_id
    body.editScope = Body.BODY_AND_EXT if ext else Body.BODY
    meta.payload = body.SerializeToString()
    return meta


def edit_info(ack: Ack) -> dict:
    """The `edit_msg` of an EDIT ack's NOTIFY meta (what the SDK turns into `modifiedInfo`)."""
    if not ack.metas:
        raise ValueError("the EDIT ack carries no metas")
    return json.loads(ack.metas[0].payload)["edit_msg"]


class EditMixin:
    def edit_text(self: Session, target: Any, text: str, ext: Mapping[str, Any] | None = None, *,
                  to: str | None = None, chat_type: str | None = None) -> Ack:
        return self.send_meta(_edit_meta(self, target, m.text_content(text), ext, to, chat_type))

    def must_edit_text(self: Session, target: Any, text: str, ext: Mapping[str, Any] | None = None, *,
                       to: str | None = None, chat_type: str | None = None) -> Ack:
        return self.must_send_meta(_edit_meta(self, target, m.text_content(text), ext, to, chat_type))

    def edit_custom(self: Session, target: Any, event: str, exts: Mapping[str, Any] | None = None, *,
                    to: str | None = None, chat_type: str | None = None) -> Ack:
        return self.send_meta(_edit_meta(self, target, m.custom_content(event, exts), None, to, chat_type))
