"""TCP framing: split and coalesced reads, the frame size limit."""
import pytest

from im_wire.framing import FrameDecoder, FrameTooLarge, encode_frame

pytestmark = pytest.mark.selftest


def test_one_byte_at_a_time():
    bodies = [b"first", b"", b"x" * 1000]
    wire = b"".join(encode_frame(b) for b in bodies)
    decoder, out = FrameDecoder(), []
    for i in range(len(wire)):
        out += decoder.feed(wire[i:i + 1])
    assert out == bodies
    assert decoder.pending == 0


def test_coalesced_frames_in_one_read():
    bodies = [bytes([n]) * n for n in range(1, 50)]
    assert FrameDecoder().feed(b"".join(encode_frame(b) for b in bodies)) == bodies


def test_header_split_across_reads():
    wire = encode_frame(b"hello")
    decoder = FrameDecoder()
    assert decoder.feed(wire[:2]) == []
    assert decoder.feed(wire[2:6]) == []
    assert decoder.feed(wire[6:]) == [b"hello"]


def test_oversized_length_is_refused_before_buffering():
    decoder = FrameDecoder(limit=1024)
    with pytest.raises(FrameTooLarge) as info:
        decoder.feed((2048).to_bytes(4, "big") + b"abc")
    assert info.value.size == 2048


def test_encoder_enforces_the_limit():
    with pytest.raises(FrameTooLarge):
        encode_frame(b"x" * 11, limit=10)
    assert encode_frame(b"x" * 10, limit=10)[:4] == (10).to_bytes(4, "big")
