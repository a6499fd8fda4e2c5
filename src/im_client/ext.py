"""Typed extension values (KeyValue, docs/protocol/msync.md §1.4).

Plain Python values are typed the way the Web SDK types JS values: bool → BOOL, int → INT,
float → DOUBLE, str → STRING, dict/list → JSON_STRING. `Typed` forces any other ValueType
(UINT, LLINT, FLOAT, ...) so every wire type can be exercised.
"""
from __future__ import annotations

import json
import struct
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from im_wire import pb

VT = pb.KeyValue.ValueType
BOOL, INT, UINT, LLINT, FLOAT, DOUBLE, STRING, JSON_STRING = (
    VT.BOOL, VT.INT, VT.UINT, VT.LLINT, VT.FLOAT, VT.DOUBLE, VT.STRING, VT.JSON_STRING)
VALUE_TYPE_NAMES = {v: k for k, v in VT.items()}


@dataclass(frozen=True)
class Typed:
    """A value with an explicit wire type, e.g. Typed(LLINT, 2**62) or Typed(FLOAT, 1.5)."""

    type: int
    value: Any

    def __repr__(self) -> str:
        return f"Typed({VALUE_TYPE_NAMES.get(self.type, self.type)}, {self.value!r})"


def as_float32(value: float) -> float:
    """The value a FLOAT KeyValue holds after the round trip through 32 bits."""
    return struct.unpack("<f", struct.pack("<f", value))[0]


def _infer(value: Any) -> Typed:
    if isinstance(value, Typed):
        return value
    if isinstance(value, bool):
        return Typed(BOOL, value)
    if isinstance(value, int):
        return Typed(INT, value)
    if isinstance(value, float):
        return Typed(DOUBLE, value)
    if isinstance(value, str):
        return Typed(STRING, value)
    if isinstance(value, (dict, list)):
        return Typed(JSON_STRING, value)
    raise TypeError(f"no ext type for {type(value).__name__}: {value!r}")


def encode_kv(key: str, value: Any) -> pb.KeyValue:
    typed = _infer(value)
    kv = pb.KeyValue(key=key, type=typed.type)
    t, v = typed.type, typed.value
    if t == BOOL:
        kv.varintValue = 1 if v else 0
    elif t in (INT, UINT, LLINT):
        kv.varintValue = int(v)
    elif t == FLOAT:
        kv.floatValue = float(v)
    elif t == DOUBLE:
        kv.doubleValue = float(v)
    elif t == STRING:
        kv.stringValue = str(v)
    elif t == JSON_STRING:
        kv.stringValue = v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, separators=(",", ":"))
    else:
        raise ValueError(f"unknown ValueType {t}")
    return kv


def encode_ext(ext: Mapping[str, Any] | None) -> list[pb.KeyValue]:
    return [encode_kv(k, v) for k, v in (ext or {}).items() if v is not None]


def decode_kv(kv: pb.KeyValue) -> Typed:
    """Decode one KeyValue into (type, python value). JSON_STRING values are parsed."""
    t = kv.type
    if t == BOOL:
        return Typed(t, kv.varintValue != 0)
    if t in (INT, UINT, LLINT):
        return Typed(t, kv.varintValue)
    if t == FLOAT:
        return Typed(t, kv.floatValue)
    if t == DOUBLE:
        return Typed(t, kv.doubleValue)
    if t == STRING:
        return Typed(t, kv.stringValue)
    if t == JSON_STRING:
        try:
            return Typed(t, json.loads(kv.stringValue))
        except ValueError:
            return Typed(t, kv.stringValue)
    return Typed(t, None)


def decode_ext(kvs: Iterable[pb.KeyValue]) -> dict[str, Typed]:
    return {kv.key: decode_kv(kv) for kv in kvs}
