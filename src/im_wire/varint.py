"""Protobuf base-128 varints, for the few hot paths that write frames by hand instead of through
the generated classes (the sandbox's pushes, the load generator's pulls)."""
from __future__ import annotations


def varint(n: int) -> bytes:
    """The varint encoding of a non-negative integer."""
    if n < 0x80:
        return bytes((n,))
    out = bytearray()
    while n > 0x7F:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)
