"""Presence (the Web SDK's presence API over REST): a device publishes a status, subscribers get a
NOTIFY `presence` (docs/protocol/msync.md §4.6) while their subscription runs."""
import pytest

from im_client import match
from im_client.waiting import wait_until

pytestmark = [pytest.mark.presence, pytest.mark.owner("xinbo")]


@pytest.mark.rule("presence-notify-subscribers")
def test_subscriber_hears_each_device_status(alice, bob, login, admin):
    """bob subscribes to alice; each of alice's devices publishing shows up per device in bob's notices."""
    alice_phone = login(alice.user)
    as_alice, as_bob = admin.with_token(alice.user.token()), admin.with_token(bob.user.token())
    (before,) = as_bob.must_subscribe_presence(bob.name, [alice.name], expiry=3600)
    assert (before["uid"], before["status"]) == (alice.name, {})
    as_alice.must_publish_presence(alice.name, alice.resource, 1, "at my desk")
    first = bob.wait_for(match.presence(alice.name, lambda p: p["ext"] == "at my desk")).payload
    assert first["data"]["values"][0]["status"] == {alice.resource: "1"}
    as_alice.must_publish_presence(alice.name, alice_phone.resource, 2, "on the phone")
    bob.wait_for(match.presence(alice.name, lambda p: p["status"] == {alice.resource: "1",
                                                                      alice_phone.resource: "2"}))
    (now,) = as_bob.must_presence_status(bob.name, [alice.name])
    assert now["ext"] == "on the phone" and int(now["expiry"]) > 0


@pytest.mark.rule("presence-notify-subscribers")
def test_unsubscribed_user_is_told_nothing_more(alice, bob, admin, make_user):
    """After unsubscribing, bob gets no notices about alice (but still about carol, in order)."""
    carol = make_user("carol")
    as_bob = admin.with_token(bob.user.token())
    as_bob.must_subscribe_presence(bob.name, [alice.name, carol.name])
    as_bob.must_unsubscribe_presence(bob.name, [alice.name])
    admin.must_publish_presence(alice.name, alice.resource, 1, "alice here")
    admin.must_publish_presence(carol.name, "web", 1, "carol here")
    # one system queue, in order: had alice's notice been queued it would have come first
    bob.wait_for(match.presence(carol.name))
    assert not bob.received(match.presence(alice.name))
    assert [s["uid"] for s in as_bob.must_presence_sublist(bob.name)["sublist"]] == [carol.name]


@pytest.mark.rule("presence-limits")
def test_subscription_ends_at_its_expiry(alice, bob, admin):
    """A 1-second subscription leaves the sublist and its end stops the notices; a new one brings them back."""
    as_bob = admin.with_token(bob.user.token())
    as_bob.must_subscribe_presence(bob.name, [alice.name], expiry=1)
    wait_until(lambda: as_bob.must_presence_sublist(bob.name)["totalnum"] == "0", "the 1 s subscription to end",
               timeout=5)
    admin.must_publish_presence(alice.name, alice.resource, 1, "unheard")
    as_bob.must_subscribe_presence(bob.name, [alice.name], expiry=60)
    admin.must_publish_presence(alice.name, alice.resource, 1, "heard")
    bob.wait_for(match.presence(alice.name, lambda p: p["ext"] == "heard"))
    assert not bob.received(match.presence(alice.name, lambda p: p["ext"] == "unheard"))


@pytest.mark.rule("presence-notify-subscribers")
def test_offline_subscriber_gets_the_change_at_login(alice, make_user, admin, transport):
    """Presence notices wait on the system queue like other notifications."""
    bob = make_user("bob")
    admin.must_subscribe_presence(bob.name, [alice.name])
    admin.must_publish_presence(alice.name, alice.resource, 1, "while you were out")
    device = bob.login(transport)
    device.wait_for(match.presence(alice.name, lambda p: p["ext"] == "while you were out"))


@pytest.mark.rule("presence-limits")
def test_sublist_pages(alice, make_user, admin):
    """The subscription list pages by pageNum/pageSize and counts every running subscription."""
    targets = make_user.many(3, "friend")
    admin.must_subscribe_presence(alice.name, [t.name for t in targets])
    second = admin.must_presence_sublist(alice.name, page_num=2, page_size=2)
    assert second["totalnum"] == "3" and [s["uid"] for s in second["sublist"]] == [sorted(t.name for t in targets)[2]]


@pytest.mark.rule("presence-limits")
def test_bad_presence_requests_are_400(alice, admin):
    """Expiry out of range, a non-integer status, too many or no usernames, a bad pageSize: 400."""
    for resp in (admin.subscribe_presence(alice.name, ["x"], expiry=0),
                 admin.subscribe_presence(alice.name, ["x"], expiry=30 * 24 * 3600 + 1),
                 admin.subscribe_presence(alice.name, [f"u{i}" for i in range(101)]),
                 admin.subscribe_presence(alice.name, []),
                 admin.publish_presence(alice.name, alice.resource, "busy"),
                 admin.presence_sublist(alice.name, page_size=0)):
        assert (resp.status_code, resp.json()["error"]) == (400, "illegal_argument")


@pytest.mark.app_config(presence_enabled=False)
def test_presence_off_is_refused(alice, admin):
    """With the service off: 400 `service open exception` `the app not open presence`."""
    resp = admin.publish_presence(alice.name, alice.resource, 1)
    assert (resp.status_code, resp.json()["error"], resp.json()["error_description"]) == (
        400, "service open exception", "the app not open presence")
