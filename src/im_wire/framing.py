"""TCP framing: a 4-byte big-endian unsigned length (excluding itself) followed by one MSync.

WebSocket needs no framing (one binary message = one MSync), so only TCP uses this module.
"""
from __future__ import annotations

import struct

MAX_FRAME_SIZE = 4 * 1024 * 1024
_LEN = struct.Struct(">I")


class FrameTooLarge(ValueError):
    def __init__(self, size: int, limit: int):
        super().__init__(f"frame of {size} bytes exceeds the {limit}-byte limit")
        self.size = size
        self.limit = limit


def encode_frame(body: bytes, limit: int = MAX_FRAME_SIZE) -> bytes:
    if len(body) > limit:
        raise FrameTooLarge(len(body), limit)
    return _LEN.pack(len(body)) + body


class FrameDecoder:
    """Incremental decoder: feed it whatever recv() returned, get back complete frame bodies.

    A length above the limit raises FrameTooLarge as soon as the header is seen, before any body
    is buffered, so a hostile peer cannot make us allocate its announced size.
    """

    def __init__(self, limit: int = MAX_FRAME_SIZE):
        self.limit = limit
        self._buf = bytearray()

    def feed(self, data: bytes) -> list[bytes]:
        self._buf += data
        frames: list[bytes] = []
        while len(self._buf) >= 4:
            (size,) = _LEN.unpack_from(self._buf)
            if size > self.limit:
                raise FrameTooLarge(size, self.limit)
            if len(self._buf) < 4 + size:
                break
            frames.append(bytes(self._buf[4 : 4 + size]))
            del self._buf[: 4 + size]
        return frames

    @property
    def pending(self) -> int:
        """Bytes held back waiting for the rest of a frame."""
        return len(self._buf)
