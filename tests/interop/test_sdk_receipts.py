"""Read, delivery and conversation receipts between the Web SDK and im_client."""
import pytest

from im_client import match
from im_e2e.interop.sdk_driver import sdk_event, sdk_message

pytestmark = [pytest.mark.interop, pytest.mark.chat, pytest.mark.owner("caixiangyue")]


def test_sdk_read_ack_reaches_the_im_client_sender(sdk_login, login):
    """A read receipt the SDK sends is a READ_ACK naming the message for the im_client sender."""
    alice, bob = sdk_login("alice"), login("bob")
    sent = bob.must_send_text(alice.name, "read me")
    alice.wait_for(sdk_message(sent))
    alice.must_send_read_ack(bob.name, sent.server_id)
    ack = bob.wait_for(match.ack_of("read_ack", sent))
    assert (ack.sender, ack.to) == (alice.name, bob.name)


def test_sdk_with_delivery_receipts_on_acks_every_message_it_gets(make_user, sdk_login, login):
    """Connection option `delivery: true`: the SDK sends DELIVER_ACK for each 1:1 message by itself."""
    alice = sdk_login("alice", delivery=True)
    bob = login("bob")
    sent = bob.must_send_text(alice.name, "did you get it?")
    ack = bob.wait_for(match.ack_of("deliver_ack", sent))
    assert ack.sender == alice.name


def test_sdk_delivery_ack_sent_by_hand_reaches_the_im_client_sender(sdk_login, login):
    """A delivery receipt the SDK sends by hand is a DELIVER_ACK naming the message."""
    alice, bob = sdk_login("alice"), login("bob")
    sent = bob.must_send_text(alice.name, "deliver me")
    alice.wait_for(sdk_message(sent))
    alice.must_send_delivery_ack(bob.name, sent.server_id)
    bob.wait_for(match.ack_of("deliver_ack", sent))


def test_im_client_read_ack_reaches_the_sdk_sender(sdk_login, login):
    """An im_client READ_ACK is the SDK sender's onReadMessage for that message."""
    alice, bob = sdk_login("alice"), login("bob")
    sent = alice.must_send_text(bob.name, "read me")
    got = bob.wait_for(match.of(sent))
    bob.must_send_read_ack(got)
    ack = alice.wait_for(sdk_event("onReadMessage", mid=str(sent.server_id)))
    assert (ack["from"], ack["to"]) == (bob.name, alice.name)


def test_im_client_delivery_ack_reaches_the_sdk_sender(sdk_login, login):
    """An im_client DELIVER_ACK is the SDK sender's onDeliveredMessage for that message."""
    alice, bob = sdk_login("alice"), login("bob")
    sent = alice.must_send_text(bob.name, "deliver me")
    got = bob.wait_for(match.of(sent))
    bob.must_send_delivery_ack(got)
    alice.wait_for(sdk_event("onDeliveredMessage", mid=str(sent.server_id)))


def test_im_client_conversation_ack_reaches_the_sdk(sdk_login, login):
    """CHANNEL_ACK (the whole conversation was read) is the SDK's onChannelMessage."""
    alice, bob = sdk_login("alice"), login("bob")
    sent = alice.must_send_text(bob.name, "all read?")
    bob.wait_for(match.of(sent))
    bob.must_send_channel_ack(alice.name)
    ack = alice.wait_for(sdk_event("onChannelMessage"))
    assert ack["from"] == bob.name
