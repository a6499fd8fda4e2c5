"""A stored message as the REST answers that carry messages show it (the conversation list's `meta`, the
pinned-message list's `message`): `{id, msg_id, from, to, timestamp, payload}` where `payload` is the JSON
text `{from, to, type, bodies: [...], ext}`, the shape the Web SDK parses (docs/protocol/rest.md §12)."""
from __future__ import annotations

import json
from typing import Any

from im_wire import pb

from ..store.roaming import CONFERENCE_SUFFIX

Body = pb.MessageBody
Content = Body.Content
VT = pb.KeyValue
CHAT_TYPES = {Body.CHAT: "chat", Body.GROUPCHAT: "groupchat", Body.CHATROOM: "chatroom"}
MEDIA = {Content.IMAGE: "img", Content.VIDEO: "video", Content.VOICE: "audio", Content.FILE: "file"}


def _value(kv: pb.KeyValue) -> Any:
    kind = kv.WhichOneof("value")
    if kind is None:
        return None
    value = getattr(kv, kind)
    if kv.type == VT.BOOL:
        return bool(value)
    if kv.type == VT.JSON_STRING:
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _body(c: pb.MessageBody.Content) -> dict:
    if c.type == Content.TEXT:
        return {"type": "txt", "msg": c.text}
    if c.type == Content.COMMAND:
        return {"type": "cmd", "action": c.action}
    if c.type == Content.CUSTOM:
        return {"type": "custom", "customEvent": c.customEvent,
                "customExts": [{kv.key: _value(kv)} for kv in c.customExts]}
    if c.type == Content.LOCATION:
        return {"type": "loc", "lat": c.latitude, "lng": c.longitude, "addr": c.address}
    out: dict = {"type": MEDIA.get(c.type, "txt"), "url": c.remotePath, "filename": c.displayName,
                 "secret": c.secretKey, "file_length": c.fileLength}
    if c.HasField("size"):
        out["size"] = {"width": c.size.width, "height": c.size.height}
    if c.HasField("duration"):
        out["length"] = c.duration
    return out


def message_json(meta_bytes: bytes) -> dict:
    """The REST form of one stored downstream Meta of the CHAT namespace."""
    meta = pb.Meta.FromString(meta_bytes)
    body = Body.FromString(meta.payload)
    sender = getattr(meta, "from").name
    to = meta.to.name + (CONFERENCE_SUFFIX if body.type == Body.GROUPCHAT else "")
    payload = {"from": sender, "to": meta.to.name, "type": CHAT_TYPES.get(body.type, "chat"),
               "bodies": [_body(c) for c in body.contents], "ext": {kv.key: _value(kv) for kv in body.ext}}
    return {"id": str(meta.id), "msg_id": str(meta.id), "from": sender, "to": to, "timestamp": meta.timestamp,
            "payload": json.dumps(payload, ensure_ascii=False, separators=(",", ":"))}
