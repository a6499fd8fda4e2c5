"""Custom messages (docs/protocol/msync.md §4.2): CUSTOM content with customEvent and typed customExts, sent by
a client or by the admin over REST (docs/protocol/rest.md §3.1)."""
import pytest

from im_client import Typed, match
from im_client.ext import BOOL, INT, JSON_STRING, STRING

pytestmark = [pytest.mark.chat, pytest.mark.owner("caixiangyue")]


def test_custom_event_and_exts_arrive_typed(alice, bob):
    """A custom message's event, typed customExts and ext all arrive."""
    exts = {"amount": 88, "currency": "CNY", "lucky": True, "meta": {"from": "red-packet"}}
    sent = alice.must_send_custom(bob.name, "red_packet", exts=exts, ext={"em_ignore_notification": True})
    got = bob.wait_for(match.of(sent))
    assert (got.content_type, got.custom_event) == ("custom", "red_packet")
    assert got.custom_exts == {"amount": Typed(INT, 88), "currency": Typed(STRING, "CNY"),
                               "lucky": Typed(BOOL, True), "meta": Typed(JSON_STRING, {"from": "red-packet"})}
    assert got.ext == {"em_ignore_notification": Typed(BOOL, True)}


def test_offline_receiver_gets_custom_messages(alice, make_user, transport):
    """A custom message sent to an offline user arrives on login."""
    bob = make_user("bob")
    sent = alice.must_send_custom(bob.name, "card", exts={"title": "Hi"})
    device = bob.login(transport)
    assert device.wait_for(match.of(sent)).custom_exts == {"title": Typed(STRING, "Hi")}


def test_admin_sends_custom_over_rest_with_string_exts(bob, admin):
    """A REST custom message's customExts arrive as STRING values."""
    ids = admin.must_send_custom_to_users([bob.name], "gift_1", {"name": "rose", "count": "3"})
    got = bob.wait_for(match.custom("gift_1"))
    assert got.id == int(ids[bob.name])
    assert got.custom_exts == {"name": Typed(STRING, "rose"), "count": Typed(STRING, "3")}


@pytest.mark.parametrize("body,description", [
    ({"customEvent": "has space"}, "param customEvent is illegal"),
    ({"customEvent": "x" * 33}, "param customEvent is illegal"),
    ({"customExts": {f"k{n}": "v" for n in range(17)}}, "param customExts must be a map of at most 16 strings"),
    ({"customExts": {"n": 1}}, "param customExts must be a map of at most 16 strings"),
], ids=["space-in-event", "event-too-long", "17-exts", "non-string-ext"])
def test_rest_custom_body_is_validated(bob, admin, body, description):
    """A REST custom body with a bad event or exts is refused with its reason."""
    resp = admin.send_to_users([bob.name], "custom", body)
    answer = resp.json()
    assert (resp.status_code, answer["error"], answer["error_description"]) == (400, "message_send_error", description)
