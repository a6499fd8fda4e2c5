"""Joins the server refuses, with the exact reasons the SDK maps (docs/protocol/msync.md §5.1)."""
import pytest

from im_client import ErrorCode, Reason
from im_client.chatroom import room_muc_meta
from im_wire import pb

pytestmark = [pytest.mark.chatroom, pytest.mark.owner("yifan")]

NO_SUCH_ROOM = "100000000000000001"


def test_join_of_a_room_that_does_not_exist(alice):
    """FAIL `grpID <id> does not exist!` (SDK 705 CHATROOM_NOT_EXIST)."""
    ack = alice.join_room(NO_SUCH_ROOM)
    assert (ack.code, ack.reason) == (ErrorCode.FAIL, Reason.ROOM_NOT_EXIST.format(NO_SUCH_ROOM))


def test_join_of_a_full_room(alice, login, admin, make_room):
    """With maxusers members already in, a newcomer gets FAIL `group member list is full!` (SDK 704)."""
    bob, carol = login("bob"), login("carol")
    room = make_room(alice, maxusers=2)
    bob.must_join_room(room.id)
    ack = carol.join_room(room.id)
    assert (ack.code, ack.reason) == (ErrorCode.FAIL, Reason.ROOM_FULL)
    assert {"member": carol.name} not in admin.must_chatroom_members(room.id)


def test_member_of_a_full_room_may_still_join(alice, login, make_room):
    """Fullness counts members: a member added by REST joins a full room."""
    bob = login("bob")
    room = make_room(alice, members=[bob], maxusers=2)
    assert bob.must_join_room(room.id).member_count == 1


def test_join_of_a_blocked_user(alice, login, admin, make_room):
    """A user on the block list gets FAIL `can not join this group, reason:user <u> is in the blacklist` (SDK 603)."""
    mallory = login("mallory")
    room = make_room(alice)
    admin.must_block_chatroom_users(room.id, mallory.name)
    ack = mallory.join_room(room.id)
    assert (ack.code, ack.reason) == (ErrorCode.FAIL, Reason.ROOM_BLOCKED.format(mallory.name))


@pytest.mark.app_config(chatroom_max_joined=2)
@pytest.mark.rule("chatroom-max-joined")
def test_join_beyond_the_joined_room_limit(login, make_user, make_room):
    """`chatroom_max_joined` rooms per user; one more answers FAIL `...has joined too many chatrooms!` (SDK 50)."""
    bob = login("bob")
    rooms = [make_room(make_user("owner")) for _ in range(3)]
    bob.must_join_room(rooms[0].id)
    bob.must_join_room(rooms[1].id)
    ack = bob.join_room(rooms[2].id)
    assert (ack.code, ack.reason) == (ErrorCode.FAIL, Reason.ROOM_TOO_MANY_JOINED.format(bob.name))
    bob.must_leave_room(rooms[0].id)
    bob.must_join_room(rooms[2].id)


@pytest.mark.app_config(chatroom_max_joined=1)
@pytest.mark.rule("chatroom-max-joined")
def test_leave_other_rooms_makes_room_under_the_limit(login, make_user, make_room):
    """Joining with leaveOtherRooms frees the joiner's slots before the limit is checked."""
    bob = login("bob")
    first, second = make_room(make_user("owner")), make_room(make_user("owner"))
    bob.must_join_room(first.id)
    assert bob.join_room(second.id).reason == Reason.ROOM_TOO_MANY_JOINED.format(bob.name)
    bob.must_join_room(second.id, leave_other_rooms=True)


@pytest.mark.rule("bad-input-statuses")
def test_malformed_room_items_are_refused_and_the_connection_stays(alice):
    """A MUC item whose body does not parse answers PB_PARSER_ERROR, one without a room WRONG_PARAMETER;
    the device stays connected."""
    garbage = pb.Meta(ns=pb.Meta.MUC, to=pb.JID(domain="easemob.com"), payload=b"\xff\xff\xff")
    ack = alice.send_meta(garbage)
    assert (ack.code, ack.reason) == (ErrorCode.PB_PARSER_ERROR, Reason.BAD_PAYLOAD)
    no_room = room_muc_meta(alice.appkey, alice.name, "", pb.MUCBody.JOIN)
    ack = alice.send_meta(no_room)
    assert (ack.code, ack.reason) == (ErrorCode.WRONG_PARAMETER, Reason.BAD_PAYLOAD)
    assert alice.ping().status.errorCode == ErrorCode.OK
