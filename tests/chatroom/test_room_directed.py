"""Directed room messages (docs/protocol/msync.md §4.2 ROUTE_DIRECT, docs/protocol/rest.md §3.1 `POST /messages/chatrooms/users`):
only the named members receive them, the other members present in the room do not."""
import pytest

from fixtures.chatrooms import assert_nothing_more
from im_client import match
from im_client.rest_storage import conversation_queue

pytestmark = [pytest.mark.chatroom, pytest.mark.owner("yifan")]


def test_directed_message_reaches_only_the_named_member(alice, login, make_room):
    """Three present members, a message directed to bob: bob gets it, carol does not."""
    bob, carol = login("bob"), login("carol")
    room = make_room(alice)
    for member in (alice, bob, carol):
        member.must_join_room(room.id)
    sent = alice.must_send_room_text(room.id, "just for bob", directed_users=[bob.name])
    got = bob.wait_for(match.of(sent))
    assert (got.text, got.meta.routetype, list(got.meta.directedUsers)) == (
        "just for bob", got.meta.ROUTE_DIRECT, [bob.name])
    assert_nothing_more(carol, match.of(sent))


def test_directed_message_reaches_the_senders_other_device(make_user, login, make_room, transport):
    """The sender's other joined device is told of its own directed message; other members are not."""
    alice = make_user("alice")
    phone, laptop = alice.login(transport, resource="py_phone"), alice.login(transport, resource="py_laptop")
    bob, carol = login("bob"), login("carol")
    room = make_room(alice)
    for member in (phone, laptop, bob, carol):
        member.must_join_room(room.id)
    sent = phone.must_send_room_text(room.id, "psst", directed_users=[bob.name])
    bob.wait_for(match.of(sent))
    laptop.wait_for(match.of(sent))
    assert_nothing_more(carol, match.of(sent))


@pytest.mark.rule("directed-messages-not-in-history")
def test_rest_directed_message_reaches_only_the_named_members(alice, login, admin, make_room):
    """POST /messages/chatrooms/users: the listed members get it, the others present do not, history does not keep it."""
    bob, carol, dave = login("bob"), login("carol"), login("dave")
    room = make_room(alice)
    for member in (alice, bob, carol, dave):
        member.must_join_room(room.id)
    ids = admin.must_send_directed_text("chatrooms", room.id, [bob.name, carol.name], "for two", sender=alice.name)
    msg_id = int(ids[room.id])
    for member in (bob, carol):
        assert member.wait_for(match.message_id(msg_id)).text == "for two"
    assert_nothing_more(dave, match.message_id(msg_id))
    assert msg_id not in [m.id for m in admin.must_history(dave.name, conversation_queue(room=room.id))]


def test_rest_directed_message_needs_users(admin, alice, make_room):
    """No `users`, or more than 20, is a 400 `message_send_error`."""
    room = make_room(alice)
    none = admin.send_directed_text("chatrooms", room.id, [], "x")
    assert (none.status_code, none.json()["error_description"]) == (400, "param users can't be empty")
    many = admin.send_directed_text("chatrooms", room.id, [f"u{i}" for i in range(21)], "x")
    assert (many.status_code, many.json()["error"]) == (400, "message_send_error")
