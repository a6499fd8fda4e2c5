"""Who may moderate whom in a group, as a table: every role (owner, admin, member, non-member,
blocked user) against every moderation operation on every target role (plain member, another
admin, the owner). Each cell is the REST answer (status, error); an allowed cell also checks that
the operation took effect. The table (fixtures/moderation.py) is the chatrooms' too."""
import pytest

from fixtures.moderation import CELLS, OK

pytestmark = [pytest.mark.group, pytest.mark.owner("jiahao")]


def _do(rest, op, group_id, name):
    if op == "kick":
        return rest.remove_group_members(group_id, name)
    if op == "mute":
        return rest.mute_group_members(group_id, name, 60_000)
    if op == "block":
        return rest.block_group_members(group_id, name)
    return rest.add_group_admin(group_id, name)


def _took_effect(admin, op, group_id, name) -> bool:
    if op == "kick":
        return not admin.must_is_group_member(group_id, name)
    if op == "mute":
        return name in {m["user"] for m in admin.must_group_mutes(group_id)}
    if op == "block":
        return name in admin.must_group_blocks(group_id)
    return name in admin.must_group_admins(group_id)


@pytest.mark.parametrize("op, role, who, expected", CELLS)
@pytest.mark.rule("moderation-below-own-role")
def test_group_moderation_by_role(alice, make_user, make_group, rest_as, admin, op, role, who, expected):
    acting_admin, other_admin = make_user("admin1"), make_user("admin2")
    member, other_member = make_user("member1"), make_user("member2")
    outsider, blocked = make_user("outsider"), make_user("blocked")
    group = make_group(alice, members=[acting_admin, other_admin, member, other_member, blocked])
    owner_rest = rest_as(alice)
    owner_rest.must_add_group_admin(group.id, acting_admin.name)
    owner_rest.must_add_group_admin(group.id, other_admin.name)
    owner_rest.must_block_group_members(group.id, blocked.name)
    actor = {"owner": alice, "admin": acting_admin, "member": member, "outsider": outsider, "blocked": blocked}[who]
    victim = {"member": other_member, "admin": other_admin, "owner": alice.user}[role].name

    resp = _do(rest_as(actor), op, group.id, victim)
    got = (resp.status_code, None if resp.ok else resp.json().get("error"))
    assert got == expected, resp.text
    assert _took_effect(admin, op, group.id, victim) == (expected == OK)
