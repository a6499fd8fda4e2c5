"""Chatroom member mute, mute-all and the allow list (docs/protocol/rest.md §4.3–§4.4, docs/protocol/msync.md §5.3)."""
import json

import pytest

from im_client import ErrorCode, Reason, match
from im_client.waiting import wait_until

pytestmark = [pytest.mark.chatroom, pytest.mark.owner("yifan")]


def _present(room, *members):
    for member in members:
        member.must_join_room(room.id)


@pytest.mark.rule("member-mute-user-muted", "room-send-check-order")
def test_muted_member_is_refused_and_told(alice, login, admin, make_room):
    """A muted member gets ADD_MUTE with the mute's end, and their sends USER_MUTED `user muted` (SDK 507)."""
    bob = login("bob")
    room = make_room(alice)
    _present(room, alice, bob)
    [result] = admin.must_mute_chatroom_members(room.id, bob.name, duration_ms=60_000)
    assert result["result"] and result["user"] == bob.name
    notice = bob.wait_for(match.room_event("ADD_MUTE", room.id, about=bob.name))
    assert json.loads(notice.payload.ext)["user_mute_time"] == result["expire"]
    ack = bob.send_room_text(room.id, "can you hear me")
    assert (ack.code, ack.reason) == (ErrorCode.USER_MUTED, Reason.USER_MUTED)
    assert admin.must_chatroom_mutes(room.id) == [{"expire": result["expire"], "user": bob.name}]
    alice.must_send_room_text(room.id, "others still speak")


def test_mute_ends_after_its_duration(alice, login, admin, make_room):
    """A mute with a duration lifts by itself: off the mute list, and the member speaks again."""
    bob = login("bob")
    room = make_room(alice)
    _present(room, alice, bob)
    admin.must_mute_chatroom_members(room.id, bob.name, duration_ms=1_000)
    assert bob.send_room_text(room.id, "too early").code == ErrorCode.USER_MUTED
    wait_until(lambda: admin.must_chatroom_mutes(room.id) == [], "bob's mute to run out", timeout=10)
    sent = bob.must_send_room_text(room.id, "I am back")
    alice.wait_for(match.of(sent))


def test_unmute_and_the_join_result_shows_the_mute(alice, login, admin, make_room):
    """The join result carries the member's mute end (`mute_duration`); unmuting sends REMOVE_MUTE and lifts it."""
    bob = login("bob")
    room = make_room(alice, members=[bob])
    [result] = admin.must_mute_chatroom_members(room.id, bob.name, duration_ms=-1)
    assert result["expire"] == -1
    assert bob.must_join_room(room.id).mute_duration == -1
    admin.must_unmute_chatroom_members(room.id, bob.name)
    bob.wait_for(match.room_event("REMOVE_MUTE", room.id, about=bob.name))
    bob.must_send_room_text(room.id, "free again")


def test_mute_with_duration_zero_lifts_the_mute(alice, login, admin, make_room):
    """`mute_duration` 0 lifts a mute in force: `{result: true, expire: 0}`, REMOVE_MUTE, off the list, speaking again."""
    bob = login("bob")
    room = make_room(alice)
    _present(room, alice, bob)
    admin.must_mute_chatroom_members(room.id, bob.name, duration_ms=60_000)
    assert admin.must_mute_chatroom_members(room.id, bob.name, duration_ms=0) == [
        {"result": True, "expire": 0, "user": bob.name}]
    bob.wait_for(match.room_event("REMOVE_MUTE", room.id, about=bob.name))
    assert admin.must_chatroom_mutes(room.id) == []
    alice.wait_for(match.of(bob.must_send_room_text(room.id, "free again")))


def test_mute_outlives_leaving_and_rejoining(alice, login, admin, make_room):
    bob = login("bob")
    room = make_room(alice)
    bob.must_join_room(room.id)
    admin.must_mute_chatroom_members(room.id, bob.name, duration_ms=60_000)
    bob.must_leave_room(room.id)
    bob.must_join_room(room.id)
    assert bob.send_room_text(room.id, "new me").code == ErrorCode.USER_MUTED


