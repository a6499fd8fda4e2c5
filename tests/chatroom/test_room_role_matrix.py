"""Who may moderate whom in a chatroom, as a table: owner, admin, member, non-member and blocked
user against kick, mute and block of a plain member, another admin and the owner, and promotion
(docs/protocol/rest.md §4). Each cell is the REST answer (status, error) and whether the change took effect.
An admin acting on another admin is refused as in groups (rule `moderation-below-own-role`)."""
import pytest

from fixtures.moderation import CELLS, OK

pytestmark = [pytest.mark.chatroom, pytest.mark.owner("yifan")]


def _do(rest, op, room_id, name):
    if op == "kick":
        return rest.remove_chatroom_members(room_id, name)
    if op == "mute":
        return rest.mute_chatroom_members(room_id, name, duration_ms=60_000)
    if op == "block":
        return rest.block_chatroom_users(room_id, name)
    return rest.add_chatroom_admin(room_id, name)


def _took_effect(admin, op, room_id, name) -> bool:
    if op == "kick":
        return name not in _member_names(admin, room_id)
    if op == "mute":
        return name in {m["user"] for m in admin.must_chatroom_mutes(room_id)}
    if op == "block":
        return name in admin.must_chatroom_blocks(room_id)
    return name in admin.must_chatroom_admins(room_id)


def _member_names(admin, room_id):
    names = set()
    for entry in admin.must_chatroom_members(room_id):
        names |= {v for v in entry.values() if isinstance(v, str)}
    return names


@pytest.mark.parametrize("op, role, who, expected", CELLS)
@pytest.mark.rule("moderation-below-own-role")
def test_room_moderation_by_role(alice, make_user, make_room, rest_as, admin, op, role, who, expected):
    acting_admin, other_admin = make_user("admin1"), make_user("admin2")
    member, other_member = make_user("member1"), make_user("member2")
    outsider, blocked = make_user("outsider"), make_user("blocked")
    room = make_room(alice, members=[acting_admin, other_admin, member, other_member, blocked])
    admin.must_add_chatroom_admin(room.id, acting_admin.name)
    admin.must_add_chatroom_admin(room.id, other_admin.name)
    admin.must_block_chatroom_users(room.id, blocked.name)
    actor = {"owner": alice, "admin": acting_admin, "member": member, "outsider": outsider, "blocked": blocked}[who]
    victim = {"member": other_member, "admin": other_admin, "owner": alice.user}[role].name

    resp = _do(rest_as(actor), op, room.id, victim)
    got = (resp.status_code, None if resp.ok else resp.json().get("error"))
    assert got == expected, resp.text
    assert _took_effect(admin, op, room.id, victim) == (expected == OK)
