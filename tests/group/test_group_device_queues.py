"""Per-device queues for group and thread deliveries (docs/protocol/msync.md §3.6), by table, as
tests/chat/test_device_queues.py does for 1:1: what one device acknowledges is gone for that device
only; the user's other devices, and the sender's own other devices, keep theirs."""
from dataclasses import dataclass

import pytest

from im_client import match
from im_client.match import recall_of

pytestmark = [pytest.mark.group, pytest.mark.owner("jiahao")]


@dataclass
class Place:
    group: str
    thread: str


def _text(sender, place):
    sent = sender.must_send_group_text(place.group, "per-device group text")
    return sent, match.of(sent)


def _custom(sender, place):
    sent = sender.must_send_group_custom(place.group, "per_device_group_event", {"k": "v"})
    return sent, match.custom("per_device_group_event") & match.sender(sender.name)


def _thread_text(sender, place):
    sent = sender.must_send_thread_text(place.thread, "per-device thread text")
    return sent, match.of(sent)


def _recall(sender, place):
    """A group message taken back: the devices that were offline get the RECALL notice."""
    gone = sender.must_send_group_text(place.group, "taken back")
    sender.must_recall(gone)
    return gone, recall_of(gone)


# kind -> how the sender makes it; returns (what was sent, what a receiving device must get)
KINDS = {"text": _text, "custom": _custom, "thread-text": _thread_text, "recall": _recall}
ROWS = [pytest.param(kind, id=kind, marks=[pytest.mark.thread] if kind.startswith("thread") else [])
        for kind in KINDS]


@pytest.fixture
def place(make_group, admin):
    """`place(owner, *members)`: a group of them and a thread every member joined."""
    def _place(owner, *members):
        group = make_group(owner, members=members)
        parent = admin.must_send_text_to_groups(group.id, "thread parent", sender=owner.name)[group.id]
        thread = admin.must_create_thread(group.id, parent, "per-device", owner=owner.name)["thread_id"]
        admin.must_add_thread_members(thread, [m.name for m in members])
        return Place(group.id, thread)
    return _place


@pytest.mark.parametrize("kind", ROWS)
@pytest.mark.rule("known-devices-stay-targets")
def test_ack_by_one_device_leaves_the_other_device_queue_intact(alice, make_user, place, transport, kind):
    """The phone receives and acknowledges; the laptop, offline then, still gets it at login; the
    phone, back again, gets nothing twice."""
    bob = make_user("bob")
    where = place(alice, bob)
    phone = bob.login(transport, resource="py_phone")
    bob.login(transport, resource="py_laptop").close()
    _sent, expected = KINDS[kind](alice, where)
    phone.wait_for(expected)
    phone.ping()  # the phone's ack is in before the laptop logs in
    phone.close()
    laptop = bob.login(transport, resource="py_laptop")
    laptop.wait_for(expected)
    again = bob.login(transport, resource="py_phone")
    again.wait_offline_sync()
    assert not again.received(expected), "the phone's acknowledged item came back"


@pytest.mark.parametrize("kind", ROWS)
def test_sender_copy_survives_the_receiver_ack(make_user, place, transport, kind):
    """The sender's other (offline) device keeps its copy whatever the members' devices ack."""
    alice, bob = make_user("alice"), make_user("bob")
    alice.login(transport, resource="py_laptop").close()
    phone = alice.login(transport, resource="py_phone")
    where = place(alice, bob)
    receiver = bob.login(transport, resource="py_phone")
    _sent, expected = KINDS[kind](phone, where)
    receiver.wait_for(expected)
    receiver.ping()
    laptop = alice.login(transport, resource="py_laptop")
    laptop.wait_for(expected)


@pytest.mark.parametrize("kind", ROWS)
def test_one_members_ack_leaves_the_other_members(alice, make_user, place, transport, kind):
    """Two members: bob's device acknowledges, carol (offline then) still gets it."""
    bob, carol = make_user("bob"), make_user("carol")
    where = place(alice, bob, carol)
    carol.login(transport, resource="py_phone").close()
    receiver = bob.login(transport, resource="py_phone")
    _sent, expected = KINDS[kind](alice, where)
    receiver.wait_for(expected)
    receiver.ping()
    carol.login(transport, resource="py_phone").wait_for(expected)