def test_mute_refusals(alice, login, admin, make_room):
    """Muting a non-member: 400 `users [u] are not members of this group!`; the owner: 403."""
    bob = login("bob")
    room = make_room(alice)
    stranger = admin.mute_chatroom_members(room.id, bob.name, duration_ms=1000)
    assert (stranger.status_code, stranger.json()["error_description"]) == (400, Reason.ROOM_NOT_MEMBERS.format(bob.name))
    owner = admin.mute_chatroom_members(room.id, alice.name, duration_ms=1000)
    assert (owner.status_code, owner.json()["error_description"]) == (403, Reason.ROOM_OWNER_OPERATION)


@pytest.mark.rule("room-mute-all-allow-list")
def test_mute_all_leaves_only_owner_admins_and_allow_list(alice, login, admin, make_room):
    """Mute-all (BAN_GROUP to everyone present): members outside the allow list get FAIL
    `not in group or chatroom white list` (SDK 506); owner, admins and allow-listed members speak."""
    bob, carol, dave = login("bob"), login("carol"), login("dave")
    room = make_room(alice)
    _present(room, alice, bob, carol, dave)
    admin.must_add_chatroom_admin(room.id, carol.name)
    admin.must_allow_chatroom_users(room.id, dave.name)
    assert admin.must_mute_all_chatroom(room.id) == {"mute": True}
    bob.wait_for(match.room_event("BAN_GROUP", room.id))
    ack = bob.send_room_text(room.id, "hello?")
    assert (ack.code, ack.reason) == (ErrorCode.FAIL, Reason.NOT_IN_WHITE_LIST)
    for speaker in (alice, carol, dave):
        speaker.must_send_room_text(room.id, f"{speaker.name} may speak")
    assert admin.must_get_chatroom(room.id)[0]["mute"] is True
    assert admin.must_unmute_all_chatroom(room.id) == {"mute": False}
    bob.wait_for(match.room_event("REMOVE_BAN_GROUP", room.id))
    bob.must_send_room_text(room.id, "finally")


def test_join_result_shows_mute_all_and_the_allow_list(alice, login, admin, make_room):
    bob = login("bob")
    room = make_room(alice, members=[bob])
    admin.must_allow_chatroom_users(room.id, bob.name)
    admin.must_mute_all_chatroom(room.id)
    info = bob.must_join_room(room.id)
    assert (info.is_all_mute, info.is_in_white_list) == (True, True)


def test_allow_list_management(alice, login, admin, make_room):
    """Add / list / remove (ADD_/REMOVE_USER_WHITE_LIST to the member); a non-member cannot be added (403)."""
    bob, carol = login("bob"), login("carol")
    room = make_room(alice)
    bob.must_join_room(room.id)
    added = admin.must_allow_chatroom_users(room.id, bob.name)
    assert added == {"result": True, "action": "add_user_whitelist", "user": bob.name, "chatroomid": room.id}
    bob.wait_for(match.room_event("ADD_USER_WHITE_LIST", room.id, about=bob.name))
    assert admin.must_chatroom_allowlist(room.id) == [bob.name]
    [removed] = admin.must_disallow_chatroom_users(room.id, bob.name)
    assert (removed["result"], removed["action"]) == (True, "remove_user_whitelist")
    bob.wait_for(match.room_event("REMOVE_USER_WHITE_LIST", room.id, about=bob.name))
    resp = admin.allow_chatroom_users(room.id, carol.name)
    assert (resp.status_code, resp.json()["error_description"]) == (
        403, Reason.ROOM_NOT_MEMBERS.format(carol.name))


def test_plain_member_may_not_mute_others(alice, login, make_room, rest_as):
    """With a user token, only the owner and admins moderate: a member gets 403 `forbidden_op`."""
    bob, carol = login("bob"), login("carol")
    room = make_room(alice, members=[bob, carol])
    resp = rest_as(bob).mute_chatroom_members(room.id, carol.name, duration_ms=1000)
    assert resp.status_code == 403 and resp.json()["error"] == "forbidden_op"
    rest_as(alice).must_mute_chatroom_members(room.id, carol.name, duration_ms=1000)
