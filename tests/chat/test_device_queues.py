"""Per-device queues (docs/protocol/msync.md §3.6), by table: for every kind of 1:1 delivery, what one device
acknowledges is gone for that device only; the user's other devices and the device's other
conversations keep theirs."""
import pytest

from im_client import match
from im_client.match import recall_of
from im_wire import pb
from im_wire.jid import make_jid

pytestmark = [pytest.mark.chat, pytest.mark.owner("caixiangyue")]


def _text(sender, to):
    sent = sender.must_send_text(to, "per-device text")
    return sent, match.of(sent)


def _command(sender, to):
    sent = sender.must_send_command(to, "per_device_cmd")
    return sent, match.command("per_device_cmd") & match.sender(sender.name)


def _custom(sender, to):
    sent = sender.must_send_custom(to, "per_device_event", {"k": "v"})
    return sent, match.custom("per_device_event") & match.sender(sender.name)


def _recall(sender, to):
    """A message taken back: the devices that were offline get the RECALL notice."""
    gone = sender.must_send_text(to, "taken back")
    sender.must_recall(gone)
    return gone, recall_of(gone)


# kind -> how the sender makes it; returns (what was sent, what the receiving device must get)
KINDS = {"text": _text, "command": _command, "custom": _custom, "recall": _recall}


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.rule("known-devices-stay-targets")
def test_ack_by_one_device_leaves_the_other_device_queue_intact(alice, make_user, transport, kind):
    """The phone receives and acknowledges; the laptop, offline then, still gets it at login."""
    bob = make_user("bob")
    phone = bob.login(transport, resource="py_phone")
    bob.login(transport, resource="py_laptop").close()
    _sent, expected = KINDS[kind](alice, bob.name)
    phone.wait_for(expected)
    phone.ping()  # the phone's ack is in before the laptop logs in
    laptop = bob.login(transport, resource="py_laptop")
    laptop.wait_for(expected)


@pytest.mark.parametrize("kind", list(KINDS))
def test_ack_of_one_conversation_leaves_the_other_conversations(alice, make_user, transport, kind):
    """Acking alice's queue up to her newest message keeps carol's older, unacked items."""
    bob, carol = make_user("bob"), make_user("carol")
    bob.login(transport, resource="py_phone").close()
    carol_client = carol.login(transport)
    _older, from_carol = KINDS[kind](carol_client, bob.name)
    newer, from_alice = KINDS[kind](alice, bob.name)
    phone = bob.login(transport, resource="py_phone", auto_ack=False)
    phone.wait_for(from_carol)
    got = phone.wait_for(from_alice)
    # acknowledge alice's conversation only, with the key of her newest item
    phone.send_sync(pb.CommSyncUL(queue=make_jid(phone.appkey, alice.name), key=max(got.id, newer.server_id)))
    phone.ping()
    phone.disconnect()
    again = bob.login(transport, resource="py_phone")
    again.wait_for(from_carol)  # carol's item was never acknowledged: it comes back
    again.wait_offline_sync()
    assert not again.received(from_alice)


@pytest.mark.parametrize("kind", list(KINDS))
def test_sender_copy_survives_the_receiver_ack(alice, make_user, transport, kind):
    """The sender's other (offline) device keeps its copy whatever the receiver's device acks."""
    bob = make_user("bob")
    laptop_user = alice.user
    laptop_user.login(transport, resource="py_laptop").close()
    receiver = bob.login(transport, resource="py_phone")
    _sent, expected = KINDS[kind](alice, bob.name)
    receiver.wait_for(expected)
    receiver.ping()
    laptop = laptop_user.login(transport, resource="py_laptop")
    laptop.wait_for(expected)



@pytest.mark.rule("one-to-one-routetype", "known-devices-stay-targets")
def test_an_online_only_message_is_copied_to_the_senders_connected_devices_only(make_user, transport):
    """alice's phone sends bob an online-only text: her connected tablet gets the copy, her laptop, offline
    then, never does; an ordinary text sent next reaches the laptop at login (the control)."""
    alice, bob = make_user("alice"), make_user("bob")
    bob_device = bob.login(transport)
    phone = alice.login(transport, resource="py_phone")
    tablet = alice.login(transport, resource="py_tablet")
    alice.login(transport, resource="py_laptop").close()
    now_only = phone.must_send_text(bob.name, "now or never", routetype=pb.Meta.ROUTE_ONLINE)
    kept = phone.must_send_text(bob.name, "for every device")
    for device in (tablet, bob_device):
        device.wait_for(match.of(now_only))
    laptop = alice.login(transport, resource="py_laptop")
    laptop.wait_for(match.of(kept))
    laptop.wait_offline_sync()
    assert not laptop.received(match.of(now_only))
