"""Acknowledgement by key (docs/protocol/msync.md §3.6): acked messages are gone, unacked ones come back."""
import pytest

from im_client import match

pytestmark = [pytest.mark.chat, pytest.mark.owner("caixiangyue")]


@pytest.mark.rule("pull-key-acknowledges")
def test_nothing_is_redelivered_after_ack(alice, make_user, transport):
    bob = make_user("bob")
    first = bob.login(transport, resource="py_phone")
    sent = alice.must_send_text(bob.name, "deliver once")
    first.wait_for(match.of(sent))
    first.ping()  # the pull with key (the ack) precedes this round trip on the same connection
    first.close()
    again = bob.login(transport, resource="py_phone")
    again.wait_offline_sync()
    assert not again.received(match.of(sent))


@pytest.mark.rule("pull-key-acknowledges")
def test_everything_is_redelivered_without_ack(alice, make_user, transport):
    """A device that pulls but never sends the key gets the same messages again next time."""
    bob = make_user("bob")
    bob.login(transport, resource="py_phone").close()
    sent = [alice.must_send_text(bob.name, f"unacked {n}") for n in range(5)]
    first = bob.login(transport, resource="py_phone", auto_ack=False)
    first.wait_for_all(match.sender(alice.name), 5)  # one page, never acknowledged
    first.disconnect()
    again = bob.login(transport, resource="py_phone")
    got = again.wait_for_all(match.sender(alice.name), 5)
    assert [m.id for m in got] == [s.server_id for s in sent]


@pytest.mark.rule("new-device-backlog", "known-devices-stay-targets")
def test_ack_of_one_device_does_not_remove_messages_of_another(alice, make_user, transport):
    bob = make_user("bob")
    phone = bob.login(transport, resource="py_phone")
    bob.login(transport, resource="py_laptop").close()
    sent = alice.must_send_text(bob.name, "two devices, two queues")
    phone.wait_for(match.of(sent))
    phone.ping()
    laptop = bob.login(transport, resource="py_laptop")
    laptop.wait_for(match.of(sent))


@pytest.mark.rule("offline-count-distinct")
def test_offline_count_drops_to_zero_after_ack(alice, make_user, admin, transport):
    bob = make_user("bob")
    bob.login(transport, resource="py_phone").close()
    for n in range(3):
        alice.must_send_text(bob.name, f"count {n}")
    assert admin.must_offline_msg_count(bob.name) == 3
    device = bob.login(transport, resource="py_phone")
    device.wait_for_all(match.sender(alice.name), 3)
    device.ping()
    assert admin.must_offline_msg_count(bob.name) == 0


@pytest.mark.rule("offline-status-from-queues")
def test_offline_status_is_undelivered_until_pulled_and_acked(alice, make_user, admin, transport):
    """GET /users/{u}/offline_msg_status/{id}: undelivered while bob is away, delivered once his device acked it."""
    bob = make_user("bob")
    bob.login(transport, resource="py_phone").close()
    sent = alice.must_send_text(bob.name, "are you there?")
    assert admin.must_offline_msg_status(bob.name, sent.server_id) == "undelivered"
    device = bob.login(transport, resource="py_phone")
    device.wait_for(match.of(sent))
    device.ping()  # the pull with key (the ack) precedes this round trip
    assert admin.must_offline_msg_status(bob.name, sent.server_id) == "delivered"
    assert admin.offline_msg_status("no-such-user-x", sent.server_id).status_code == 404
    assert admin.offline_msg_status(bob.name, "not-an-id").status_code == 400
