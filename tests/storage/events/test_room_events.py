"""The event log of chatroom operations: creation, presence, a member's message going out."""
import pytest

pytestmark = [pytest.mark.chatroom, pytest.mark.owner("yifan")]


def test_room_creation_join_and_message_are_logged(alice, login, make_room, storage):
    bob = login("bob")
    room = make_room(alice)
    storage.wait_for_event(kind="chatroom.created", room=room.id)
    bob.must_join_room(room.id)
    joined = storage.wait_for_event(kind="chatroom.joined", room=room.id, user=bob.name)
    assert joined["resource"] == bob.resource
    sent = bob.must_send_room_text(room.id, "hello room")
    up = storage.wait_for_event(kind="message.upstream", id=sent.server_id)
    assert up["sender"] == bob.name
