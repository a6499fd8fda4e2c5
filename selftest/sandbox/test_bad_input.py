"""Bad input never kills the server: exact error replies, the connection keeps working (until the
error budget is spent), other connections are served and stored messages stay deliverable."""
from __future__ import annotations

import logging
import socket
import struct

import pytest

from im_wire import MAX_FRAME_SIZE, ErrorCode, Reason, pb
from selftest.sandbox.sandbox_wire import LOGOUT, NOTICE, PROVISION, SYNC, UNREAD, TcpClient, WsClient, msync, start_sandbox, user_jid

pytestmark = pytest.mark.selftest

PW = "pw-123"
META_ID = 4242


def _sync_meta(meta: pb.Meta) -> bytes:
    return msync(SYNC, pb.CommSyncUL(meta=meta))


def _chat(appkey: str, to: str, body: bytes | pb.MessageBody, **kw) -> bytes:
    payload = body if isinstance(body, bytes) else body.SerializeToString()
    return _sync_meta(pb.Meta(id=META_ID, to=user_jid(appkey, to), ns=pb.Meta.CHAT, payload=payload, **kw))


# name: (needs provision, frame(appkey, peer) -> bytes, reply command, code, reason, metaId echoed)
CASES = {
    "sync_before_provision": (False, lambda k, p: _chat(k, p, pb.MessageBody(type=pb.MessageBody.CHAT)),
                              SYNC, ErrorCode.UNAUTHORIZED, Reason.NOT_PROVISIONED, META_ID),
    "pull_before_provision": (False, lambda k, p: msync(SYNC, pb.CommSyncUL(queue=user_jid(k, p))),
                              SYNC, ErrorCode.UNAUTHORIZED, Reason.NOT_PROVISIONED, None),
    "unread_before_provision": (False, lambda k, p: msync(UNREAD),
                                UNREAD, ErrorCode.UNAUTHORIZED, Reason.NOT_PROVISIONED, None),
    "logout_before_provision": (False, lambda k, p: msync(LOGOUT, pb.Logout()),
                                LOGOUT, ErrorCode.UNAUTHORIZED, Reason.NOT_PROVISIONED, None),
    "undecodable_msync": (True, lambda k, p: b"\xff\xff\xff\xff",
                          SYNC, ErrorCode.PB_PARSER_ERROR, Reason.BAD_FRAME, None),
    "truncated_msync": (True, lambda k, p: msync(SYNC, b"\x0a\x05ab")[:-1],
                        SYNC, ErrorCode.PB_PARSER_ERROR, Reason.BAD_FRAME, None),
    "unknown_command": (True, lambda k, p: bytes([0x40, 99, 0x4A, 0]),
                        SYNC, ErrorCode.UNKNOWN_COMMAND, Reason.UNKNOWN_COMMAND, None),
    "client_notice": (True, lambda k, p: msync(NOTICE, pb.CommNotice(queue=user_jid(k, p))),
                      SYNC, ErrorCode.UNKNOWN_COMMAND, Reason.UNKNOWN_COMMAND, None),
    "sync_payload_garbage": (True, lambda k, p: msync(SYNC, b"\xff\xff"),
                             SYNC, ErrorCode.PB_PARSER_ERROR, Reason.BAD_PAYLOAD, None),
    "sync_empty": (True, lambda k, p: msync(SYNC, pb.CommSyncUL()),
                   SYNC, ErrorCode.WRONG_PARAMETER, Reason.BAD_PAYLOAD, None),
    "unread_payload_garbage": (True, lambda k, p: msync(UNREAD, b"\xff\xff"),
                               UNREAD, ErrorCode.PB_PARSER_ERROR, Reason.BAD_PAYLOAD, None),
    "provision_payload_garbage": (False, lambda k, p: msync(PROVISION, b"\xff\xff", guid=user_jid(k, p)),
                                  PROVISION, ErrorCode.PB_PARSER_ERROR, Reason.BAD_PAYLOAD, None),
    "message_body_garbage": (True, lambda k, p: _chat(k, p, b"\xff\xff\xff"),
                             SYNC, ErrorCode.PB_PARSER_ERROR, Reason.BAD_PAYLOAD, META_ID),
    "message_type_normal": (True, lambda k, p: _chat(k, p, pb.MessageBody(type=pb.MessageBody.NORMAL)),
                            SYNC, ErrorCode.WRONG_PARAMETER, Reason.BAD_PAYLOAD, META_ID),
}


def _foreign_domain_frame(appkey: str, peer: str) -> bytes:
    body = pb.MessageBody(type=pb.MessageBody.CHAT).SerializeToString()
    return _sync_meta(pb.Meta(id=META_ID, to=pb.JID(name=peer, domain="example.org"), ns=pb.Meta.CHAT, payload=body))


def _unknown_ns_frame(appkey: str, peer: str) -> bytes:
    meta = pb.Meta(id=META_ID, to=user_jid(appkey, peer)).SerializeToString() + b"\x28\x63"  # ns = 99
    return msync(SYNC, pb.CommSyncUL.FromString(b"\x0a" + bytes([len(meta)]) + meta))


