"""Invalid UTF-8 in string fields, caught before any handler sees it.

proto2 `string` fields are UTF-8 by definition, but the Python protobuf runtime parses invalid
UTF-8 without complaint and hands the field back as `bytes` instead of `str`. A handler doing
`auth.startswith("$t$")` or a name lookup then fails with a TypeError. So a frame is checked once,
deeply (the MSync, its command payload, and an upstream Meta's body by namespace), and refused
like any other malformed input.
"""
from __future__ import annotations

from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import DecodeError, Message

from im_wire import pb

from .replies import SYNC

_STRING = FieldDescriptor.TYPE_STRING
_MESSAGE = FieldDescriptor.TYPE_MESSAGE
_BODIES = {pb.Meta.CHAT: pb.MessageBody, pb.Meta.MUC: pb.MUCBody, pb.Meta.ROSTER: pb.RosterBody,
           pb.Meta.STATISTIC: pb.StatisticsBody, pb.Meta.CONFERENCE: pb.ConferenceBody}


def has_bad_text(msg: Message) -> bool:
    """True if a string field anywhere in `msg` holds bytes that are not UTF-8."""
    for field, value in msg.ListFields():
        if field.type == _STRING:
            if any(isinstance(v, bytes) for v in value) if field.is_repeated else isinstance(value, bytes):
                return True
        elif field.type == _MESSAGE:
            if any(has_bad_text(v) for v in (value if field.is_repeated else (value,))):
                return True
    return False


def _parsed(cls, data: bytes) -> Message | None:
    try:
        return cls.FromString(data)
    except DecodeError:
        return None  # an undecodable body is the handler's to report


def payload_has_bad_text(command: int, payload: Message) -> bool:
    """Bad text in a decoded command payload or, for an upstream meta, in its body."""
    if has_bad_text(payload):
        return True
    if command != SYNC or not payload.HasField("meta"):
        return False
    meta = payload.meta
    if meta.ns == pb.Meta.NOTIFY:
        try:
            meta.payload.decode("utf-8")
        except UnicodeDecodeError:
            return True
        return False
    body_cls = _BODIES.get(meta.ns)
    body = _parsed(body_cls, meta.payload) if body_cls is not None else None
    return body is not None and has_bad_text(body)
