"""Only a room's owner and admins administer it: a member (or an admin of another room) gets 403
for every admin operation, and the room is unchanged (docs/protocol/rest.md §4, docs/protocol/msync.md §5.3)."""
import pytest

from im_client import match

pytestmark = [pytest.mark.chatroom, pytest.mark.owner("yifan")]


def _admin_attempts(as_user, room_id: str, victim: str, me: str):
    return {
        "mute a member": as_user.mute_chatroom_members(room_id, victim, duration_ms=60_000),
        "mute everyone": as_user.mute_all_chatroom(room_id),
        "kick a member": as_user.remove_chatroom_members(room_id, victim),
        "block a member": as_user.block_chatroom_users(room_id, victim),
        "promote itself": as_user.add_chatroom_admin(room_id, me),
        "take the room": as_user.transfer_chatroom_owner(room_id, me),
        "rename the room": as_user.update_chatroom(room_id, name="taken over"),
        "set the announcement": as_user.set_chatroom_announcement(room_id, "taken over"),
        "destroy the room": as_user.delete_chatroom(room_id),
    }


def _assert_refused(attempts: dict) -> None:
    for what, resp in attempts.items():
        body = resp.json()
        assert resp.status_code == 403, f"{what}: {resp.status_code} {body}"
        assert isinstance(body, dict) and body["error"] == "forbidden_op" and body["error_description"], what


def _assert_unchanged(admin, room, owner, victim, mallory) -> None:
    assert admin.must_chatroom_admins(room.id) == []
    assert admin.must_chatroom_mutes(room.id) == []
    assert admin.must_chatroom_blocks(room.id) == []
    sent = victim.must_send_room_text(room.id, "still here, still speaking")
    owner.wait_for(match.of(sent))
    mallory.wait_for(match.of(sent))


def test_member_cannot_act_as_room_admin(alice, login, make_room, rest_as, admin):
    """A plain member's admin operations are all 403 `forbidden_op`."""
    bob, mallory = login("bob"), login("mallory")
    room = make_room(alice, members=[bob.name, mallory.name])
    for member in (alice, bob, mallory):
        member.must_join_room(room.id)
    _assert_refused(_admin_attempts(rest_as(mallory), room.id, bob.name, mallory.name))
    _assert_unchanged(admin, room, alice, bob, mallory)


def test_admin_of_another_room_has_no_rights_here(alice, login, make_room, rest_as, admin):
    """Being admin (even owner) of one room gives no rights in another."""
    bob, mallory = login("bob"), login("mallory")
    room = make_room(alice, members=[bob.name, mallory.name])
    make_room(mallory)  # mallory owns a room of her own
    other = make_room(alice, members=[mallory.name])
    admin.must_add_chatroom_admin(other.id, mallory.name)
    for member in (alice, bob, mallory):
        member.must_join_room(room.id)
    _assert_refused(_admin_attempts(rest_as(mallory), room.id, bob.name, mallory.name))
    _assert_unchanged(admin, room, alice, bob, mallory)
