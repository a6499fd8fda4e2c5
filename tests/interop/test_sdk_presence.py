"""Presence between the Web SDK and im_client users: publishPresence, subscribePresence,
getPresenceStatus, getSubscribedPresenceList, unsubscribePresence and onPresenceStatusChange.

The SDK resolves these calls with the answer plus `data: {result}`, the same object twice; the
driver's JSON encoder sends a repeated object once, so the tests read the top-level `result`."""
import pytest

from im_client import match
from im_e2e.interop.sdk_driver import sdk_event

pytestmark = [pytest.mark.interop, pytest.mark.presence, pytest.mark.owner("xinbo")]


def _about(uid: str, ext: str):
    return lambda data: any(p["userId"] == uid and p["ext"] == ext for p in data)


@pytest.mark.rule("presence-notify-subscribers")
def test_sdk_subscriber_hears_an_im_client_publish(sdk_login, login, admin):
    """The SDK subscribes; an im_client device's publish fires onPresenceStatusChange with its device."""
    alice, bob = sdk_login("alice"), login("bob")
    alice.call("subscribePresence", {"usernames": [bob.name], "expiry": 3600})
    assert [s["uid"] for s in alice.call("getSubscribedPresenceList", {"pageNum": 1, "pageSize": 20})
            ["result"]["sublist"]] == [bob.name]
    admin.with_token(bob.user.token()).must_publish_presence(bob.name, bob.resource, 1, "coffee")
    change = alice.wait_for(sdk_event("onPresenceStatusChange", _about(bob.name, "coffee")))
    assert change[0]["statusDetails"] == [{"device": bob.resource, "status": 1}]
    alice.call("unsubscribePresence", {"usernames": [bob.name]})
    assert admin.must_presence_sublist(alice.name)["sublist"] == []


def test_sdk_publish_reaches_an_im_client_subscriber(sdk_login, login, admin):
    """publishPresence({description}) reaches a subscribed im_client device; getPresenceStatus reads it."""
    alice, bob = sdk_login("alice"), login("bob")
    admin.with_token(bob.user.token()).must_subscribe_presence(bob.name, [alice.name])
    alice.call("publishPresence", {"description": "in a meeting"})
    got = bob.wait_for(match.presence(alice.name, lambda p: p["ext"] == "in a meeting")).payload
    assert list(got["data"]["values"][0]["status"].values()) == ["1"]
    status = alice.call("getPresenceStatus", {"usernames": [alice.name]})["result"]
    assert status[0]["ext"] == "in a meeting"
