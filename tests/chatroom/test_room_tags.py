"""Chatroom member tags and tag mute (docs/protocol/rest.md §4.3): tags are set and read per member, end when the
member leaves, and a tag mute mutes the members carrying the tag like a member mute."""
import json
import time

import pytest

from im_client import ErrorCode, Reason, match
from im_client.waiting import wait_until

pytestmark = [pytest.mark.chatroom, pytest.mark.owner("yifan")]


def _present(room, *members):
    for member in members:
        member.must_join_room(room.id)


@pytest.mark.rule("chatroom-member-tags")
def test_tags_are_set_read_and_replaced(alice, login, make_room, admin):
    """PUT replaces a member's tags, GET reads them sorted, [] removes them."""
    bob = login("bob")
    room = make_room(alice, members=[bob])
    assert admin.must_set_chatroom_member_tags(room.id, bob.name, ["vip", "beta"]) == {"result": True}
    assert admin.must_chatroom_member_tags(room.id, bob.name) == {"tags": ["beta", "vip"]}
    admin.must_set_chatroom_member_tags(room.id, bob.name, ["new"])
    assert admin.must_chatroom_member_tags(room.id, bob.name) == {"tags": ["new"]}
    admin.must_set_chatroom_member_tags(room.id, bob.name, [])
    assert admin.must_chatroom_member_tags(room.id, bob.name) == {"tags": []}


@pytest.mark.rule("chatroom-member-tags")
def test_tag_limits_and_strangers_are_refused(alice, login, make_room, admin):
    """11 tags, a 33-character tag and a user outside the room are refused; a plain member may not tag."""
    bob, mallory = login("bob"), login("mallory")
    room = make_room(alice, members=[bob])
    for tags in ([f"t{n}" for n in range(11)], ["x" * 33], "vip"):
        resp = admin.set_chatroom_member_tags(room.id, bob.name, tags)
        assert resp.status_code == 400 and resp.json()["error"] == "invalid_parameter", resp.text
    resp = admin.set_chatroom_member_tags(room.id, mallory.name, ["vip"])
    assert resp.status_code == 403 and resp.json()["error"] == "forbidden_op"
    resp = bob.files_rest().set_chatroom_member_tags(room.id, bob.name, ["self"])
    assert resp.status_code == 403


@pytest.mark.rule("chatroom-member-tags")
def test_tags_end_when_the_member_leaves(alice, login, make_room, admin):
    """bob's tags are gone after he leaves the room and joins again."""
    bob = login("bob")
    room = make_room(alice)
    _present(room, bob)
    admin.must_set_chatroom_member_tags(room.id, bob.name, ["vip"])
    bob.must_leave_room(room.id)
    bob.must_join_room(room.id)
    assert admin.must_chatroom_member_tags(room.id, bob.name) == {"tags": []}


@pytest.mark.rule("chatroom-tag-mute", "member-mute-user-muted")
def test_tag_mute_silences_the_tagged_members_only(alice, login, make_room, admin):
    """Muting tag `noisy` mutes bob (tagged) with ADD_MUTE and USER_MUTED; carol (untagged) still speaks."""
    bob, carol = login("bob"), login("carol")
    room = make_room(alice)
    _present(room, alice, bob, carol)
    admin.must_set_chatroom_member_tags(room.id, bob.name, ["noisy"])
    assert admin.must_mute_chatroom_tag(room.id, "noisy", 60) == {"result": True}
    notice = bob.wait_for(match.room_event("ADD_MUTE", room.id, about=bob.name))
    end = json.loads(notice.payload.ext)["user_mute_time"]
    ack = bob.send_room_text(room.id, "hello?")
    assert (ack.code, ack.reason) == (ErrorCode.USER_MUTED, Reason.USER_MUTED)
    assert admin.must_chatroom_mutes(room.id) == [{"expire": end, "user": bob.name}]
    carol.must_send_room_text(room.id, "I still can")


@pytest.mark.rule("chatroom-tag-mute")
def test_tag_mute_duration_is_in_seconds_and_zero_lifts(alice, login, make_room, admin):
    """A 1-second tag mute ends 1000 ms after it was set and runs out by itself; a permanent one is lifted by
    mute_duration 0 with REMOVE_MUTE."""
    bob = login("bob")
    room = make_room(alice)
    _present(room, bob)
    admin.must_set_chatroom_member_tags(room.id, bob.name, ["t"])
    before = time.time() * 1000
    admin.must_mute_chatroom_tag(room.id, "t", 1)
    after = time.time() * 1000
    end = json.loads(bob.wait_for(match.room_event("ADD_MUTE", room.id, about=bob.name)).payload.ext)["user_mute_time"]
    assert before + 1000 - 5 <= end <= after + 1000 + 5
    wait_until(lambda: admin.must_chatroom_mutes(room.id) == [], "the 1 s tag mute to run out", timeout=10)
    bob.must_send_room_text(room.id, "back")
    admin.must_mute_chatroom_tag(room.id, "t", -1)
    assert admin.must_chatroom_mutes(room.id) == [{"expire": -1, "user": bob.name}]
    admin.must_mute_chatroom_tag(room.id, "t", 0)
    bob.wait_for(match.room_event("REMOVE_MUTE", room.id, about=bob.name))
    assert admin.must_chatroom_mutes(room.id) == []
    bob.must_send_room_text(room.id, "free again")


@pytest.mark.rule("chatroom-tag-mute")
def test_tag_mute_needs_a_moderator_and_a_valid_body(alice, login, make_room, admin):
    """A plain member may not tag-mute (403); a bad duration or tag answers 400."""
    bob = login("bob")
    room = make_room(alice, members=[bob])
    assert bob.files_rest().mute_chatroom_tag(room.id, "t", 60).status_code == 403
    for tag, duration in (("t", -2), ("t", "60"), ("", 60)):
        resp = admin.mute_chatroom_tag(room.id, tag, duration)
        assert resp.status_code == 400 and resp.json()["error"] == "invalid_parameter", resp.text
