"""Deleting a user (`DELETE /users/{u}`, docs/protocol/rest.md §2.2) destroys the rooms it owns, like `DELETE
/chatrooms/{id}` would, and takes it out of the others: the members present see it leave (ABSENCE,
as on a removal: the docs say nothing more) and the room goes on without it."""
import pytest

from im_client import match

pytestmark = [pytest.mark.chatroom, pytest.mark.owner("yifan")]


@pytest.mark.rule("user-deletion-cascade")
def test_deleted_owner_takes_the_room_along(alice, login, admin, make_room, storage):
    bob = login("bob")
    room = make_room(alice, members=[bob])
    alice.must_join_room(room.id)
    bob.must_join_room(room.id)
    admin.must_delete_user(alice.name)
    bob.wait_for(match.room_event("DESTROY", room.id, by="admin"))
    gone = admin.get_chatroom(room.id)
    assert (gone.status_code, gone.json()["error_description"]) == (404, f"do not find this group:{room.id}")
    assert admin.must_joined_chatrooms(bob.name) == []
    storage.wait_for_event(kind="chatroom.destroyed", room=room.id, operator="admin")
    storage.wait_for_event(kind="user.deleted", user=alice.name)


@pytest.mark.rule("user-deletion-cascade")
def test_deleted_member_leaves_every_list_and_the_room_goes_on(alice, login, admin, make_room, storage):
    bob, carol = login("bob"), login("carol")
    room = make_room(alice, members=[bob, carol])
    for member in (alice, bob, carol):
        member.must_join_room(room.id)
    admin.must_add_chatroom_admin(room.id, carol.name)
    admin.must_mute_chatroom_members(room.id, carol.name, 60_000)
    admin.must_allow_chatroom_users(room.id, carol.name)

    admin.must_delete_user(carol.name)
    bob.wait_for(match.room_absence(room.id, carol.name, count=2))
    assert admin.must_chatroom_members(room.id) == [{"owner": alice.name}, {"member": bob.name}]
    assert admin.must_chatroom_admins(room.id) == []
    assert admin.must_chatroom_mutes(room.id) == []
    assert admin.must_chatroom_allowlist(room.id) == []
    storage.wait_for_event(kind="chatroom.left", room=room.id, user=carol.name, reason="user_deleted")

    sent = alice.must_send_room_text(room.id, "carol has gone")
    bob.wait_for(match.of(sent) & match.text("carol has gone"))
