"""Chatroom messages reach the members present now, and nobody else (no offline storage)."""
import pytest

from fixtures.chatrooms import assert_nothing_more
from im_client import ErrorCode, Reason, match

pytestmark = [pytest.mark.chatroom, pytest.mark.owner("yifan")]


@pytest.mark.rule("chatroom-direct-push", "ack-timestamp-is-message-time")
def test_message_reaches_every_present_member(alice, login, make_room):
    """A room text is pushed to each present member with the sender's id, time and text; not back to the sender."""
    bob, carol = login("bob"), login("carol")
    room = make_room(alice)
    for member in (alice, bob, carol):
        member.must_join_room(room.id)
    sent = alice.must_send_room_text(room.id, "hello room", ext={"k": 1})
    for member in (bob, carol):
        got = member.wait_for(match.of(sent))
        assert (got.kind, got.text, got.sender, got.to) == ("chatroom", "hello room", alice.name, room.id)
        assert got.timestamp == sent.timestamp and got.ext_values == {"k": 1}
        assert got.queue == f"{room.id}@conference.easemob.com"
    assert_nothing_more(alice, match.of(sent))


@pytest.mark.rule("chatroom-direct-push")
def test_member_who_is_not_present_gets_nothing_ever(alice, make_user, make_room, transport):
    """A member added by REST who has not joined gets no push, and nothing waits for their login."""
    bob = make_user("bob")
    room = make_room(alice, members=[bob])
    alice.must_join_room(room.id)
    online = bob.login(transport, resource="py_phone")
    sent = alice.must_send_room_text(room.id, "only for those present")
    assert_nothing_more(online, match.of(sent))
    online.close()
    again = bob.login(transport, resource="py_phone")
    again.wait_offline_sync()
    assert_nothing_more(again, match.in_room(room.id))


@pytest.mark.rule("chatroom-direct-push", "room-join-makes-member")
def test_member_who_left_gets_nothing_and_rejoining_gets_only_new_messages(alice, login, make_room):
    """After LEAVE nothing arrives; after joining again only what is sent from then on."""
    bob = login("bob")
    room = make_room(alice)
    alice.must_join_room(room.id)
    bob.must_join_room(room.id)
    bob.must_leave_room(room.id)
    missed = alice.must_send_room_text(room.id, "while bob is away")
    assert_nothing_more(bob, match.of(missed))
    bob.must_join_room(room.id)
    fresh = alice.must_send_room_text(room.id, "welcome back")
    bob.wait_for(match.of(fresh))
    assert [m.text for m in bob.received(match.in_room(room.id))] == ["welcome back"]


@pytest.mark.rule("chatroom-direct-push")
def test_other_joined_device_of_the_sender_gets_the_message(make_user, login, make_room, transport):
    """Multi-device: the sender's other joined device receives the room message, the sending one does not."""
    alice = make_user("alice")
    phone = alice.login(transport, resource="py_phone")
    laptop = alice.login(transport, resource="py_laptop")
    room = make_room(alice)
    phone.must_join_room(room.id)
    laptop.must_join_room(room.id)
    sent = phone.must_send_room_text(room.id, "from my phone")
    assert laptop.wait_for(match.of(sent)).from_resource == "py_phone"
    assert_nothing_more(phone, match.of(sent))


@pytest.mark.rule("room-send-check-order")
def test_non_member_cannot_send(alice, login, make_room):
    """A user who is not in the room gets FAIL `not in group or chatroom` (SDK 602)."""
    mallory = login("mallory")
    room = make_room(alice)
    ack = mallory.send_room_text(room.id, "let me in")
    assert (ack.code, ack.reason) == (ErrorCode.FAIL, Reason.NOT_IN_GROUP)


@pytest.mark.rule("room-send-check-order")
def test_send_to_a_room_that_does_not_exist(alice):
    """FAIL `grpID <id> does not exist!` (SDK 705)."""
    ack = alice.send_room_text("100000000000000002", "anyone?")
    assert (ack.code, ack.reason) == (ErrorCode.FAIL, Reason.ROOM_NOT_EXIST.format("100000000000000002"))


@pytest.mark.rule("global-mute-permission-denied", "send-policy-order")
def test_room_send_passes_the_send_policy(alice, login, make_room, admin):
    """A globally muted user (chatroom scope) is refused with PERMISSION_DENIED `user is mute` (SDK 219)."""
    bob = login("bob")
    room = make_room(alice)
    bob.must_join_room(room.id)
    admin.must_mute_user(bob.name, chatroom=60)
    ack = bob.send_room_text(room.id, "shh")
    assert (ack.code, ack.reason) == (ErrorCode.PERMISSION_DENIED, Reason.GLOBAL_MUTE)
