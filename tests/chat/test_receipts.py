"""Receipts (docs/protocol/msync.md §4.2, §4.5): delivery, read and channel acks reach the sender's devices
naming the acknowledged message in ackMessageId."""
import pytest

from im_client import ErrorCode, Reason, match
from im_client import messages as m

pytestmark = [pytest.mark.chat, pytest.mark.owner("caixiangyue")]


def test_delivery_ack_reaches_the_sender(alice, bob):
    """The receiver's delivery ack reaches the sender naming the delivered message."""
    sent = alice.must_send_text(bob.name, "did it arrive?")
    bob.must_send_delivery_ack(bob.wait_for(match.of(sent)))
    ack = alice.wait_for(match.ack_of("deliver_ack", sent))
    assert (ack.sender, ack.to, ack.ack_message_id) == (bob.name, alice.name, sent.server_id)


def test_read_ack_names_the_message_read(alice, bob):
    """A read ack names exactly the message that was read."""
    first = alice.must_send_text(bob.name, "one")
    second = alice.must_send_text(bob.name, "two")
    bob.must_send_read_ack(bob.wait_for(match.of(second)))
    ack = alice.wait_for(match.message("read_ack"))
    assert ack.ack_message_id == second.server_id != first.server_id


def test_channel_ack_marks_the_conversation_read(alice, bob):
    """A channel ack reaches the peer and names no single message."""
    sent = alice.must_send_text(bob.name, "read all of these")
    bob.wait_for(match.of(sent))
    bob.must_send_channel_ack(alice.name)
    ack = alice.wait_for(match.message("channel_ack"))
    assert (ack.sender, ack.to, ack.ack_message_id) == (bob.name, alice.name, None)


@pytest.mark.rule("receipts-need-ack-id")
def test_receipts_reach_every_device_of_both_users(make_user, transport):
    """The sender's phone and laptop see bob's read ack; bob's other device learns he read it."""
    alice, bob = make_user("alice"), make_user("bob")
    phone, laptop = alice.login(transport, resource="py_phone"), alice.login(transport, resource="py_laptop")
    reader, other = bob.login(transport, resource="py_phone"), bob.login(transport, resource="py_laptop")
    sent = phone.must_send_text(bob.name, "read me anywhere")
    reader.must_send_read_ack(reader.wait_for(match.of(sent)))
    for device in (phone, laptop, other):
        device.wait_for(match.ack_of("read_ack", sent))


def test_offline_sender_gets_receipts_on_login(make_user, login, transport):
    """Receipts for a sender who went offline arrive on its next login."""
    alice, bob = make_user("alice"), login("bob")
    phone = alice.login(transport, resource="py_phone")
    sent = phone.must_send_text(bob.name, "reply while I'm away")
    phone.close()
    got = bob.wait_for(match.of(sent))
    bob.must_send_delivery_ack(got)
    bob.must_send_read_ack(got)
    again = alice.login(transport, resource="py_phone")
    again.wait_for(match.ack_of("deliver_ack", sent))
    again.wait_for(match.ack_of("read_ack", sent))


@pytest.mark.parametrize("kind", [m.Body.READ_ACK, m.Body.DELIVER_ACK], ids=["read", "delivery"])
@pytest.mark.rule("receipts-need-ack-id")
def test_receipt_without_message_id_is_malformed(alice, bob, kind):
    """A read or delivery ack without ackMessageId is a malformed payload."""
    ack = alice.send_meta(m.chat_meta(alice.appkey, alice.name, bob.name, kind, None))
    assert (ack.code, ack.reason) == (ErrorCode.WRONG_PARAMETER, Reason.BAD_PAYLOAD)
