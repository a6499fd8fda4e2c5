"""Offline delivery between the Web SDK and im_client: what waited in the store arrives at login."""
import pytest

from im_client import match
from im_e2e.interop.sdk_driver import sdk_event

pytestmark = [pytest.mark.interop, pytest.mark.chat, pytest.mark.owner("caixiangyue")]

SYNC_EVENTS = ("onOfflineMessageSyncStart", "onTextMessage", "onOfflineMessageSyncFinish")


def test_messages_for_an_sdk_user_who_never_logged_in_arrive_at_sdk_login(make_user, login, sdk_login, admin):
    """The SDK pulls the queue (UNREAD, pull, pull with key) inside its offline sync, in send order."""
    alice, bob = make_user("alice"), login("bob")
    sent = [bob.must_send_text(alice.name, f"offline {n}") for n in range(3)]
    tab = sdk_login(alice)
    got = tab.wait_for_all(sdk_event("onTextMessage"), 3)
    assert [int(m["id"]) for m in got] == [s.server_id for s in sent]
    assert [m["msg"] for m in got] == ["offline 0", "offline 1", "offline 2"]
    tab.wait_for(sdk_event("onOfflineMessageSyncFinish"))
    assert [e for e in tab.events() if e in SYNC_EVENTS] == [
        "onOfflineMessageSyncStart", "onTextMessage", "onTextMessage", "onTextMessage", "onOfflineMessageSyncFinish"]
    assert admin.must_offline_msg_count(alice.name) == 0  # the SDK acknowledged them by key


def test_messages_for_an_sdk_tab_that_logged_out_arrive_when_it_comes_back(make_user, login, sdk_login):
    """A message sent after the SDK tab logged out waits for that tab's next login."""
    alice, bob = make_user("alice"), login("bob")
    sdk_login(alice, device="tab1").close()
    sent = bob.must_send_text(alice.name, "while you were out")
    tab = sdk_login(alice, device="tab1")
    assert tab.wait_for(sdk_event("onTextMessage", id=str(sent.server_id)))["msg"] == "while you were out"


def test_messages_from_the_sdk_to_an_offline_im_client_user_arrive_at_its_login(make_user, sdk_login, transport):
    """What the SDK sent to an im_client user who was offline arrives at its login, in order."""
    alice, bob = sdk_login("alice"), make_user("bob")
    sent = [alice.must_send_text(bob.name, f"offline {n}") for n in range(3)]
    device = bob.login(transport)
    got = device.wait_for_all(match.sender(alice.name), 3)
    assert [m.id for m in got] == [s.server_id for s in sent]
    assert [m.text for m in got] == ["offline 0", "offline 1", "offline 2"]


def test_sdk_online_only_message_is_not_kept_for_an_offline_user(sdk_login, make_user, transport):
    """`deliverOnlineOnly: true` (ROUTE_ONLINE) reaches nobody offline; a normal message after it waits."""
    alice, bob = sdk_login("alice"), make_user("bob")
    alice.must_send_text(bob.name, "only if you are there", deliverOnlineOnly=True)
    kept = alice.must_send_text(bob.name, "this one waits")
    device = bob.login(transport)
    device.wait_offline_sync()
    assert [m.id for m in device.received(match.sender(alice.name))] == [kept.server_id]
