"""Chatroom management over REST with the Easemob shapes (docs/protocol/rest.md §6.1)."""
import pytest

from im_client import ErrorCode, Reason, match

pytestmark = [pytest.mark.chatroom, pytest.mark.owner("yifan")]


@pytest.mark.rule("chatroom-detail-list")
def test_create_and_get_details(make_user, admin, make_room):
    """Details: the room's fields, `affiliations` (owner first) and their count."""
    alice, bob = make_user("alice"), make_user("bob")
    room = make_room(alice, members=[bob], name="Lobby", description="come in", maxusers=300, custom="{\"v\":1}")
    [detail] = admin.must_get_chatroom(room.id)
    assert {k: detail[k] for k in ("id", "name", "description", "maxusers", "owner", "custom", "mute")} == {
        "id": room.id, "name": "Lobby", "description": "come in", "maxusers": 300, "owner": alice.name,
        "custom": "{\"v\":1}", "mute": False}
    assert detail["affiliations"] == [{"owner": alice.name}, {"member": bob.name}]
    assert detail["affiliations_count"] == 2 and detail["created"] > 0


@pytest.mark.rule("chatroom-detail-list", "room-default-maxusers")
def test_defaults_and_several_rooms_at_once(make_user, admin, make_room):
    alice = make_user("alice")
    first, second = make_room(alice), make_room(alice)
    details = admin.must_get_chatroom([first.id, second.id])
    assert [d["id"] for d in details] == [first.id, second.id]
    assert details[0]["maxusers"] == 1000


def test_create_refusals(make_user, admin):
    """Missing fields 400; unknown owner 404 `username <u> doesn't exist!`; members over maxusers 403."""
    alice, bob = make_user("alice"), make_user("bob")
    missing = admin.request("POST", "/chatrooms", json_body={"description": "d", "owner": alice.name})
    assert (missing.status_code, missing.json()["error_description"]) == (400, "name must be provided")
    ghost = admin.create_chatroom("nobody-at-all")
    assert (ghost.status_code, ghost.json()["error_description"]) == (404, "username nobody-at-all doesn't exist!")
    crowded = admin.create_chatroom(alice.name, members=[bob.name], maxusers=1)
    assert (crowded.status_code, crowded.json()["error_description"]) == (
        403, "members size is greater than max user size !")
    long_name = admin.create_chatroom(alice.name, name="n" * 129)
    assert (long_name.status_code, long_name.json()["error_description"]) == (403, "title cannot exceed to 128")


@pytest.mark.app_config(chatroom_max_members=50)
def test_maxusers_is_bounded_by_the_app_setting(make_user, admin, make_room):
    """`chatroom_max_members` caps maxusers: above it 403 `maxUsers cannot exceed <n>`, on create and update."""
    alice = make_user("alice")
    resp = admin.create_chatroom(alice.name, maxusers=51)
    assert (resp.status_code, resp.json()["error_description"]) == (403, "maxUsers cannot exceed 50")
    room = make_room(alice)
    assert admin.must_get_chatroom(room.id)[0]["maxusers"] == 50
    resp = admin.update_chatroom(room.id, maxusers=51)
    assert (resp.status_code, resp.json()["error"]) == (403, "exceed_limit")


def test_update_tells_those_present(alice, admin, make_room):
    """Name (also as `groupname`), description and maxusers change; present members get UPDATE."""
    room = make_room(alice)
    alice.must_join_room(room.id)
    answer = admin.must_update_chatroom(room.id, groupname="Stage", description="now live", maxusers=20)
    assert answer == {"groupname": True, "description": True, "maxusers": True}
    alice.wait_for(match.room_event("UPDATE", room.id, by="admin"))
    [detail] = admin.must_get_chatroom(room.id)
    assert (detail["name"], detail["description"], detail["maxusers"]) == ("Stage", "now live", 20)
    bad = admin.update_chatroom(room.id, colour="red")
    assert (bad.status_code, bad.json()["error_description"]) == (400, "some of [colour] are not valid fields")


def test_transfer_owner(alice, login, admin, make_room):
    """The new owner must be a member; present members get ASSIGN_OWNER; the old owner becomes a member."""
    bob = login("bob")
    room = make_room(alice, members=[bob])
    bob.must_join_room(room.id)
    same = admin.transfer_chatroom_owner(room.id, alice.name)
    assert (same.status_code, same.json()["error_description"]) == (403, "new owner and old owner are the same")
    assert admin.must_transfer_chatroom_owner(room.id, bob.name) == {"newowner": True}
    bob.wait_for(match.room_event("ASSIGN_OWNER", room.id, about=bob.name))
    assert admin.must_chatroom_members(room.id) == [{"owner": bob.name}, {"member": alice.name}]


# who the ownership goes to -> the name's prefix (the owner's is "mia"), and whether the room has them as a member
TRANSFERS = {"member-sorting-before": ("ann", True), "member-sorting-after": ("zoe", True),
             "the-owner": (None, True), "not-a-member": ("ann", False)}


