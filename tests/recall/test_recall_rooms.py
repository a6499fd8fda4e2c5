"""Recall of room messages (docs/protocol/rest.md §3.4, chat_type chatroom): over msync by the sender or a room
manager, over REST by the admin; the notice is pushed to the members present, the history drops it."""
import pytest

from fixtures.chatrooms import assert_nothing_more
from im_client import ErrorCode, Reason, match
from im_client.match import recall_of
from im_client.rest_storage import conversation_queue

pytestmark = [pytest.mark.recall, pytest.mark.owner("caixiangyue")]


@pytest.mark.rule("chatroom-recall", "recall-removes-everywhere")
def test_sender_recalls_a_room_message(alice, login, make_room, admin):
    """The present members get the RECALL pushed; the room's history no longer has the message."""
    bob, carol = login("bob"), login("carol")
    room = make_room(alice)
    for member in (alice, bob, carol):
        member.must_join_room(room.id)
    sent = alice.must_send_room_text(room.id, "oops, wrong room")
    bob.wait_for(match.of(sent))
    alice.must_recall(sent)
    for member in (bob, carol):
        notice = member.wait_for(recall_of(sent))
        assert (notice.sender, notice.queue) == (alice.name, f"{room.id}@conference.easemob.com")
    assert_nothing_more(alice, recall_of(sent))
    history = admin.must_history(bob.name, conversation_queue(room=room.id))
    assert sent.server_id not in [m.id for m in history]


@pytest.mark.rule("chatroom-recall")
def test_room_recall_reaches_the_senders_other_present_device(make_user, login, make_room, transport):
    alice = make_user("alice")
    phone, laptop = alice.login(transport, resource="py_phone"), alice.login(transport, resource="py_laptop")
    room = make_room(alice)
    phone.must_join_room(room.id)
    laptop.must_join_room(room.id)
    sent = phone.must_send_room_text(room.id, "typo")
    phone.must_recall(sent)
    laptop.wait_for(recall_of(sent))


@pytest.mark.rule("chatroom-recall")
def test_member_cannot_recall_another_members_message_but_the_owner_can(alice, login, make_room):
    """bob (a member) is refused `Sorry, You do not have permission`; alice (the owner) recalls carol's message."""
    bob, carol = login("bob"), login("carol")
    room = make_room(alice)
    for member in (alice, bob, carol):
        member.must_join_room(room.id)
    sent = carol.must_send_room_text(room.id, "spam")
    ack = bob.recall(sent)
    assert (ack.code, ack.reason) == (ErrorCode.FAIL, Reason.NO_PERMISSION)
    alice.must_recall(sent)
    bob.wait_for(recall_of(sent))


@pytest.mark.rule("chatroom-recall")
def test_non_member_cannot_recall(alice, login, make_room):
    mallory = login("mallory")
    room = make_room(alice)
    alice.must_join_room(room.id)
    sent = alice.must_send_room_text(room.id, "hello")
    ack = mallory.recall(sent)
    assert (ack.code, ack.reason) == (ErrorCode.FAIL, Reason.NOT_IN_GROUP)


@pytest.mark.rule("chatroom-recall")
def test_admin_recalls_a_room_message_over_rest(alice, login, make_room, admin):
    bob = login("bob")
    room = make_room(alice)
    alice.must_join_room(room.id)
    bob.must_join_room(room.id)
    sent = alice.must_send_room_text(room.id, "moderate me")
    data = admin.must_recall_message(sent.server_id, to=room.id, chat_type="chatroom")
    assert (data["recalled"], data["chattype"]) == ("yes", "chatroom")
    for member in (alice, bob):
        assert member.wait_for(recall_of(sent)).sender == "admin"
