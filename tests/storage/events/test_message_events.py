"""The event log of 1:1 messages (the seed's msync_log: upstream, downstream, offline, ack)."""
import pytest

from im_client import match

pytestmark = [pytest.mark.chat, pytest.mark.owner("caixiangyue")]


def test_online_message_goes_up_then_down_then_is_acked(alice, bob, storage):
    sent = alice.must_send_text(bob.name, "logged")
    bob.wait_for(match.of(sent))
    bob.ping()  # the pull with key (the ack) went out before this round trip
    up = storage.wait_for_event(kind="message.upstream", id=sent.server_id)
    assert (up["sender"], up["to"], up["type"], up["resource"]) == (alice.name, bob.name, "CHAT",
                                                                    alice.resource)
    down = storage.wait_for_event(kind="message.downstream", id=sent.server_id, owner=bob.name)
    assert (down["device"], down["queue"]) == (bob.resource, alice.name)
    ack = storage.wait_for_event(kind="message.ack", user=bob.name, key=sent.server_id)
    assert ack["queue"] == alice.name and ack["count"] >= 1
    assert not storage.events("message.offline", id=sent.server_id)


@pytest.mark.rule("new-device-backlog")
def test_offline_delivery_is_logged_offline_then_downstream(alice, make_user, storage, transport):
    """A message for a user who is not connected is logged offline at send, downstream at login."""
    bob = make_user("bob")
    sent = alice.must_send_text(bob.name, "while you were away")
    offline = storage.wait_for_event(kind="message.offline", id=sent.server_id, owner=bob.name)
    assert offline["device"] is None  # no known device yet: the pending bucket
    assert not storage.events("message.downstream", id=sent.server_id)
    device = bob.login(transport)
    device.wait_for(match.of(sent))
    down = storage.wait_for_event(kind="message.downstream", id=sent.server_id, owner=bob.name)
    assert down["device"] == device.resource
    assert down["ts"] >= offline["ts"]
    kinds = [e["kind"] for e in storage.events(("message.offline", "message.downstream"), id=sent.server_id)]
    assert kinds == ["message.offline", "message.downstream"]


@pytest.mark.recall
def test_recall_is_logged_and_nothing_goes_down(alice, make_user, storage, transport):
    """A message recalled while its receiver is offline is logged recalled and never downstream."""
    bob = make_user("bob")
    sent = alice.must_send_text(bob.name, "take it back")
    alice.must_recall(sent)
    done = storage.wait_for_event(kind="recall.done", id=sent.server_id)
    assert (done["by"], done["to"]) == (alice.name, bob.name)
    device = bob.login(transport)
    device.wait_offline_sync()
    assert not device.received(match.of(sent))
    assert not storage.events("message.downstream", id=sent.server_id)
