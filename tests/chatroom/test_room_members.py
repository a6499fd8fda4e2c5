"""Chatroom members and admins over REST (docs/protocol/rest.md §6.2), with the Easemob shapes and errors."""
import pytest

from im_client import Reason, match

pytestmark = [pytest.mark.chatroom, pytest.mark.owner("yifan")]


def test_add_and_remove_members(make_user, admin, make_room):
    """One by one and in batches; removing a batch reports non-members per user."""
    alice, bob, carol, dave = (make_user(n) for n in ("alice", "bob", "carol", "dave"))
    room = make_room(alice)
    assert admin.must_add_chatroom_member(room.id, bob.name) == {
        "result": True, "action": "add_member", "id": room.id, "user": bob.name}
    added = admin.must_add_chatroom_members(room.id, [carol.name, bob.name])
    assert added == {"newmembers": [carol.name], "action": "add_member", "id": room.id}
    assert admin.must_chatroom_members(room.id) == [{"owner": alice.name}, {"member": bob.name},
                                                    {"member": carol.name}]
    removed = admin.must_remove_chatroom_members(room.id, [bob.name, dave.name])
    assert removed == [{"result": True, "action": "remove_member", "user": bob.name, "id": room.id},
                       {"result": False, "action": "remove_member", "user": dave.name, "id": room.id,
                        "reason": f"user: {dave.name} doesn't exist in group: {room.id}"}]
    assert admin.must_chatroom_members(room.id, pagenum=1, pagesize=1) == [{"owner": alice.name}]


def test_add_refusals(make_user, admin, make_room):
    """Already a member 403; a full room 403 `group member list is full!`; an unknown user 404; over 60 names 400."""
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    room = make_room(alice, members=[bob], maxusers=2)
    again = admin.add_chatroom_member(room.id, bob.name)
    assert (again.status_code, again.json()["error"]) == (403, "forbidden_op")
    full = admin.add_chatroom_member(room.id, carol.name)
    assert (full.status_code, full.json()["error_description"]) == (403, Reason.ROOM_FULL)
    batch = admin.add_chatroom_members(room.id, [carol.name])
    assert (batch.status_code, batch.json()["error_description"]) == (
        403, "members size is greater than max user size !")
    ghost = admin.add_chatroom_member(room.id, "nobody-at-all")
    assert (ghost.status_code, ghost.json()["error_description"]) == (404, "username nobody-at-all doesn't exist!")
    many = admin.add_chatroom_members(room.id, [f"user{i}" for i in range(61)])
    assert (many.status_code, many.json()["error_description"]) == (
        400, "addMembers: addMembers number more than maxSize : 60")


@pytest.mark.app_config(chatroom_max_joined=1)
@pytest.mark.rule("chatroom-max-joined")
def test_add_beyond_the_joined_room_limit(make_user, admin, make_room):
    """`chatroom_max_joined` also bounds REST adds: 403 `exceeded_limit`, and a batch add skips the user."""
    bob = make_user("bob")
    first, second = make_room(make_user("owner")), make_room(make_user("owner"))
    admin.must_add_chatroom_member(first.id, bob.name)
    resp = admin.add_chatroom_member(second.id, bob.name)
    body = resp.json()
    assert (resp.status_code, body["error"], body["error_description"]) == (
        403, "exceeded_limit", Reason.ROOM_TOO_MANY_JOINED.format(bob.name))
    assert admin.must_add_chatroom_members(second.id, [bob.name])["newmembers"] == []


def test_admins(alice, login, admin, make_room, rest_as):
    """Owner-only: add (ADD_ADMIN to the user), list, remove (REMOVE_ADMIN); the errors of each."""
    bob, carol = login("bob"), login("carol")
    room = make_room(alice, members=[bob])
    bob.must_join_room(room.id)
    assert admin.must_add_chatroom_admin(room.id, bob.name) == {"result": "success", "newadmin": bob.name}
    bob.wait_for(match.room_event("ADD_ADMIN", room.id, about=bob.name))
    assert admin.must_chatroom_admins(room.id) == [bob.name]
    assert rest_as(bob).add_chatroom_admin(room.id, carol.name).status_code == 403  # admins do not appoint
    stranger = admin.add_chatroom_admin(room.id, carol.name)
    assert (stranger.status_code, stranger.json()["error_description"]) == (
        404, f"user: {carol.name} doesn't exist in group: {room.id}")
    assert rest_as(alice).must_remove_chatroom_admin(room.id, bob.name) == {
        "result": "success", "oldadmin": bob.name}
    bob.wait_for(match.room_event("REMOVE_ADMIN", room.id, about=bob.name))
    not_admin = admin.remove_chatroom_admin(room.id, bob.name)
    assert (not_admin.status_code, not_admin.json()["error_description"]) == (
        403, f"user:{bob.name} is not admin of group:{room.id}")


def test_admin_moderates_with_a_user_token(make_user, admin, make_room, rest_as):
    """An admin may add members and set the announcement; a plain member may not."""
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    room = make_room(alice, members=[bob, carol])
    assert rest_as(carol).add_chatroom_member(room.id, make_user("dave").name).status_code == 403
    admin.must_add_chatroom_admin(room.id, bob.name)
    rest_as(bob).must_add_chatroom_member(room.id, make_user("erin").name)
    rest_as(bob).must_set_chatroom_announcement(room.id, "by the admin")
