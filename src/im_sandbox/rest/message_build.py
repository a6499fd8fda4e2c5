"""The REST send body (docs/protocol/rest.md §3.1) → MessageBody: validation, contents per type, typed ext.

Shared by every REST send path (`/messages/users`; groups and rooms parse with their own `max_to`):

    req = parse_send(await call.json(), max_to=600)          # raises RestError
    body = message_body(req, pb.MessageBody.CHAT, recipient)
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from im_wire import pb

from .envelope import RestError

Content = pb.MessageBody.Content
VT = pb.KeyValue
INT64_MIN, INT64_MAX = -(2 ** 63), 2 ** 63 - 1
CUSTOM_EVENT_RE = re.compile(r"[a-zA-Z0-9\-_/.]{1,32}")
MAX_CUSTOM_EXTS = 16
TYPES = ("txt", "cmd", "custom", "loc", "img", "audio", "video", "file")


def send_error(description: str, **extra: Any) -> RestError:
    return RestError(400, "message_send_error", description, "MessageSendException", **extra)


def too_large() -> RestError:
    return send_error("message is too large", error_code=14007)


@dataclass
class SendRequest:
    sender: str
    to: list[str]
    type: str
    body: dict
    ext: dict
    sync_device: bool
    online_only: bool

    @property
    def size(self) -> int:
        """What the size limit measures for REST sends: UTF-8 bytes of the JSON body and ext."""
        return len(_json_bytes(self.body)) + (len(_json_bytes(self.ext)) if self.ext else 0)


def _json_bytes(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def parse_send(raw: Any, max_to: int) -> SendRequest:
    if not isinstance(raw, dict):
        raise RestError(400, "invalid_request_body", "Request body is invalid. Please check body is correct.")
    sender = raw.get("from", "admin")
    if not isinstance(sender, str) or not sender:
        raise send_error("param from can't be empty")
    to = raw.get("to")
    if not to or not isinstance(to, list) or not all(isinstance(t, str) and t for t in to):
        raise send_error("param to can't be empty")
    if len(to) > max_to:
        raise send_error(f"params to's size can't exceed limit {max_to}")
    kind = raw.get("type")
    if not isinstance(kind, str) or not kind:
        raise send_error("param type can't be empty")
    if kind not in TYPES:
        raise send_error(f"param type {kind} is not supported")
    body = raw.get("body")
    if not isinstance(body, dict) or not body:
        raise send_error("param body can't be empty")
    ext = raw.get("ext", {})
    if not isinstance(ext, dict):
        raise send_error("param ext must be JSONObject")
    req = SendRequest(sender.lower(), [t.lower() for t in to], kind, body, ext, bool(raw.get("sync_device", False)),
                      raw.get("routetype") == "ROUTE_ONLINE")
    content(req)  # validates the type-specific fields now, before anything is delivered
    return req


def content(req: SendRequest) -> Content:
    b = req.body
    kind = req.type
    if kind == "txt":
        return Content(type=Content.TEXT, text=_required_str(b, "msg"))
    if kind == "cmd":
        return Content(type=Content.COMMAND, action=_required_str(b, "action"))
    if kind == "custom":
        return _custom(b)
    if kind == "loc":
        try:
            return Content(type=Content.LOCATION, latitude=float(b["lat"]), longitude=float(b["lng"]),
                           address=str(b.get("addr", "")))
        except (KeyError, TypeError, ValueError):
            raise send_error("param lat and lng must be numbers") from None
    files = {"img": Content.IMAGE, "audio": Content.VOICE, "video": Content.VIDEO, "file": Content.FILE}
    c = Content(type=files[kind], remotePath=_required_str(b, "url"))
    for field, attr in (("filename", "displayName"), ("secret", "secretKey"), ("thumb", "thumbnailRemotePath"),
                        ("thumb_secret", "thumbnailSecretKey")):
        if isinstance(b.get(field), str):
            setattr(c, attr, b[field])
    for field, attr in (("length", "duration"), ("file_length", "fileLength")):
        if isinstance(b.get(field), int) and not isinstance(b.get(field), bool):
            setattr(c, attr, b[field])
    size = b.get("size")
    if kind == "img" and isinstance(size, dict):
        c.size.width, c.size.height = float(size.get("width", 0)), float(size.get("height", 0))
    return c


def _custom(b: dict) -> Content:
    c = Content(type=Content.CUSTOM)
    event = b.get("customEvent")
    if event is not None:
        if not isinstance(event, str) or not CUSTOM_EVENT_RE.fullmatch(event):
            raise send_error("param customEvent is illegal")
        c.customEvent = event
    exts = b.get("customExts") or {}
    if not isinstance(exts, dict) or len(exts) > MAX_CUSTOM_EXTS or not all(isinstance(v, str) for v in exts.values()):
        raise send_error(f"param customExts must be a map of at most {MAX_CUSTOM_EXTS} strings")
    c.customExts.extend(pb.KeyValue(key=k, type=VT.STRING, stringValue=v) for k, v in exts.items())
    return c


def _required_str(b: dict, field: str) -> str:
    value = b.get(field)
    if not isinstance(value, str) or not value:
        raise send_error(f"param {field} can't be empty")
    return value


def ext_entries(ext: dict) -> list[pb.KeyValue]:
    """JSON ext → KeyValues, typed the way the Web SDK types JS values (docs/protocol/msync.md §1.4)."""
    out = []
    for key, value in ext.items():
        kv = pb.KeyValue(key=key)
        if value is None:
            continue
        if isinstance(value, bool):
            kv.type, kv.varintValue = VT.BOOL, int(value)
        elif isinstance(value, int) and INT64_MIN <= value <= INT64_MAX:
            kv.type, kv.varintValue = VT.INT, value
        elif isinstance(value, float):
            kv.type, kv.doubleValue = VT.DOUBLE, value
        elif isinstance(value, (dict, list)):
            kv.type, kv.stringValue = VT.JSON_STRING, _json_bytes(value).decode()
        else:
            kv.type, kv.stringValue = VT.STRING, str(value)
        out.append(kv)
    return out


def message_body(req: SendRequest, body_type: int, recipient: str) -> pb.MessageBody:
    body = pb.MessageBody(type=body_type, **{"from": pb.JID(name=req.sender)}, to=pb.JID(name=recipient))
    body.contents.append(content(req))
    body.ext.extend(ext_entries(req.ext))
    return body
