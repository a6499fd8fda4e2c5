"""Heartbeat, logout and reconnecting with the same device."""
import pytest

from im_client import ConnectionClosed, ErrorCode, match
from im_client.waiting import wait_until

pytestmark = [pytest.mark.login, pytest.mark.owner("xinbo")]


@pytest.mark.rule("unread-is-heartbeat")
def test_heartbeat_is_answered(make_user, transport):
    """UNREAD is the heartbeat; the server answers every one (docs/protocol/msync.md §3.8)."""
    client = make_user().login(transport)
    for _ in range(3):
        assert client.ping().status.errorCode == ErrorCode.OK


def test_idle_client_sends_heartbeat_and_stays_connected(make_user, transport):
    """After `heartbeat_interval` of inbound silence the client sends UNREAD, and the answer keeps it alive."""
    client = make_user().login(transport, heartbeat_interval=0.5)
    wait_until(lambda: client.heartbeats_sent >= 2, "two heartbeats", timeout=10)
    assert not client.closed
    assert client.ping().status.errorCode == ErrorCode.OK


def test_logout_closes_the_session(make_user, transport):
    client = make_user().login(transport)
    client.close()
    assert client.closed
    with pytest.raises(ConnectionClosed):
        client.ping()


@pytest.mark.rule("known-devices-stay-targets")
def test_reconnect_with_same_resource_gets_what_arrived_meanwhile(make_user, login, transport):
    """A device that drops and re-provisions with its resource receives what was sent while it was away."""
    bob_user = make_user("bob")
    bob = bob_user.login(transport, resource="py_phone")
    alice = login("alice")
    bob.disconnect()  # no LOGOUT: the network went away
    sent = alice.must_send_text(bob_user.name, "while you were away")
    again = bob_user.login(transport, resource="py_phone")
    again.wait_for(match.of(sent) & match.text("while you were away"))


def test_reopen_after_logout(make_user, transport):
    """The same Client object can log in again after LOGOUT."""
    client = make_user().login(transport)
    client.close()
    client.open()
    assert client.ping().status.errorCode == ErrorCode.OK
