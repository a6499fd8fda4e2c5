"""Building upstream metas and decoding downstream ones (docs/protocol/msync.md §4).

Builders return a `pb.Meta` ready for Session.send_meta(). Decoders turn a downstream Meta into
an inbox item: `Message` for the CHAT namespace, `Notice` for everything else.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Mapping

from .ext import Typed, decode_ext, encode_ext
from im_wire import pb
from im_wire.jid import CONFERENCE_DOMAIN, USER_DOMAIN, make_jid

Body = pb.MessageBody
Content = pb.MessageBody.Content
NS = pb.Meta.NameSpace

CHAT_TYPES = {"chat": Body.CHAT, "groupchat": Body.GROUPCHAT, "chatroom": Body.CHATROOM}
KIND_NAMES = {v: k.lower() for k, v in Body.Type.items()}
CONTENT_NAMES = {v: k.lower() for k, v in Content.Type.items()}
ROUTE = pb.Meta.RouteType


def domain_for(chat_type: str) -> str:
    return USER_DOMAIN if chat_type == "chat" else CONFERENCE_DOMAIN


def chat_meta(appkey: str, sender: str, to: str, body_type: int, content: Content | None,
              chat_type: str = "chat", ext: Mapping[str, Any] | None = None, *,
              ack_message_id: int | None = None, routetype: int | None = None,
              directed_users: list[str] | None = None, meta_ext: Mapping[str, Any] | None = None,
              body_meta: Mapping[str, Any] | None = None, allow_group_ack: bool | None = None,
              ack_content: str | None = None, to_resource: str | None = None) -> pb.Meta:
    """One upstream CHAT-namespace meta, laid out as the Web SDK lays it out (docs/protocol/msync.md §4.1–4.2)."""
    body = Body(type=body_type, **{"from": pb.JID(name=sender)}, to=pb.JID(name=to))
    body.contents.append(content if content is not None else Content())
    body.ext.extend(encode_ext(ext))
    if ack_message_id is not None:
        body.ackMessageId = ack_message_id
    if allow_group_ack is not None:
        body.msgConfig.allowGroupAck = allow_group_ack
    if ack_content is not None:
        body.ackContent = ack_content
    if body_meta is not None:
        body.meta = json.dumps(body_meta, separators=(",", ":"))
    meta = pb.Meta(to=make_jid(appkey, to, domain_for(chat_type), to_resource), ns=NS.CHAT,
                   payload=body.SerializeToString())
    meta.routetype = ROUTE.ROUTE_ALL if routetype is None else routetype
    if directed_users:
        meta.routetype = ROUTE.ROUTE_DIRECT
        meta.directedUsers.extend(directed_users)
    meta.ext.extend(encode_ext(meta_ext))
    return meta


def text_content(text: str) -> Content:
    return Content(type=Content.TEXT, text=text)


def command_content(action: str) -> Content:
    return Content(type=Content.COMMAND, action=action)


def custom_content(event: str, exts: Mapping[str, Any] | None = None) -> Content:
    content = Content(type=Content.CUSTOM, customEvent=event)
    content.customExts.extend(encode_ext(exts))
    return content


@dataclass
class Message:
    """A delivered CHAT-namespace meta (text, command, custom, acks, recall …)."""

    id: int                      # server message id (Meta.id)
    kind: str                    # chat | groupchat | chatroom | read_ack | deliver_ack | recall | channel_ack | edit
    sender: str                  # MessageBody.from.name (what the SDK shows)
    to: str                      # MessageBody.to.name
    timestamp: int
    queue: str                   # queue it was pulled from (jid text)
    content_type: str | None     # text | command | custom | image … (first content), None for acks
    text: str | None
    action: str | None
    custom_event: str | None
    custom_exts: dict[str, Typed]
    ext: dict[str, Typed]        # MessageBody.ext, typed
    meta_ext: dict[str, Typed]   # Meta.ext (chatroom_msg_tag, recallMessageExtensionInfo …)
    ack_message_id: int | None
    body_meta: dict[str, Any] | None
    from_resource: str
    meta: pb.Meta = field(repr=False)
    body: Body = field(repr=False)

    @property
    def ext_values(self) -> dict[str, Any]:
        return {k: v.value for k, v in self.ext.items()}

    def summary(self) -> str:
        what = self.text if self.text is not None else (self.action or self.custom_event or "")
        ack = f" ack={self.ack_message_id}" if self.ack_message_id else ""
        return f"{self.kind}/{self.content_type or '-'} {self.sender}->{self.to} id={self.id}{ack} {what!r:.60}"


@dataclass
class Notice:
    """A delivered meta of another namespace: MUC, NOTIFY, STATISTIC (kick), ROSTER …"""

    id: int
    ns: str
    queue: str
    timestamp: int
    payload: Any                 # decoded body: pb.MUCBody, pb.StatisticsBody, dict (NOTIFY JSON) …
    meta: pb.Meta = field(repr=False)

    def summary(self) -> str:
        text = str(self.payload).replace("\n", " ")
        return f"{self.ns} id={self.id} {text:.80}"


def decode_meta(meta: pb.Meta, queue: str) -> Message | Notice:
    if meta.ns == NS.CHAT:
        body = Body.FromString(meta.payload)
        first = body.contents[0] if body.contents else None
        ctype = CONTENT_NAMES.get(first.type) if first is not None and body.type in (
            Body.CHAT, Body.GROUPCHAT, Body.CHATROOM, Body.EDIT) else None
        try:
            body_meta = json.loads(body.meta) if body.HasField("meta") else None
        except ValueError:
            body_meta = {"raw": body.meta}
        return Message(
            id=meta.id, kind=KIND_NAMES.get(body.type, str(body.type)),
            sender=getattr(body, "from").name, to=body.to.name, timestamp=meta.timestamp, queue=queue,
            content_type=ctype,
            text=first.text if first is not None and first.HasField("text") else None,
            action=first.action if first is not None and first.HasField("action") else None,
            custom_event=first.customEvent if first is not None and first.HasField("customEvent") else None,
            custom_exts=decode_ext(first.customExts) if first is not None else {},
            ext=decode_ext(body.ext), meta_ext=decode_ext(meta.ext),
            ack_message_id=body.ackMessageId if body.HasField("ackMessageId") else None,
            body_meta=body_meta, from_resource=getattr(meta, "from").clientResource,
            meta=meta, body=body)
    ns_name = NS.Name(meta.ns) if meta.ns in NS.values() else str(meta.ns)
    payload: Any = meta.payload
    if meta.ns == NS.MUC:
        payload = pb.MUCBody.FromString(meta.payload)
    elif meta.ns == NS.STATISTIC:
        payload = pb.StatisticsBody.FromString(meta.payload)
    elif meta.ns == NS.ROSTER:
        payload = pb.RosterBody.FromString(meta.payload)
    elif meta.ns == NS.NOTIFY:
        try:
            payload = json.loads(meta.payload.decode())
        except ValueError:
            payload = meta.payload
    return Notice(id=meta.id, ns=ns_name, queue=queue, timestamp=meta.timestamp, payload=payload, meta=meta)
