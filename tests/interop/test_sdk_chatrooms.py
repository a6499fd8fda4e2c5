"""Chatrooms between the Web SDK and im_client: join, message, leave, both ways."""
import pytest

from fixtures.chatrooms import assert_nothing_more
from im_client import match
from im_e2e.interop.sdk_driver import sdk_event, sdk_message

pytestmark = [pytest.mark.interop, pytest.mark.chatroom, pytest.mark.owner("yifan")]

CHATROOM_NOT_EXIST = 705  # SDK type for a join refused with `grpID … does not exist!` (docs/protocol/msync.md §5.1)


def test_sdk_joins_chats_and_leaves_while_an_im_client_member_watches(sdk_login, login, make_room):
    """The join result, PRESENCE, a message each way, ABSENCE: what the SDK and im_client see of each other."""
    alice, bob = sdk_login("alice"), login("bob")
    room = make_room(bob)
    bob.must_join_room(room.id)
    joined = alice.call("joinChatRoom", {"roomId": room.id, "ext": "hi all"})
    assert (joined["data"]["result"], joined["data"]["id"], joined["data"]["user"]) == (True, room.id, alice.name)
    assert joined["data"]["info"]["memberCount"] == 2
    presence = bob.wait_for(match.room_presence(room.id, alice.name, count=2))
    assert presence.payload.ext == "hi all"

    sent = alice.must_send_text(room.id, "hello room", chat_type="chatRoom")
    got = bob.wait_for(match.of(sent))
    assert (got.kind, got.text, got.sender, got.to) == ("chatroom", "hello room", alice.name, room.id)
    back = bob.must_send_room_text(room.id, "hello sdk")
    heard = alice.wait_for(sdk_message(back))
    assert (heard["chatType"], heard["from"], heard["to"]) == ("chatRoom", bob.name, room.id)

    alice.call("leaveChatRoom", {"roomId": room.id})
    bob.wait_for(match.room_absence(room.id, alice.name, count=1))


def test_im_client_join_and_leave_are_sdk_chatroom_events(sdk_login, login, make_room):
    """An im_client join and leave reach the SDK as onChatroomEvent memberPresence / memberAbsence with the count."""
    alice, bob = sdk_login("alice"), login("bob")
    room = make_room(alice.user)
    alice.call("joinChatRoom", {"roomId": room.id})
    bob.must_join_room(room.id, ext="bob here")
    presence = alice.wait_for(sdk_event("onChatroomEvent", operation="memberPresence", **{"from": bob.name}))
    assert (presence["id"], presence["memberCount"], presence["ext"]) == (room.id, 2, "bob here")
    bob.must_leave_room(room.id)
    absence = alice.wait_for(sdk_event("onChatroomEvent", operation="memberAbsence", **{"from": bob.name}))
    assert (absence["id"], absence["memberCount"]) == (room.id, 1)


def test_sdk_that_left_gets_no_more_room_messages(sdk_login, login, make_room):
    """After leaveChatRoom the SDK gets no room message sent from then on."""
    alice, bob = sdk_login("alice"), login("bob")
    room = make_room(bob)
    bob.must_join_room(room.id)
    alice.call("joinChatRoom", {"roomId": room.id})
    alice.call("leaveChatRoom", {"roomId": room.id})
    missed = bob.must_send_room_text(room.id, "after you left")
    # the room pushes before it acks; this message from bob to alice is queued after any push
    marker = bob.must_send_text(alice.name, "marker")
    alice.wait_for(sdk_message(marker))
    assert not alice.received(sdk_event("onTextMessage", id=str(missed.server_id)))


def test_sdk_join_of_a_room_that_does_not_exist_is_705(sdk_login):
    """joinChatRoom of an unknown room rejects with CHATROOM_NOT_EXIST (705)."""
    alice = sdk_login("alice")
    refused = alice.try_call("joinChatRoom", {"roomId": "999999999999"})
    assert (refused.ok, refused.error.type) == (False, CHATROOM_NOT_EXIST)


def test_sdk_directed_room_message_reaches_only_the_named_member(sdk_login, login, make_room):
    """A chatRoom text with `receiverList` reaches the listed member; another present member gets nothing."""
    alice, bob, carol = sdk_login("alice"), login("bob"), login("carol")
    room = make_room(bob)
    bob.must_join_room(room.id)
    carol.must_join_room(room.id)
    alice.call("joinChatRoom", {"roomId": room.id})
    sent = alice.must_send_text(room.id, "just for bob", chat_type="chatRoom", receiverList=[bob.name])
    got = bob.wait_for(match.of(sent))
    assert (got.text, list(got.meta.directedUsers)) == ("just for bob", [bob.name])
    assert_nothing_more(carol, match.of(sent))


def test_sdk_single_user_checks_of_the_room_lists(sdk_login, login, make_room, admin):
    """isInChatRoomAllowlist and isInChatRoomMutelist answer from the sandbox's lists."""
    alice, bob = sdk_login("alice"), login("bob")
    room = make_room(bob, members=[alice.name])
    admin.must_allow_chatroom_users(room.id, alice.name)
    allowed = alice.call("isInChatRoomAllowlist", {"chatRoomId": room.id, "userName": alice.name})
    assert allowed["data"] is True
    admin.must_mute_chatroom_members(room.id, alice.name, -1)
    muted = alice.call("isInChatRoomMutelist", {"chatRoomId": room.id})
    assert (muted["data"]["mute"], muted["data"]["expire"]) == (True, -1)
