"""EDIT (docs/protocol/msync.md §4.2, §4.3, §4.5; docs/protocol/rest.md §3.5): a message's sender replaces its content.

The core, shared by the msync handlers (msync/edit.py) and the REST rewrite (rest/edit.py):

    original = find_editable(ctx, msg_id, editor, conversation, chat_type)   # raises EditRefused
    info = apply_edit(ctx, original, editor, content, ext)                    # the stored version

then the caller delivers the EDIT notice (`notice_body`) to the conversation like a message, and
acks with the NOTIFY meta `{"edit_msg": info}` the SDK needs to produce `modifiedInfo`.

The stored message itself is rewritten: its first content (and, with a new ext, its ext) replaced,
MessageBody.meta `edit_msg` {sender, send_time, chat_type, count, operator, edit_time} added. So
history and roaming return the edited body, and a receiver that pulls the original later gets
the edited version (then the notice). A recalled message is gone from `messages`, so it cannot be
edited. Text and custom messages may be edited, into the same kind (rule `edit-rules`), at most
MAX_EDITS times, by their sender only (REST: `user` omitted = the app admin, who may edit any).
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING

from im_wire import ErrorCode, Reason, pb

from ..ids import now_ms
from ..store import StoredMessage

if TYPE_CHECKING:
    from .services import Services

T = pb.MessageBody
Content = T.Content
CHAT_TYPE_NAMES = {T.CHAT: "chat:user", T.GROUPCHAT: "chat:group", T.CHATROOM: "chat:room"}
EDITABLE_CONTENTS = frozenset({Content.TEXT, Content.CUSTOM})
MAX_EDITS = 10  # docs/protocol/rest.md §3.5: at most 10 edits per message

NOT_FOUND, NOT_YOURS, FORMAT, LIMIT = "not_found", "not_yours", "format", "limit"
MSYNC_STATUS = {
    NOT_FOUND: (ErrorCode.FAIL, Reason.MESSAGE_NOT_EXIST),
    NOT_YOURS: (ErrorCode.FAIL, Reason.NO_PERMISSION),
    FORMAT: (ErrorCode.FAIL, Reason.FORMAT_INCORRECT),
    LIMIT: (ErrorCode.FAIL, Reason.EDIT_LIMIT),
}


class EditRefused(Exception):
    def __init__(self, why: str):
        super().__init__(why)
        self.why = why


def _body(original: StoredMessage) -> tuple[pb.Meta, pb.MessageBody]:
    meta = pb.Meta.FromString(original.meta)
    return meta, T.FromString(meta.payload)


def _annotations(body: pb.MessageBody) -> dict:
    try:
        found = json.loads(body.meta) if body.meta else {}
    except (ValueError, RecursionError):
        found = {}
    return found if isinstance(found, dict) else {}


def find_editable(ctx: "Services", msg_id: int, editor: str | None, conversation: str | None,
                  chat_type: int | None = None) -> StoredMessage:
    """The message `editor` (None = the app admin) may edit, or EditRefused(why).

    `conversation` is what the edit names (the peer, the group or room id; None: not checked)."""
    original = ctx.store.messages.get(msg_id) if msg_id else None
    if original is None or original.chat_type not in CHAT_TYPE_NAMES:
        raise EditRefused(NOT_FOUND)
    if chat_type is not None and original.chat_type != chat_type:
        raise EditRefused(NOT_FOUND)
    if conversation is not None and conversation not in (original.recipient, original.sender):
        raise EditRefused(NOT_FOUND)
    meta, body = _body(original)
    if meta.ns != pb.Meta.CHAT or not body.contents or body.contents[0].type not in EDITABLE_CONTENTS:
        raise EditRefused(FORMAT)
    if editor is not None and original.sender != editor:
        raise EditRefused(NOT_YOURS)
    return original


def apply_edit(ctx: "Services", original: StoredMessage, editor: str, content: pb.MessageBody.Content,
               ext: list[pb.KeyValue] | None) -> dict:
    """Store the edited version; returns its `edit_msg`. Raises EditRefused (FORMAT, LIMIT)."""
    meta, body = _body(original)
    if content.type != body.contents[0].type:
        raise EditRefused(FORMAT)
    notes = _annotations(body)
    count = int(notes.get("edit_msg", {}).get("count", 0)) + 1 if isinstance(notes.get("edit_msg"), dict) else 1
    if count > MAX_EDITS:
        raise EditRefused(LIMIT)
    info = {"sender": original.sender, "send_time": original.ts, "chat_type": CHAT_TYPE_NAMES[original.chat_type],
            "count": count, "operator": editor, "edit_time": now_ms()}
    del body.contents[:]
    body.contents.append(content)
    if ext is not None:
        del body.ext[:]
        body.ext.extend(ext)
    notes["edit_msg"] = info
    body.meta = json.dumps(notes, separators=(",", ":"), ensure_ascii=False)
    meta.payload = body.SerializeToString()
    ctx.store.messages.replace_meta(original.id, meta.SerializeToString())
    ctx.events.emit("message.edited", id=original.id, sender=original.sender, to=original.recipient, by=editor,
                    count=count)
    return info


def notice_body(original: StoredMessage, editor: str, content: pb.MessageBody.Content,
                ext: list[pb.KeyValue] | None, info: dict) -> pb.MessageBody:
    """The EDIT MessageBody receivers get (docs/protocol/msync.md §4.5: editMessageId, editScope, meta edit_msg)."""
    body = T(type=T.EDIT, editMessageId=original.id, editScope=T.BODY_AND_EXT if ext is not None else T.BODY,
             **{"from": pb.JID(name=editor)}, to=pb.JID(name=original.recipient))
    body.contents.append(content)
    if ext is not None:
        body.ext.extend(ext)
    body.meta = json.dumps({"edit_msg": info}, separators=(",", ":"), ensure_ascii=False)
    return body


def ack_meta(ctx: "Services", info: dict) -> bytes:
    """The NOTIFY meta of an EDIT ack: `{"edit_msg": info}` (docs/protocol/msync.md §4.3)."""
    return pb.Meta(id=ctx.ids.next(), timestamp=now_ms(), ns=pb.Meta.NOTIFY,
                   payload=json.dumps({"edit_msg": info}, separators=(",", ":")).encode()).SerializeToString()
