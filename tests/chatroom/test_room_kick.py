"""Removing members: a kick (REST member removal) and the block list (docs/protocol/rest.md §6.2)."""
import pytest

from fixtures.chatrooms import assert_nothing_more
from im_client import ErrorCode, Reason, match

pytestmark = [pytest.mark.chatroom, pytest.mark.owner("yifan")]


@pytest.mark.rule("room-join-makes-member")
def test_kicked_member_gets_kick_and_stops_receiving(alice, login, admin, make_room):
    """The kicked member's devices get KICK, the others ABSENCE, and nothing of the room reaches them any more."""
    bob, carol = login("bob"), login("carol")
    room = make_room(alice)
    for member in (alice, bob, carol):
        member.must_join_room(room.id)
    result = admin.must_remove_chatroom_members(room.id, bob.name)
    assert result == {"result": True, "action": "remove_member", "user": bob.name, "id": room.id}
    kick = bob.wait_for(match.room_kick(room.id, bob.name))
    assert getattr(kick.payload, "from").name == "admin"
    carol.wait_for(match.room_absence(room.id, bob.name, count=2))
    sent = alice.must_send_room_text(room.id, "bob is gone")
    carol.wait_for(match.of(sent))
    assert_nothing_more(bob, match.of(sent))
    ack = bob.send_room_text(room.id, "wait")
    assert (ack.code, ack.reason) == (ErrorCode.FAIL, Reason.NOT_IN_GROUP)


def test_owner_or_admin_kicks_with_a_user_token(alice, login, make_room, rest_as, admin):
    """An admin may kick a member; the KICK names the admin as operator."""
    bob, carol = login("bob"), login("carol")
    room = make_room(alice, members=[bob])
    admin.must_add_chatroom_admin(room.id, bob.name)
    carol.must_join_room(room.id)
    rest_as(bob).must_remove_chatroom_members(room.id, carol.name)
    kick = carol.wait_for(match.room_kick(room.id, carol.name))
    assert getattr(kick.payload, "from").name == bob.name


def test_kick_refusals(alice, login, admin, make_room):
    """A non-member: 400 `users [u] are not members of this group!`; the owner: 403."""
    bob = login("bob")
    room = make_room(alice)
    resp = admin.remove_chatroom_members(room.id, bob.name)
    assert (resp.status_code, resp.json()["error_description"]) == (400, Reason.ROOM_NOT_MEMBERS.format(bob.name))
    resp = admin.remove_chatroom_members(room.id, alice.name)
    assert (resp.status_code, resp.json()["error_description"]) == (403, Reason.ROOM_OWNER_OPERATION)


def test_blocked_member_is_kicked_and_cannot_return(alice, login, admin, make_room):
    """Blocking a present member kicks them; joining again is refused until they are unblocked."""
    bob = login("bob")
    room = make_room(alice)
    alice.must_join_room(room.id)
    bob.must_join_room(room.id)
    result = admin.must_block_chatroom_users(room.id, bob.name)
    assert result == {"result": True, "action": "add_blocks", "user": bob.name, "chatroomid": room.id}
    bob.wait_for(match.room_kick(room.id, bob.name))
    alice.wait_for(match.room_absence(room.id, bob.name, count=1))
    assert admin.must_chatroom_blocks(room.id) == [bob.name]
    assert bob.join_room(room.id).reason == Reason.ROOM_BLOCKED.format(bob.name)
    unblocked = admin.must_unblock_chatroom_users(room.id, bob.name)
    assert (unblocked["result"], unblocked["action"]) == (True, "remove_blocks")
    bob.must_join_room(room.id)


def test_blocked_user_cannot_be_added_by_rest(alice, login, admin, make_room):
    bob = login("bob")
    room = make_room(alice)
    admin.must_block_chatroom_users(room.id, [bob.name])
    resp = admin.add_chatroom_member(room.id, bob.name)
    assert (resp.status_code, resp.json()["error_description"]) == (403, Reason.ROOM_BLOCKED.format(bob.name))
