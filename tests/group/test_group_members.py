"""Group members over REST (docs/protocol/rest.md §5.2): add, remove, quit, member list and count, with the
PRESENCE / ABSENCE / DIRECT_JOINED / KICK notifications of docs/protocol/msync.md §5.2."""
import pytest

from fixtures.notices import assert_envelope
from im_client import match

pytestmark = [pytest.mark.group, pytest.mark.owner("jiahao")]


@pytest.mark.rule("group-presence-one-or-many")
def test_added_member_is_told_and_the_others_see_it_arrive(alice, login, make_group, admin):
    """One joiner: DIRECT_JOINED to it, PRESENCE from it (no `members` list) to the others."""
    bob, carol = login("bob"), login("carol")
    group = make_group(alice, members=[bob.name])
    data = admin.must_add_group_member(group.id, carol.name)
    assert data == {"result": True, "groupid": group.id, "action": "add_member", "user": carol.name}
    carol.wait_for(match.muc("DIRECT_JOINED", group.id, user=carol.name))
    presence = bob.wait_for(match.muc("PRESENCE", group.id, user=carol.name))
    assert (getattr(presence.payload, "from").name, list(presence.payload.members), presence.payload.mucMemberCount) == (
        carol.name, [], 3)


@pytest.mark.rule("group-presence-one-or-many")
def test_batch_add_returns_the_new_members_only(alice, login, make_user, make_group, admin):
    bob = login("bob")
    carol, dave = make_user("carol"), make_user("dave")
    group = make_group(alice, members=[bob.name])
    data = admin.must_add_group_members(group.id, [bob.name, carol.name, dave.name])
    assert data == {"newmembers": [carol.name, dave.name], "groupid": group.id, "action": "add_member"}
    presence = bob.wait_for(match.muc("PRESENCE", group.id, user=carol.name))
    assert (sorted(presence.payload.members), presence.payload.mucMemberCount) == (sorted([carol.name, dave.name]), 4)
    assert admin.must_get_group(group.id)[0]["affiliations_count"] == 4


def test_adding_refusals(admin, make_user, make_group):
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    group = make_group(alice, members=[bob], max_users=2)
    resp = admin.add_group_member(group.id, bob.name)
    assert (resp.status_code, resp.json()["error_description"]) == (
        403, f"can not join this group, reason:user: {bob.name} already in group: {group.id}\n")
    resp = admin.add_group_member(group.id, carol.name)
    assert (resp.status_code, resp.json()["error"], resp.json()["error_description"]) == (
        403, "exceed_limit", "members size is greater than max user size !")
    resp = admin.add_group_member(group.id, "no-such-user-here")
    assert resp.status_code == 404


def test_kicked_member_is_told_and_the_others_see_it_leave(alice, login, make_group, admin):
    bob, carol = login("bob"), login("carol")
    group = make_group(alice, members=[bob.name, carol.name])
    data = admin.must_remove_group_members(group.id, carol.name)
    assert data == {"result": True, "action": "remove_member", "user": carol.name, "groupid": group.id}
    carol.wait_for(match.muc("KICK", group.id, user=carol.name))
    absence = bob.wait_for(match.muc("ABSENCE", group.id, user=carol.name))
    assert absence.payload.mucMemberCount == 2
    assert not admin.must_is_group_member(group.id, carol.name)


def test_batch_remove_answers_per_member(alice, make_user, make_group, admin):
    bob, carol = make_user("bob"), make_user("carol")
    group = make_group(alice, members=[bob, carol])
    data = admin.must_remove_group_members(group.id, [bob.name, carol.name])
    assert [(d["user"], d["result"], d["action"]) for d in data] == [
        (bob.name, True, "remove_member"), (carol.name, True, "remove_member")]
    assert [m for m in admin.must_group_members(group.id)] == [{"owner": alice.name}]


def test_removal_refusals(alice, make_user, make_group, admin):
    bob, stranger = make_user("bob"), make_user("stranger")
    group = make_group(alice, members=[bob])
    resp = admin.remove_group_members(group.id, stranger.name)
    assert (resp.status_code, resp.json()["error_description"]) == (
        403, f"users [{stranger.name}] are not members of this group!")
    resp = admin.remove_group_members(group.id, alice.name)
    assert (resp.status_code, resp.json()["error_description"]) == (403, "forbidden operation on group owner!")


def test_member_who_quits_is_gone_for_the_others(alice, login, make_group, rest_as, admin):
    bob = login("bob")
    group = make_group(alice, members=[bob.name])
    assert rest_as(bob).must_quit_group(group.id) == {"result": True}
    alice.wait_for(match.muc("ABSENCE", group.id, user=bob.name))
    assert admin.must_group_members(group.id) == [{"owner": alice.name}]
    resp = rest_as(alice).quit_group(group.id)
    assert (resp.status_code, resp.json()["error_description"]) == (403, "forbidden operation on group owner!")


def test_member_list_shows_the_owner_first(alice, make_user, make_group, rest_as):
    bob, carol = make_user("bob"), make_user("carol")
    group = make_group(alice, members=[bob, carol])
    assert rest_as(bob).must_group_members(group.id) == [
        {"owner": alice.name}, {"member": bob.name}, {"member": carol.name}]


def test_plain_members_cannot_add_or_kick(alice, login, make_user, make_group, rest_as):
    bob, carol = login("bob"), make_user("carol")
    group = make_group(alice, members=[bob.name])
    assert rest_as(bob).add_group_member(group.id, carol.name).status_code == 403
    assert rest_as(bob).remove_group_members(group.id, alice.name).status_code == 403
    assert rest_as(alice).must_add_group_member(group.id, carol.name)["result"] is True


@pytest.mark.rule("server-metas-carry-envelope")
def test_membership_notices_carry_sender_group_time_and_id(alice, login, make_group, admin):
    """DIRECT_JOINED and PRESENCE (MUC, system queue) are from the operator, to the group, with id and time."""
    bob, carol = login("bob"), login("carol")
    group = make_group(alice, members=[bob.name])
    admin.must_add_group_member(group.id, carol.name)
    assert_envelope(carol.wait_for(match.muc("DIRECT_JOINED", group.id, user=carol.name)), to=group.id)
    assert_envelope(bob.wait_for(match.muc("PRESENCE", group.id, user=carol.name)), to=group.id)


@pytest.mark.parametrize("size", [1, 2, 3])
def test_member_pages_hold_pagesize_members_owner_first(size, make_user, make_group, admin):
    """GET /chatgroups/{g}/users?pagenum&pagesize: page n holds members (n-1)*size .. n*size-1 of the owner
    followed by the others in joining order; the page after the last is empty."""
    alice = make_user("alice")
    others = make_user.many(4, "member")
    group = make_group(alice, members=others)
    everyone = [{"owner": alice.name}] + [{"member": m.name} for m in others]
    pages = [admin.must_group_members(group.id, pagenum=n, pagesize=size) for n in range(1, 7)]
    assert pages == [everyone[(n - 1) * size:n * size] for n in range(1, 7)]
