"""Malformed and misaddressed command frames over msync (docs/protocol/msync.md §4.2, §6.1): a CHAT-namespace
meta whose payload is not a MessageBody, whose MessageBody has no usable type, whose `to` names no user or a
domain that is neither the users' nor the conferences', or whose type has no handler where it is sent. Each
cell is answered with its exact code and reason, nothing reaches the addressee, and the connection keeps
serving: the next command arrives."""
import pytest

from im_client import ErrorCode, Reason, match
from im_client import messages as m
from im_wire import pb
from im_wire.jid import CONFERENCE_DOMAIN, USER_DOMAIN, make_jid

pytestmark = [pytest.mark.passthrough, pytest.mark.owner("caixiangyue")]

Body = m.Body
TYPE_FIELD = Body.DESCRIPTOR.fields_by_name["type"].number


def _meta(sender, to: str, payload: bytes, domain: str = USER_DOMAIN) -> pb.Meta:
    return pb.Meta(ns=pb.Meta.CHAT, to=make_jid(sender.appkey, to, domain), payload=payload)


def _command(sender, to: str, action: str, body_type: int | None = Body.CHAT, **fields) -> bytes:
    """A command MessageBody; body_type None leaves `type` unset."""
    body = Body(**{"from": pb.JID(name=sender.name)}, to=pb.JID(name=to), **fields)
    if body_type is not None:
        body.type = body_type
    body.contents.append(m.command_content(action))
    return body.SerializeToString()


def _type_number(number: int) -> bytes:
    """The `type` field on the wire with a value the enum does not have."""
    return bytes([TYPE_FIELD << 3, number])


def _unsupported(name: str) -> str:
    return f"{name} is not supported by the sandbox"


# name -> (the meta, given sender, recipient name and the cell's action; the expected (code, reason), where
# {to} stands for the recipient's name; the rule that chose the answer)
CELLS = {
    "payload-not-a-message-body": (
        lambda a, to, act: _meta(a, to, b"\xff\xff\xff"),
        (ErrorCode.PB_PARSER_ERROR, Reason.BAD_PAYLOAD), "bad-input-statuses"),
    "no-type": (
        lambda a, to, act: _meta(a, to, _command(a, to, act, None)),
        (ErrorCode.WRONG_PARAMETER, Reason.BAD_PAYLOAD), "chat-meta-refusals"),
    "type-normal": (
        lambda a, to, act: _meta(a, to, _command(a, to, act, Body.NORMAL)),
        (ErrorCode.WRONG_PARAMETER, Reason.BAD_PAYLOAD), "bad-input-statuses"),
    "type-not-in-the-enum": (
        lambda a, to, act: _meta(a, to, _command(a, to, act, None) + _type_number(42)),
        (ErrorCode.WRONG_PARAMETER, Reason.BAD_PAYLOAD), "chat-meta-refusals"),
    "domain-of-no-kind": (
        lambda a, to, act: _meta(a, to, _command(a, to, act), domain="example.com"),
        (ErrorCode.WRONG_PARAMETER, Reason.BAD_PAYLOAD), "chat-meta-refusals"),
    "unknown-recipient": (
        lambda a, to, act: _meta(a, to + "-nobody", _command(a, to + "-nobody", act)),
        (ErrorCode.FAIL, "username {to}-nobody doesn't exist!"), "unknown-recipient-reason"),
    "no-recipient": (
        lambda a, to, act: _meta(a, "", _command(a, "", act)),
        (ErrorCode.FAIL, "username  doesn't exist!"), "unknown-recipient-reason"),
    "groupchat-to-a-user": (
        lambda a, to, act: _meta(a, to, _command(a, to, act, Body.GROUPCHAT)),
        (ErrorCode.FAIL, _unsupported("GROUPCHAT")), "chat-meta-refusals"),
    "chatroom-to-a-user": (
        lambda a, to, act: _meta(a, to, _command(a, to, act, Body.CHATROOM)),
        (ErrorCode.FAIL, _unsupported("CHATROOM")), "chat-meta-refusals"),
    "chat-to-a-conference": (
        lambda a, to, act: _meta(a, to, _command(a, to, act), domain=CONFERENCE_DOMAIN),
        (ErrorCode.FAIL, _unsupported(f"CHAT to {CONFERENCE_DOMAIN}")), "chat-meta-refusals"),
    "deliver-ack-to-a-conference": (
        lambda a, to, act: _meta(a, to, _command(a, to, act, Body.DELIVER_ACK, ackMessageId=1),
                                 domain=CONFERENCE_DOMAIN),
        (ErrorCode.FAIL, _unsupported(f"DELIVER_ACK to {CONFERENCE_DOMAIN}")), "unsupported-features-fail"),
    "read-ack-without-ack-id": (
        lambda a, to, act: _meta(a, to, _command(a, to, act, Body.READ_ACK)),
        (ErrorCode.WRONG_PARAMETER, Reason.BAD_PAYLOAD), "receipts-need-ack-id"),
    "deliver-ack-without-ack-id": (
        lambda a, to, act: _meta(a, to, _command(a, to, act, Body.DELIVER_ACK)),
        (ErrorCode.WRONG_PARAMETER, Reason.BAD_PAYLOAD), "receipts-need-ack-id"),
}


@pytest.mark.parametrize("case", [pytest.param(name, marks=pytest.mark.rule(rule))
                                  for name, (_, _, rule) in CELLS.items()])
def test_a_malformed_or_misaddressed_command_is_refused_and_the_connection_serves_on(alice, bob, case):
    """The refusal carries its exact code and reason; bob gets nothing of it, and alice's next command arrives."""
    build, expected, _ = CELLS[case]
    code, reason = expected
    ack = alice.send_meta(build(alice, bob.name, case))
    assert (ack.code, ack.reason) == (code, reason.format(to=bob.name))
    after = alice.must_send_command(bob.name, "after_the_refusal")
    bob.wait_for(match.of(after))
    assert not bob.received(match.command(case))
    assert alice.ping().status.errorCode == ErrorCode.OK
