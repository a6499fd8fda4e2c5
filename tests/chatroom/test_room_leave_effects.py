"""What a departure sets off (chatrooms/service.py `leave`): a member who goes, present or not, is logged as
`chatroom.left` and takes their autoDelete=DELETE attributes along; a LEAVE from a user who is no member
is refused and sets off nothing."""
import pytest

from im_client import ErrorCode, Reason

pytestmark = [pytest.mark.chatroom, pytest.mark.owner("yifan")]


def test_a_member_removed_without_ever_joining_leaves_with_their_keys(make_user, make_room, admin, storage):
    """A member added by REST and removed by REST was never present; the departure is still logged and
    their auto-delete key goes (the kept one stays)."""
    alice, bob = make_user("alice"), make_user("bob")
    room = make_room(alice, members=[bob])
    admin.must_set_chatroom_attributes(room.id, bob.name, {"seat": "12"}, auto_delete=True)
    admin.must_set_chatroom_attributes(room.id, bob.name, {"badge": "gold"}, auto_delete=False)
    admin.must_remove_chatroom_members(room.id, bob.name)
    event = storage.wait_for_event(kind="chatroom.left", room=room.id, user=bob.name)
    assert (event["reason"], event["present"]) == ("kicked", 0)
    assert admin.must_get_chatroom_attributes(room.id) == {"badge": "gold"}


@pytest.mark.rule("room-leave-not-member")
def test_a_non_members_leave_sets_off_nothing(alice, login, make_room, storage):
    """LEAVE from a user who is no member of the room answers FAIL and logs no departure."""
    bob = login("bob")
    room = make_room(alice)
    ack = bob.leave_room(room.id)
    assert (ack.code, ack.reason) == (ErrorCode.FAIL, Reason.NOT_IN_GROUP)
    assert storage.events("chatroom.left", room=room.id) == []
