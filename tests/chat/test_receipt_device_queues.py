"""Per-device queues for receipts (docs/protocol/msync.md §3.6, §4.4), by table: a read, delivery,
conversation or group read receipt reaches every device of the sender and the reader's other
devices; what one device acknowledges is gone for that device only."""
from dataclasses import dataclass

import pytest

from im_client import match

pytestmark = [pytest.mark.chat, pytest.mark.owner("caixiangyue")]


@dataclass
class Exchange:
    """alice's message to bob (1:1, or in a group of the two), as bob's reading device got it."""
    sent: object
    got: object


def _read(reader, ex):
    reader.must_send_read_ack(ex.got)
    return match.ack_of("read_ack", ex.sent)


def _delivery(reader, ex):
    reader.must_send_delivery_ack(ex.got)
    return match.ack_of("deliver_ack", ex.sent)


def _channel(reader, ex):
    reader.must_send_channel_ack(ex.got.sender)
    return match.message("channel_ack") & match.sender(reader.name)


def _group_read(reader, ex):
    reader.must_send_group_read_ack(ex.got)
    return match.ack_of("read_ack", ex.sent) & match.sender(reader.name)


# kind -> (1:1 or group, how the reader acknowledges; returns what the other devices must get).
# A group read receipt goes to the sender's devices only, not to the reader's other devices
# (rule group-read-ack-count); a 1:1 receipt to both (receipts-need-ack-id).
KINDS = {"read": ("chat", _read), "delivery": ("chat", _delivery), "channel": ("chat", _channel),
         "group-read": ("group", _group_read)}
ROWS = [pytest.param(kind, id=kind, marks=[pytest.mark.group] if where == "group" else [])
        for kind, (where, _ack) in KINDS.items()]


def _exchange(kind, phone, reader, bob, make_group):
    if KINDS[kind][0] == "group":
        group = make_group(phone.name, members=[bob.name])
        sent = phone.must_send_group_text(group.id, "read me in the group")
    else:
        sent = phone.must_send_text(bob.name, "read me")
    return Exchange(sent, reader.wait_for(match.of(sent)))


@pytest.mark.parametrize("kind", ROWS)
def test_receipt_reaches_the_senders_offline_device_after_another_acked_it(make_user, make_group, transport, kind):
    """alice's phone gets the receipt and acknowledges it; her laptop, offline then, still gets it."""
    alice, bob = make_user("alice"), make_user("bob")
    alice.login(transport, resource="py_laptop").close()
    phone = alice.login(transport, resource="py_phone")
    reader = bob.login(transport, resource="py_phone")
    expected = KINDS[kind][1](reader, _exchange(kind, phone, reader, bob, make_group))
    phone.wait_for(expected)
    phone.ping()
    phone.close()
    alice.login(transport, resource="py_laptop").wait_for(expected)
    again = alice.login(transport, resource="py_phone")
    again.wait_offline_sync()
    assert not again.received(expected), "the phone's acknowledged receipt came back"


@pytest.mark.parametrize("kind", ROWS)
@pytest.mark.rule("receipts-need-ack-id", "group-read-ack-count")
def test_receipt_reaches_the_readers_other_offline_device(make_user, make_group, transport, kind):
    """bob reads on his phone; his laptop, offline then, learns it at login (a 1:1 receipt), after
    alice acked hers; a group read receipt stays with alice."""
    alice, bob = make_user("alice"), make_user("bob")
    bob.login(transport, resource="py_laptop").close()
    phone = alice.login(transport, resource="py_phone")
    reader = bob.login(transport, resource="py_phone")
    expected = KINDS[kind][1](reader, _exchange(kind, phone, reader, bob, make_group))
    phone.wait_for(expected)
    phone.ping()
    laptop = bob.login(transport, resource="py_laptop")
    if KINDS[kind][0] == "group":
        laptop.wait_offline_sync()
        assert not laptop.received(expected), "a group read receipt reached the reader's other device"
    else:
        laptop.wait_for(expected)
