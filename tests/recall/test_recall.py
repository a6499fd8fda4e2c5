"""Recall over msync (docs/protocol/msync.md §4.2, §4.4): the sender takes a message back within the time limit;
every device of the receiver gets the RECALL notice and never the original afterwards."""
import pytest

from im_client import Typed, match
from im_client.ext import STRING
from im_client.match import recall_of
from im_client.rest_storage import conversation_queue

pytestmark = [pytest.mark.recall, pytest.mark.owner("caixiangyue")]


def test_online_receiver_gets_the_recall_notice(alice, bob):
    """The online receiver gets a RECALL notice from the sender naming the message."""
    sent = alice.must_send_text(bob.name, "oops")
    bob.wait_for(match.of(sent))
    ack = alice.must_recall(sent)
    notice = bob.wait_for(recall_of(sent))
    assert (notice.sender, notice.to, notice.id) == (alice.name, bob.name, ack.server_id)


@pytest.mark.parametrize("bob_before", ["never-logged-in", "logged-out"])
def test_offline_receiver_gets_the_notice_and_never_the_message(alice, make_user, transport, bob_before):
    """A message recalled before the receiver comes online is never delivered to it."""
    bob = make_user("bob")
    if bob_before == "logged-out":
        bob.login(transport, resource="py_phone").close()
    kept = alice.must_send_text(bob.name, "this one stays")
    sent = alice.must_send_text(bob.name, "oops")
    alice.must_recall(sent)
    device = bob.login(transport, resource="py_phone")
    notice = device.wait_for(recall_of(sent))
    device.wait_offline_sync()
    assert [m.id for m in device.received(match.sender(alice.name))] == [kept.server_id, notice.id]


def test_recall_extension_arrives_with_the_notice(alice, bob):
    """The recall's recallMessageExtensionInfo arrives with the notice as a STRING."""
    sent = alice.must_send_text(bob.name, "wrong chat")
    alice.must_recall(sent, ext="sent to the wrong person")
    notice = bob.wait_for(recall_of(sent))
    assert notice.meta_ext == {"recallMessageExtensionInfo": Typed(STRING, "sent to the wrong person")}


def test_sender_other_devices_get_the_notice(make_user, login, transport):
    """The sender's other devices hear of the recall as well as the receiver."""
    alice, bob = make_user("alice"), login("bob")
    phone = alice.login(transport, resource="py_phone")
    laptop = alice.login(transport, resource="py_laptop")
    sent = phone.must_send_text(bob.name, "oops, from my phone")
    laptop.wait_for(match.of(sent))
    phone.must_recall(sent)
    laptop.wait_for(recall_of(sent))
    bob.wait_for(recall_of(sent))


@pytest.mark.rule("recall-removes-everywhere")
def test_recalled_message_leaves_both_histories(alice, bob, admin):
    """After a recall the message is in neither party's history; the rest stays."""
    kept = alice.must_send_text(bob.name, "keep me")
    sent = alice.must_send_text(bob.name, "forget me")
    bob.wait_for(match.of(sent))
    alice.must_recall(sent)
    for owner, peer in ((alice.name, bob.name), (bob.name, alice.name)):
        history = admin.must_history(owner, conversation_queue(peer))
        assert [m.id for m in history] == [kept.server_id]