@pytest.mark.parametrize("case", list(TRANSFERS))
def test_transfer_owner_by_name(make_user, admin, make_room, case):
    """Any member may become the owner, whatever their name's order against the owner's; the owner itself or a
    non-member answers 403 forbidden_op and the room keeps its owner."""
    owner = make_user("mia")
    prefix, member = TRANSFERS[case]
    heir = owner if prefix is None else make_user(prefix)
    room = make_room(owner, members=[heir] if member and heir is not owner else [])
    resp = admin.transfer_chatroom_owner(room.id, heir.name)
    if case.startswith("member-"):
        assert (resp.status_code, resp.json()["data"]) == (200, {"newowner": True}), resp.text
        assert admin.must_chatroom_members(room.id) == [{"owner": heir.name}, {"member": owner.name}]
        return
    reason = ("new owner and old owner are the same" if heir is owner
              else f"user: {heir.name} doesn't exist in group: {room.id}")
    body = resp.json()
    assert (resp.status_code, body["error"], body["error_description"]) == (403, "forbidden_op", reason)
    assert admin.must_chatroom_members(room.id)[0] == {"owner": owner.name}


@pytest.mark.rule("room-send-check-order")
def test_destroy_tells_those_present_and_the_room_is_gone(alice, login, admin, make_room):
    """Present members get DESTROY; afterwards details answer 404 and sends FAIL `grpID <id> does not exist!`."""
    bob = login("bob")
    room = make_room(alice)
    bob.must_join_room(room.id)
    assert admin.must_delete_chatroom(room.id) == {"success": True, "id": room.id}
    bob.wait_for(match.room_event("DESTROY", room.id))
    gone = admin.get_chatroom(room.id)
    assert (gone.status_code, gone.json()["error_description"]) == (404, f"do not find this group:{room.id}")
    ack = bob.send_room_text(room.id, "hello?")
    assert (ack.code, ack.reason) == (ErrorCode.FAIL, Reason.ROOM_NOT_EXIST.format(room.id))


def test_list_rooms_with_a_cursor(make_user, admin, make_room):
    """`GET /chatrooms?limit&cursor` pages through every room of the app."""
    alice = make_user("alice")
    mine = {make_room(alice).id for _ in range(3)}
    first = admin.must_list_chatrooms(limit=2)
    assert first["count"] == 2 and first["cursor"]
    seen, cursor = {}, None
    while True:
        page = admin.must_list_chatrooms(limit=1000, cursor=cursor)
        seen.update({r["id"]: r for r in page["data"]})
        cursor = page.get("cursor")
        if cursor is None:
            break
    assert mine <= set(seen)
    assert {seen[i]["owner"] for i in mine} == {alice.name} and {seen[i]["affiliations_count"] for i in mine} == {1}


def test_rooms_of_a_user(make_user, admin, make_room, rest_as):
    """`GET /users/{u}/joined_chatrooms`, also with the user's own token."""
    alice, bob = make_user("alice"), make_user("bob")
    lobby = make_room(alice, members=[bob], name="lobby")
    assert admin.must_joined_chatrooms(bob.name) == [{"id": lobby.id, "name": "lobby"}]
    assert rest_as(bob).must_joined_chatrooms(bob.name) == [{"id": lobby.id, "name": "lobby"}]


@pytest.mark.rule("room-create-needs-super-admin")
def test_super_admins_may_create_rooms_with_their_token(make_user, admin, rest_as):
    """Only a super admin creates rooms with a user token (others 403); the list and removal work."""
    alice, bob = make_user("alice"), make_user("bob")
    denied = rest_as(alice).create_chatroom(alice.name)
    assert (denied.status_code, denied.json()["error"]) == (403, "forbidden_op")
    assert admin.must_add_chatroom_super_admin(alice.name) == {"result": "success", "resource": ""}
    try:
        assert alice.name in admin.must_chatroom_super_admins(pagesize=1000)
        room_id = rest_as(alice).must_create_chatroom(alice.name, members=[bob.name])["id"]
        assert admin.must_get_chatroom(room_id)[0]["owner"] == alice.name
        admin.must_delete_chatroom(room_id)
    finally:
        assert admin.must_remove_chatroom_super_admin(alice.name) == {"newSuperAdmin": alice.name, "resource": ""}
    assert alice.name not in admin.must_chatroom_super_admins(pagesize=1000)


def test_announcement(alice, login, admin, make_room, rest_as):
    """Set / get; present members get UPDATE_ANNOUNCEMENT with the text; over 512 characters 403;
    a plain member may not set it."""
    bob = login("bob")
    room = make_room(alice, members=[bob])
    bob.must_join_room(room.id)
    assert admin.must_set_chatroom_announcement(room.id, "welcome") == {"id": room.id, "result": True}
    notice = bob.wait_for(match.room_event("UPDATE_ANNOUNCEMENT", room.id))
    assert notice.payload.reason == "welcome"
    assert admin.must_chatroom_announcement(room.id) == {"announcement": "welcome"}
    too_long = admin.set_chatroom_announcement(room.id, "a" * 513)
    assert (too_long.status_code, too_long.json()["error_description"]) == (
        403, "announce info length exceeds limit!")
    assert rest_as(bob).set_chatroom_announcement(room.id, "mine now").status_code == 403


def test_unknown_room(admin):
    """Operations on a room that does not exist: 404 `resource_not_found` `grpID <id> does not exist!`."""
    resp = admin.chatroom_members("100000000000000003")
    body = resp.json()
    assert (resp.status_code, body["error"], body["error_description"]) == (
        404, "resource_not_found", Reason.ROOM_NOT_EXIST.format("100000000000000003"))
    assert admin.chatroom_announcement("100000000000000003").status_code != 200