CASES["foreign_domain"] = (True, _foreign_domain_frame, SYNC, ErrorCode.WRONG_PARAMETER, Reason.BAD_PAYLOAD, META_ID)
CASES["unknown_namespace"] = (True, _unknown_ns_frame, SYNC, ErrorCode.WRONG_PARAMETER, Reason.BAD_PAYLOAD, META_ID)


@pytest.fixture
def world(api, connect):
    """A stored, undelivered message for `bob` from `alice`, to prove it survives the bad input."""
    alice, bob = api.create_user(), api.create_user()
    sender = connect()
    sender.provision(alice, password=PW)
    sid = sender.send_text(bob, "stored before").serverId
    sender.logout()
    return alice, bob, sid


def assert_still_serving(api, connect, world):
    alice, bob, sid = world
    # the stored message is still deliverable
    device = connect("ws")
    device.provision(bob, password=PW)
    (queue,) = device.unread().unread
    assert [m.id for m in device.drain(queue.queue)] == [sid]
    # and a brand-new pair of connections works end to end
    x, y = connect("tcp"), connect("ws")
    x.provision(api.create_user(), password=PW)
    y.provision(api.create_user(), password=PW)
    fresh = x.send_text(y.user, "after").serverId
    assert [m.id for m in y.drain(y.notice().queue)] == [fresh]


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_gets_an_error_reply(case, wire, api, connect, info, world):
    needs_provision, frame, command, code, reason, meta_id = CASES[case]
    victim = connect(wire)
    user = api.create_user()
    if needs_provision:
        victim.provision(user, password=PW)
    victim.send_raw(frame(info["appkey"], world[1]))
    reply = victim.recv()
    assert reply.command == command
    payload = {SYNC: pb.CommSyncDL, UNREAD: pb.CommUnreadDL, PROVISION: pb.Provision,
               LOGOUT: pb.Logout}[command].FromString(reply.payload)
    assert (payload.status.errorCode, payload.status.reason) == (code, reason)
    if command == SYNC:
        if meta_id is None:
            assert not payload.HasField("metaId")
            assert payload.isLast and payload.queue.domain == "easemob.com" and not payload.queue.name
        else:
            assert payload.metaId == meta_id and not payload.HasField("serverId")
    # the same connection keeps working
    if needs_provision:
        assert victim.unread().status.errorCode == ErrorCode.OK
    else:
        victim.provision(user, password=PW)
    assert_still_serving(api, connect, world)


def test_unsupported_message_types_fail_clearly(api, connect, info):
    client = connect()
    client.provision(api.create_user(), password=PW)
    peer = api.create_user()
    for msg_type in ("GROUPCHAT", "CHATROOM"):  # to a user: RECALL is tests/recall's, EDIT tests/chat's
        body = pb.MessageBody(type=pb.MessageBody.Type.Value(msg_type))
        ack = client.send_meta(pb.Meta(id=7, to=user_jid(info["appkey"], peer), ns=pb.Meta.CHAT,
                                       payload=body.SerializeToString()))
        assert ack.metaId == 7 and ack.status.errorCode == ErrorCode.FAIL
        assert msg_type in ack.status.reason and "not supported" in ack.status.reason
    ack = client.send_meta(pb.Meta(id=8, ns=pb.Meta.MUC))  # no MUCBody at all: no operation, no room
    assert (ack.status.errorCode, ack.status.reason) == (ErrorCode.WRONG_PARAMETER, "malformed payload")
    body = pb.MessageBody(type=pb.MessageBody.READ_ACK, ackMessageId=1)
    ack = client.send_meta(pb.Meta(id=9, to=pb.JID(name="123", domain="conference.easemob.com"), ns=pb.Meta.CHAT,
                                   payload=body.SerializeToString()))
    assert (ack.status.errorCode, ack.status.reason) == (ErrorCode.FAIL, "group not found")  # no such group


def test_unknown_recipient(api, connect):
    client = connect()
    client.provision(api.create_user(), password=PW)
    ack = client.send_meta(client.chat_meta("Nobody_Here"))
    assert (ack.status.errorCode, ack.status.reason) == (ErrorCode.FAIL, "username Nobody_Here doesn't exist!")
    assert client.unread().status.errorCode == ErrorCode.OK


def test_websocket_text_message_keeps_socket_open(api, connect, world):
    client = connect("ws")
    client.send_text_frame("hello?")
    dl = pb.CommSyncDL.FromString(client.recv().payload)
    assert (dl.status.errorCode, dl.status.reason) == (ErrorCode.PB_PARSER_ERROR, Reason.BAD_FRAME)
    client.provision(api.create_user(), password=PW)
    assert_still_serving(api, connect, world)


def test_websocket_alternative_path(api, connect):
    client = connect("ws", path="/ws")
    client.provision(api.create_user(), password=PW)
    assert client.unread().status.errorCode == ErrorCode.OK


