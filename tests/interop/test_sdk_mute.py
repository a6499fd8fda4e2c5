"""Mute errors as the Web SDK reports them (219 / 507), and mutes the SDK itself sets over REST."""
import pytest

from im_client import ErrorCode, Reason, match
from im_e2e.interop.sdk_driver import sdk_event

pytestmark = [pytest.mark.interop, pytest.mark.mute, pytest.mark.owner("caixiangyue")]

# SDK error types (docs/protocol/msync.md §5.3, §6.1)
USER_MUTED_BY_ADMIN = 219       # PERMISSION_DENIED `user is mute`: app-level mute
MUTED_IN_GROUP_OR_ROOM = 507    # USER_MUTED: member mute in a group or chatroom
NOT_ON_ALLOW_LIST = 506         # FAIL `not in group or chatroom white list`: mute-all, not allow-listed


def test_globally_muted_sdk_user_is_refused_with_219(sdk_login, login, admin):
    """An app-level mute makes the SDK's 1:1 send reject with USER_MUTED_BY_ADMIN (219); nothing is queued."""
    alice, bob = sdk_login("alice"), login("bob")
    admin.must_mute_user(alice.name, chat=600)
    refused = alice.send_text(bob.name, "you will never read this")
    assert (refused.ok, refused.error.type) == (False, USER_MUTED_BY_ADMIN)
    admin.must_unmute_user(alice.name)
    sent = alice.must_send_text(bob.name, "free again")
    assert bob.wait_for(match.sender(alice.name)).id == sent.server_id  # the refused one was never queued


def test_sdk_member_muted_in_a_group_is_refused_with_507_and_told(make_user, sdk_login, make_group, rest_as,
                                                                  transport):
    """A group member mute reaches the SDK as onGroupEvent muteMember, and its group sends reject with 507."""
    alice, bob = make_user("alice"), make_user("bob")
    group = make_group(bob, members=[alice])
    tab = sdk_login(alice)
    owner = bob.login(transport)
    rest_as(owner).must_mute_group_members(group.id, alice.name, 60_000)
    told = tab.wait_for(sdk_event("onGroupEvent", operation="muteMember", id=group.id))
    assert told["userId"] == alice.name
    refused = tab.send_text(group.id, "can you hear me?", chat_type="groupChat")
    assert (refused.ok, refused.error.type) == (False, MUTED_IN_GROUP_OR_ROOM)


def test_mute_set_by_the_sdk_owner_refuses_the_im_client_member(make_user, sdk_login, make_group, transport):
    """`conn.muteGroupMember` (REST, user token): the muted im_client member's sends get USER_MUTED."""
    alice, bob = make_user("alice"), make_user("bob")
    group = make_group(alice, members=[bob])
    tab = sdk_login(alice)
    member = bob.login(transport)
    tab.call("muteGroupMember", {"groupId": group.id, "username": bob.name, "muteDuration": 60_000})
    member.wait_for(match.muc("ADD_MUTE", group.id, user=bob.name))
    ack = member.send_group_text(group.id, "muted by the SDK")
    assert (ack.code, ack.reason) == (ErrorCode.USER_MUTED, Reason.USER_MUTED)


def test_sdk_member_muted_in_a_chatroom_is_refused_with_507(sdk_login, login, make_room, admin):
    """A chatroom member mute reaches the SDK as onChatroomEvent muteMember, and its room sends reject with 507."""
    alice, bob = sdk_login("alice"), login("bob")
    room = make_room(bob)
    bob.must_join_room(room.id)
    alice.call("joinChatRoom", {"roomId": room.id})
    admin.must_mute_chatroom_members(room.id, alice.name, duration_ms=60_000)
    alice.wait_for(sdk_event("onChatroomEvent", operation="muteMember", id=room.id))
    refused = alice.send_text(room.id, "can you hear me?", chat_type="chatRoom")
    assert (refused.ok, refused.error.type) == (False, MUTED_IN_GROUP_OR_ROOM)


@pytest.mark.rule("group-mute-all-not-in-white-list", "room-mute-all-allow-list")
def test_mute_all_refuses_the_sdk_with_506_in_groups_and_rooms(make_user, sdk_login, make_group, make_room,
                                                               rest_as, admin):
    """Under mute-all a member not on the allow list gets SERVICE_NOT_ALLOW_MESSAGING (506), in a group and in a room."""
    alice, bob = make_user("alice"), make_user("bob")
    group = make_group(bob, members=[alice])
    room = make_room(bob)
    tab = sdk_login(alice)
    tab.call("joinChatRoom", {"roomId": room.id})
    rest_as(bob).must_mute_all_group(group.id)
    admin.must_mute_all_chatroom(room.id)
    for target, chat_type in ((group.id, "groupChat"), (room.id, "chatRoom")):
        refused = tab.send_text(target, "anyone?", chat_type=chat_type)
        assert (refused.ok, refused.error.type) == (False, NOT_ON_ALLOW_LIST), chat_type
