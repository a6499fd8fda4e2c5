"""Invalid UTF-8 in a string field is malformed input (found by the fuzzer: the protobuf runtime
hands such fields over as bytes, and PROVISION crashed on them): a PB_PARSER_ERROR reply, and the
connection keeps working."""
from __future__ import annotations

import pytest

from selftest.fuzz.fuzz_links import CLIENTS, PW
from im_wire import ErrorCode, Reason, pb
from selftest.sandbox.sandbox_rest import Rest
from selftest.sandbox.sandbox_wire import PROVISION, SYNC, UNREAD, msync, user_jid
from selftest.fuzz.wire_strategies import ld, vi

pytestmark = pytest.mark.selftest

BAD = b"\xff\xfe"
META_ID = 777


def _bad_guid_provision(appkey: str, user: str) -> bytes:
    guid = ld(1, appkey.encode()) + ld(2, user.encode()) + ld(3, b"easemob.com")
    return vi(1, 0) + ld(2, guid) + ld(3, b"$t$" + BAD) + vi(8, PROVISION) + ld(9, pb.Provision(resource="r").SerializeToString())


def _chat_with_bad_text(appkey: str, to: str) -> bytes:
    body = vi(1, pb.MessageBody.CHAT) + ld(3, ld(2, to.encode())) + ld(4, vi(1, 0) + ld(2, b"hi " + BAD))
    meta = vi(1, META_ID) + ld(3, user_jid(appkey, to).SerializeToString()) + vi(5, pb.Meta.CHAT) + ld(6, body)
    return vi(8, SYNC) + ld(9, ld(1, meta))


def _pull_with_bad_queue(appkey: str) -> bytes:
    return vi(8, SYNC) + ld(9, ld(3, ld(1, appkey.encode()) + ld(2, BAD) + ld(3, b"easemob.com")))


@pytest.mark.parametrize("kind", ["tcp", "ws"])
def test_invalid_utf8_is_a_parser_error_not_a_crash(kind, fuzz_sandbox):
    info = fuzz_sandbox
    api = Rest(info)
    user, peer = api.create_user(), api.create_user()
    client = CLIENTS[kind](info)
    try:
        client.send_raw(_bad_guid_provision(info["appkey"], user))
        reply = client.expect(SYNC)
        assert (reply.status.errorCode, reply.status.reason) == (ErrorCode.PB_PARSER_ERROR, Reason.BAD_FRAME)
        client.provision(user, password=PW)
        client.send_raw(_chat_with_bad_text(info["appkey"], peer))
        ack = client.expect(SYNC)
        assert (ack.status.errorCode, ack.status.reason, ack.metaId) == (
            ErrorCode.PB_PARSER_ERROR, Reason.BAD_PAYLOAD, META_ID)
        client.send_raw(_pull_with_bad_queue(info["appkey"]))
        pulled = client.expect(SYNC)
        assert (pulled.status.errorCode, pulled.status.reason) == (ErrorCode.PB_PARSER_ERROR, Reason.BAD_PAYLOAD)
        client.send_raw(msync(UNREAD))
        assert client.expect(UNREAD).status.errorCode == ErrorCode.OK
        assert client.send_text(peer, "still fine").status.errorCode == ErrorCode.OK
    finally:
        client.close()