def test_error_budget_closes_after_16_in_a_row(api, connect, wire, world):
    client = connect(wire)
    client.provision(api.create_user(), password=PW)
    for _ in range(15):
        client.send_raw(b"\xff")
        assert client.recv().command == SYNC
    assert client.unread().status.errorCode == ErrorCode.OK  # a good frame resets the count
    for _ in range(15):
        client.send_raw(b"\xff")
        client.recv()
    client.send_raw(b"\xff")
    frames = client.wait_closed()
    assert [pb.CommSyncDL.FromString(f.payload).status.reason for f in frames] == [Reason.BAD_FRAME]
    assert_still_serving(api, connect, world)


def test_oversized_tcp_frame(api, connect, world):
    client = connect("tcp")
    client.provision(api.create_user(), password=PW)
    # the peer keeps streaming after the bad header: the error must still arrive (no reset)
    client.send_bytes(struct.pack(">I", MAX_FRAME_SIZE + 1) + b"\x00" * (2 * 1024 * 1024))
    frames = client.wait_closed()
    assert len(frames) == 1
    dl = pb.CommSyncDL.FromString(frames[0].payload)
    assert (dl.status.errorCode, dl.status.reason) == (ErrorCode.PB_PARSER_ERROR, Reason.FRAME_TOO_LARGE)
    assert_still_serving(api, connect, world)


def test_oversized_websocket_message(api, connect, world):
    client = connect("ws")
    client.provision(api.create_user(), password=PW)
    # a binary frame announcing MAX_FRAME_SIZE + 1 bytes (the server rejects it on the header)
    header = bytes([0x82, 0x80 | 127]) + struct.pack(">Q", MAX_FRAME_SIZE + 1) + b"\x01\x02\x03\x04"
    client.ws.sock.sendall(header + b"\x00" * 4096)
    frames = client.wait_closed(10)
    assert client.close_status == 1009
    assert len(frames) == 1
    dl = pb.CommSyncDL.FromString(frames[0].payload)
    assert (dl.status.errorCode, dl.status.reason) == (ErrorCode.PB_PARSER_ERROR, Reason.FRAME_TOO_LARGE)
    assert_still_serving(api, connect, world)


def test_frames_split_and_coalesced_on_tcp(api, connect):
    from im_wire import encode_frame

    client = connect("tcp")
    user = api.create_user()
    prov = pb.Provision(resource="split")
    data = encode_frame(msync(PROVISION, prov, guid=user_jid(client.appkey, user), auth=PW))
    data += encode_frame(msync(UNREAD)) * 3
    for i in range(0, len(data), 7):  # byte dribble
        client.send_bytes(data[i:i + 7])
    assert client.expect(PROVISION).status.errorCode == ErrorCode.OK
    for _ in range(3):
        assert client.expect(UNREAD).status.errorCode == ErrorCode.OK


def test_handler_crash_becomes_fail_status(sandbox, api, connect, world):
    dispatcher = sandbox.sandbox.ctx.dispatcher
    edit = pb.MessageBody.GROUPCHAT  # to a user: a type with no handler of its own there

    def boom(conn, meta, body):
        raise RuntimeError("deliberate")

    sandbox.call(dispatcher.chat_type, edit, boom)
    try:
        client = connect()
        client.provision(api.create_user(), password=PW)
        ack = client.send_meta(client.chat_meta(world[1], msg_type=edit, meta_id=99))
        assert ack.metaId == 99 and ack.status.errorCode == ErrorCode.FAIL and ack.status.reason
        assert client.unread().status.errorCode == ErrorCode.OK
    finally:
        sandbox.call(dispatcher.chat_types.pop, ("user", edit))
    assert_still_serving(api, connect, world)


def test_idle_connections_are_closed(tmp_path_factory):
    handle = start_sandbox(tmp_path_factory.mktemp("idle"), idle_timeout=0.3)
    try:
        tcp, ws = TcpClient(handle.info), WsClient(handle.info)
        assert tcp.wait_closed(5) == [] and ws.wait_closed(5) == []
    finally:
        handle.stop()


def test_peer_reset_right_after_logout(api, connect, world, caplog):
    """The server closes a socket the peer has already reset: no error, nothing breaks."""
    user = api.create_user()
    for _ in range(20):
        client = connect("tcp")
        client.provision(user, password=PW, resource="reset")
        client.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        client.send_raw(msync(LOGOUT, pb.Logout()))
        client.close()  # RST instead of FIN
    assert_still_serving(api, connect, world)
    errors = [r for r in caplog.records if r.name.startswith("im_sandbox") and r.levelno >= logging.ERROR]
    assert not errors, errors[0].getMessage()


def test_tcp_close_survives_a_peer_that_is_already_gone():
    import asyncio

    from im_sandbox.msync.transports import _TcpTransport

    class GoneTransport:
        aborted = False

        def is_closing(self):
            return False

        def can_write_eof(self):
            return True

        def write(self, data):
            pass

        def write_eof(self):
            raise OSError(107, "Transport endpoint is not connected")

        def abort(self):
            self.aborted = True

    loop = asyncio.new_event_loop()
    try:
        gone = GoneTransport()
        tx = _TcpTransport(gone, loop)
        tx.send(b"last words")
        tx.close(1000)
        assert gone.aborted
    finally:
        loop.close()
