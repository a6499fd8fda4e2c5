"""Joining and leaving a chatroom over msync (docs/protocol/msync.md §5.1): the join result, PRESENCE / ABSENCE."""
import pytest

from fixtures.chatrooms import assert_nothing_more
from fixtures.notices import assert_envelope
from im_client import ErrorCode, Reason, match

pytestmark = [pytest.mark.chatroom, pytest.mark.owner("yifan")]


@pytest.mark.rule("chatroom-join-info")
def test_join_result_describes_the_room(alice, admin, make_room):
    """The join ack carries the joiner's chatroomInfo: users present, mute state, allow list, creation time."""
    room = make_room(alice)
    info = alice.must_join_room(room.id)
    created = admin.must_get_chatroom(room.id)[0]["created"]
    assert (info.member_count, info.is_all_mute, info.is_in_white_list, info.mute_duration) == (1, False, False, 0)
    assert info.create_timestamp == created


@pytest.mark.rule("room-presence-count")
def test_present_members_see_presence_and_absence_with_the_count(alice, login, make_room):
    """A join reaches the others as PRESENCE with the join ext, a leave as ABSENCE; both carry mucMemberCount."""
    bob = login("bob")
    room = make_room(alice)
    alice.must_join_room(room.id)
    info = bob.must_join_room(room.id, ext="hello all")
    assert info.member_count == 2
    presence = alice.wait_for(match.room_presence(room.id, bob.name, count=2))
    assert presence.payload.ext == "hello all"
    bob.must_leave_room(room.id)
    alice.wait_for(match.room_absence(room.id, bob.name, count=1))
    assert_nothing_more(bob, match.room_presence(room.id, bob.name))  # no echo of one's own join


@pytest.mark.rule("room-join-makes-member")
def test_join_makes_a_member_and_leave_ends_the_membership(alice, login, admin, make_room):
    """Joining adds the user to the REST member list; leaving removes them again (the owner stays)."""
    bob = login("bob")
    room = make_room(alice)
    bob.must_join_room(room.id)
    assert {"member": bob.name} in admin.must_chatroom_members(room.id)
    assert [r["id"] for r in admin.must_joined_chatrooms(bob.name)] == [room.id]
    bob.must_leave_room(room.id)
    alice.must_join_room(room.id)
    alice.must_leave_room(room.id)
    assert admin.must_chatroom_members(room.id) == [{"owner": alice.name}]


@pytest.mark.rule("room-presence-count")
def test_second_device_joining_is_not_a_new_presence(alice, make_user, make_room, transport):
    """A user present on one device who joins from another stays one user present: no second PRESENCE."""
    bob = make_user("bob")
    room = make_room(alice)
    alice.must_join_room(room.id)
    phone = bob.login(transport, resource="py_phone")
    phone.must_join_room(room.id)
    alice.wait_for(match.room_presence(room.id, bob.name, count=2))
    laptop = bob.login(transport, resource="py_laptop")
    assert laptop.must_join_room(room.id).member_count == 2
    assert len(alice.received(match.room_presence(room.id, bob.name))) == 1


def test_join_with_leave_other_rooms_leaves_them(alice, login, make_room):
    """`leaveOtherRooms` makes the joiner leave every other room first (ABSENCE there)."""
    bob = login("bob")
    lobby, stage = make_room(alice), make_room(alice)
    alice.must_join_room(lobby.id)
    bob.must_join_room(lobby.id)
    bob.must_join_room(stage.id, leave_other_rooms=True)
    alice.wait_for(match.room_absence(lobby.id, bob.name, count=1))
    sent = alice.must_send_room_text(lobby.id, "still here?")
    assert_nothing_more(bob, match.of(sent))


@pytest.mark.rule("room-leave-not-member")
def test_leaving_a_room_one_is_not_in_is_refused(alice, login, make_room):
    """LEAVE from a user who is no member answers FAIL `not in group or chatroom`."""
    bob = login("bob")
    room = make_room(alice)
    ack = bob.leave_room(room.id)
    assert (ack.code, ack.reason) == (ErrorCode.FAIL, Reason.NOT_IN_GROUP)


@pytest.mark.rule("server-metas-carry-envelope")
def test_presence_notice_carries_sender_room_time_and_id(alice, login, make_room):
    """A room PRESENCE push is from `admin`, to the room, with an id and a timestamp."""
    bob = login("bob")
    room = make_room(alice)
    alice.must_join_room(room.id)
    bob.must_join_room(room.id)
    assert_envelope(alice.wait_for(match.room_presence(room.id, bob.name)), to=room.id, sender="admin")
