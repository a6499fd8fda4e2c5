"""One-to-one delivery: online, offline, and to every device."""
import pytest

from im_client import match

pytestmark = [pytest.mark.chat, pytest.mark.owner("caixiangyue")]


@pytest.mark.rule("ack-timestamp-is-message-time", "delivery-rewrites-envelope")
def test_online_text_reaches_the_receiver(alice, bob):
    """The receiver gets the text with the server id the sender was acked with."""
    sent = alice.must_send_text(bob.name, "hello bob")
    got = bob.wait_for(match.of(sent))
    assert (got.kind, got.content_type, got.text) == ("chat", "text", "hello bob")
    assert (got.sender, got.to) == (alice.name, bob.name)
    assert got.timestamp == sent.timestamp
    assert got.from_resource == alice.resource


def test_sender_ack_carries_server_id_and_time(alice, bob):
    ack = alice.send_text(bob.name, "ack me")
    assert ack.ok
    assert ack.server_id > 0 and ack.timestamp > 0
    assert ack.meta_id != ack.server_id


@pytest.mark.rule("new-device-backlog")
def test_offline_receiver_gets_messages_on_first_login(alice, make_user, transport):
    """Messages to a user who never logged in wait in the store until the first login."""
    bob = make_user("bob")
    sent = [alice.must_send_text(bob.name, f"offline {n}") for n in range(3)]
    device = bob.login(transport)
    got = device.wait_for_all(match.sender(alice.name), 3)
    assert [m.id for m in got] == [s.server_id for s in sent]
    assert [m.text for m in got] == ["offline 0", "offline 1", "offline 2"]


@pytest.mark.rule("known-devices-stay-targets")
def test_offline_receiver_gets_messages_after_logout(alice, make_user, transport):
    bob = make_user("bob")
    bob.login(transport, resource="py_phone").close()
    sent = alice.must_send_text(bob.name, "after your logout")
    device = bob.login(transport, resource="py_phone")
    device.wait_for(match.of(sent))


def test_every_device_of_the_receiver_gets_a_copy(alice, make_user, transport):
    bob = make_user("bob")
    phone = bob.login(transport, resource="py_phone")
    laptop = bob.login(transport, resource="py_laptop")
    sent = alice.must_send_text(bob.name, "to all of bob")
    phone.wait_for(match.of(sent))
    laptop.wait_for(match.of(sent))


@pytest.mark.rule("multi-device-copy-queue", "no-echo-to-sender-device")
def test_sender_other_devices_get_a_copy_but_not_the_sending_one(make_user, login, transport):
    """Multi-device sync: alice's laptop sees what her phone sent (queue = alice/phone)."""
    alice, bob = make_user("alice"), login("bob")
    phone = alice.login(transport, resource="py_phone")
    laptop = alice.login(transport, resource="py_laptop")
    sent = phone.must_send_text(bob.name, "sent from my phone")
    copy = laptop.wait_for(match.of(sent))
    assert copy.queue.endswith("/py_phone")
    bob.wait_for(match.of(sent))
    # the reply the phone itself is waiting for must not be its own message
    assert not phone.received(match.of(sent))
