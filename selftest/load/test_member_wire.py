"""The bytes of the multiplex member engine (im_e2e.load.wire): the pull frames it splices by hand
are what the schema serializes, and both transport codecs survive any cut of the stream."""
import base64
import hashlib

import pytest

from im_e2e.load.wire import Pulls, StreamClosed, TcpCodec, WsCodec, WS_GUID, sync_frame
from im_wire import encode_frame, pb

pytestmark = pytest.mark.selftest

GROUP = pb.JID(appKey="org#app", name="g1", domain="conference.easemob.com")


def unmask(frame: bytes) -> tuple[int, bytes]:
    """What a server reads from one client frame: opcode and unmasked payload."""
    assert frame[1] & 0x80, "client frames are masked"
    n, pos = frame[1] & 0x7F, 2
    if n == 126:
        n, pos = int.from_bytes(frame[2:4], "big"), 4
    elif n == 127:
        n, pos = int.from_bytes(frame[2:10], "big"), 10
    mask, body = frame[pos:pos + 4], frame[pos + 4:pos + 4 + n]
    assert len(body) == n
    return frame[0] & 0x0F, bytes(b ^ mask[i % 4] for i, b in enumerate(body))


def server_frame(opcode: int, payload: bytes, fin: bool = True) -> bytes:
    n = len(payload)
    head = bytes([(0x80 if fin else 0) | opcode])
    head += bytes([n]) if n < 126 else bytes([126]) + n.to_bytes(2, "big") if n < 65536 \
        else bytes([127]) + n.to_bytes(8, "big")
    return head + payload


def upgraded(codec: WsCodec) -> WsCodec:
    key = next(line.split(": ")[1] for line in codec.handshake.decode().split("\r\n")
               if line.startswith("Sec-WebSocket-Key"))
    accept = base64.b64encode(hashlib.sha1(key.encode() + WS_GUID).digest()).decode()
    assert codec.feed(f"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                      f"Sec-WebSocket-Accept: {accept}\r\n\r\n".encode()) == []
    assert codec.open
    return codec


@pytest.mark.parametrize("key", [None, 1, 127, 128, 392677053607969272, 2**64 - 1])
def test_pull_frames_are_what_the_schema_serializes(key):
    pulls = Pulls(GROUP.SerializeToString())
    body = pulls.start if key is None else pulls.ack(key)
    ul = pb.CommSyncUL(queue=GROUP) if key is None else pb.CommSyncUL(queue=GROUP, key=key)
    expected = pb.MSync(command=pb.MSync.SYNC, encryptType=[pb.ENCRYPT_NONE], payload=ul.SerializeToString())
    assert pb.MSync.FromString(body) == expected
    assert body == sync_frame(ul.SerializeToString()) == expected.SerializeToString()


def test_tcp_frames_survive_any_cut_of_the_stream():
    bodies = [b"a" * n for n in (1, 5, 300, 70000)]
    stream = b"".join(encode_frame(b) for b in bodies)
    for cut in (1, 3, 4, 7, 1000):
        codec, got = TcpCodec(), []
        for start in range(0, len(stream), cut):
            got += codec.feed(stream[start:start + cut])
        assert got == bodies


def test_tcp_frame_over_the_limit_ends_the_stream():
    with pytest.raises(StreamClosed, match="exceeds"):
        TcpCodec(limit=10).feed(encode_frame(b"x" * 11))


def test_websocket_upgrade_asks_for_no_extension_and_checks_the_accept_key():
    codec = WsCodec("ws://127.0.0.1:5280/websocket")
    request = codec.handshake.decode()
    assert request.startswith("GET /websocket HTTP/1.1\r\n") and "Host: 127.0.0.1:5280" in request
    assert "Sec-WebSocket-Version: 13" in request and "Extensions" not in request
    with pytest.raises(StreamClosed, match="Accept"):
        codec.feed(b"HTTP/1.1 101 Switching Protocols\r\nSec-WebSocket-Accept: nope\r\n\r\n")
    with pytest.raises(StreamClosed, match="refused: HTTP/1.1 404"):
        WsCodec("ws://h/ws").feed(b"HTTP/1.1 404 Not Found\r\n\r\n")


def test_websocket_frames_right_after_the_upgrade_answer_are_read():
    codec = WsCodec("ws://h/ws")
    key = codec.handshake.split(b"Sec-WebSocket-Key: ")[1].split(b"\r\n")[0]
    accept = base64.b64encode(hashlib.sha1(key + WS_GUID).digest())
    answer = b"HTTP/1.1 101 Switching Protocols\r\nSec-WebSocket-Accept: " + accept + b"\r\n\r\n"
    assert codec.feed(answer + server_frame(0x2, b"first")) == [b"first"]


def test_websocket_client_frames_are_masked_binary_messages_of_any_length():
    codec = upgraded(WsCodec("ws://h/ws"))
    for n in (0, 1, 125, 126, 65535, 65536, 100_000):
        body = bytes(range(256)) * (n // 256) + bytes(range(n % 256))
        assert unmask(codec.encode(body)) == (0x2, body)


def test_websocket_server_messages_survive_any_cut_fragments_and_pings():
    stream = (server_frame(0x2, b"one") + server_frame(0x9, b"are you there") + server_frame(0x2, b"tw", fin=False)
              + server_frame(0x0, b"o") + server_frame(0x2, b"x" * 70000) + server_frame(0x2, b"y" * 300))
    for cut in (1, 2, 5, 1000, len(stream)):
        codec, got, replies = upgraded(WsCodec("ws://h/ws")), [], []
        for start in range(0, len(stream), cut):
            got += codec.feed(stream[start:start + cut])
            replies += codec.replies
            codec.replies.clear()
        assert got == [b"one", b"two", b"x" * 70000, b"y" * 300]
        assert [unmask(r) for r in replies] == [(0xA, b"are you there")]


def test_websocket_close_from_the_server_ends_the_stream_with_its_code():
    codec = upgraded(WsCodec("ws://h/ws"))
    with pytest.raises(StreamClosed, match="1008 policy"):
        codec.feed(server_frame(0x2, b"last") + server_frame(0x8, (1008).to_bytes(2, "big") + b"policy"))
    assert unmask(codec.close_frame()) == (0x8, (1000).to_bytes(2, "big"))


def test_websocket_urls_other_than_plain_ws_are_refused_with_the_way_out():
    with pytest.raises(ValueError, match="--member-engine gevent"):
        WsCodec("wss://example.com/websocket")
