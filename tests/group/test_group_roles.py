"""Owner transfer, admins and blocks (docs/protocol/rest.md §5.1–§5.2; docs/protocol/msync.md §5.2 ASSIGN_OWNER, ADD_ADMIN,
REMOVE_ADMIN, BLOCK, ALLOW): what each role may do with a user token."""
import pytest

from im_client import match

pytestmark = [pytest.mark.group, pytest.mark.owner("jiahao")]


def test_owner_hands_the_group_over(alice, login, make_group, rest_as, admin):
    bob, carol = login("bob"), login("carol")
    group = make_group(alice, members=[bob.name, carol.name])
    assert rest_as(alice).must_transfer_group_owner(group.id, bob.name) == {"newowner": True}
    carol.wait_for(match.muc("ASSIGN_OWNER", group.id, user=bob.name))
    info = admin.must_get_group(group.id)[0]
    assert info["owner"] == bob.name and {"member": alice.name} in info["affiliations"]
    assert rest_as(alice).destroy_group(group.id).status_code == 403  # no longer the owner
    rest_as(bob).must_update_group(group.id, groupname="bob's now")


def test_owner_transfer_refusals(alice, make_user, make_group, rest_as):
    bob, stranger = make_user("bob"), make_user("stranger")
    group = make_group(alice, members=[bob])
    resp = rest_as(alice).transfer_group_owner(group.id, alice.name)
    assert (resp.status_code, resp.json()["error_description"]) == (403, "new owner and old owner are the same")
    resp = rest_as(alice).transfer_group_owner(group.id, stranger.name)
    assert (resp.status_code, resp.json()["error_description"]) == (
        403, f"user: {stranger.name} doesn't exist in group: {group.id}")
    assert rest_as(bob).transfer_group_owner(group.id, bob.name).status_code == 403


def test_admin_is_named_and_may_then_manage_members(alice, login, make_user, make_group, rest_as):
    bob, carol = login("bob"), login("carol")
    dave = make_user("dave")
    group = make_group(alice, members=[bob.name, carol.name])
    assert rest_as(bob).add_group_member(group.id, dave.name).status_code == 403
    named = rest_as(alice).must_add_group_admin(group.id, bob.name)
    assert named == {"result": "success", "newadmin": bob.name}
    bob.wait_for(match.muc("ADD_ADMIN", group.id, user=bob.name))
    assert rest_as(carol).must_group_admins(group.id) == [bob.name]
    rest_as(bob).must_add_group_member(group.id, dave.name)
    rest_as(bob).must_remove_group_members(group.id, dave.name)
    assert rest_as(bob).add_group_admin(group.id, carol.name).status_code == 403  # only the owner names admins


def test_admin_is_removed(alice, login, make_group, rest_as):
    bob, carol = login("bob"), login("carol")
    group = make_group(alice, members=[bob.name, carol.name])
    rest_as(alice).must_add_group_admin(group.id, bob.name)
    assert rest_as(carol).remove_group_members(group.id, bob.name).status_code == 403
    assert rest_as(alice).must_remove_group_admin(group.id, bob.name) == {"result": "success",
                                                                             "oldadmin": bob.name}
    bob.wait_for(match.muc("REMOVE_ADMIN", group.id, user=bob.name))
    assert rest_as(alice).must_group_admins(group.id) == []


def test_admin_refusals(alice, make_user, make_group, rest_as):
    bob, stranger = make_user("bob"), make_user("stranger")
    group = make_group(alice, members=[bob])
    resp = rest_as(alice).add_group_admin(group.id, stranger.name)
    assert (resp.status_code, resp.json()["error_description"]) == (
        404, f"user: {stranger.name} doesn't exist in group: {group.id}")
    resp = rest_as(alice).remove_group_admin(group.id, bob.name)
    assert (resp.status_code, resp.json()["error_description"]) == (
        403, f"user:{bob.name} is not admin of group:{group.id}")


def test_an_admin_cannot_kick_another_admin(alice, make_user, make_group, rest_as):
    bob, carol = make_user("bob"), make_user("carol")
    group = make_group(alice, members=[bob, carol])
    rest_as(alice).must_add_group_admin(group.id, bob.name)
    rest_as(alice).must_add_group_admin(group.id, carol.name)
    assert rest_as(bob).remove_group_members(group.id, carol.name).status_code == 403
    rest_as(alice).must_remove_group_members(group.id, carol.name)


def test_blocked_member_is_removed_and_kept_out(alice, login, make_group, rest_as, admin):
    bob, carol = login("bob"), login("carol")
    group = make_group(alice, members=[bob.name, carol.name], public=True)
    data = rest_as(alice).must_block_group_members(group.id, carol.name)
    assert data == {"result": True, "action": "add_blocks", "user": carol.name, "groupid": group.id}
    carol.wait_for(match.muc("BLOCK", group.id, user=carol.name))
    bob.wait_for(match.muc("ABSENCE", group.id, user=carol.name))
    assert rest_as(alice).must_group_blocks(group.id) == [carol.name]
    resp = rest_as(carol).apply_to_group(group.id, "sorry")
    assert resp.status_code == 403 and "is in the blacklist" in resp.json()["error_description"]
    assert admin.add_group_member(group.id, carol.name).status_code == 403


def test_unblocked_user_may_join_again(alice, login, make_group, rest_as, admin):
    carol = login("carol")
    group = make_group(alice, members=[carol.name])
    rest_as(alice).must_block_group_members(group.id, [carol.name])
    rest_as(alice).must_unblock_group_members(group.id, carol.name)
    carol.wait_for(match.muc("ALLOW", group.id, user=carol.name))
    assert rest_as(alice).must_group_blocks(group.id) == []
    admin.must_add_group_member(group.id, carol.name)


def test_plain_members_cannot_block(alice, make_user, make_group, rest_as):
    bob, carol = make_user("bob"), make_user("carol")
    group = make_group(alice, members=[bob, carol])
    assert rest_as(bob).block_group_members(group.id, carol.name).status_code == 403
    resp = rest_as(alice).block_group_members(group.id, alice.name)
    assert (resp.status_code, resp.json()["error_description"]) == (403, "forbidden operation on group owner!")
