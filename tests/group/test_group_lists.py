"""A user's groups (count, pages, roles) and the app's public groups, paged by cursor."""
import pytest

pytestmark = [pytest.mark.group, pytest.mark.owner("jiahao"), pytest.mark.rule("group-list-sdk-keys")]


def test_joined_count_follows_membership(make_user, make_group, rest_as):
    alice, bob = make_user("alice"), make_user("bob")
    assert rest_as(bob).must_joined_group_count(bob.name) == 0
    first = make_group(alice, members=[bob])
    make_group(bob)
    assert rest_as(bob).must_joined_group_count(bob.name) == 2
    rest_as(bob).must_quit_group(first.id)
    assert rest_as(bob).must_joined_group_count(bob.name) == 1
    assert rest_as(alice).joined_group_count(bob.name).status_code == 401


def test_user_groups_pages_with_roles_and_member_counts(make_user, make_group, rest_as, admin):
    """Pages from 0 in joining order; `permission` is the user's role, `affiliations_count` the members."""
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    owned = make_group(bob, groupname="owned")
    member = make_group(alice, members=[bob, carol], groupname="member")
    managed = make_group(alice, members=[bob], groupname="managed")
    admin.must_add_group_admin(managed.id, bob.name)
    as_bob = rest_as(bob)
    page0 = as_bob.must_user_groups(bob.name, 0, 2, need_role=True, need_affiliations=True)
    page1 = as_bob.must_user_groups(bob.name, 1, 2, need_role=True, need_affiliations=True)
    assert page0["total"] == page1["total"] == 3
    seen = [(g["groupId"], g["permission"], g["affiliations_count"]) for g in page0["entities"] + page1["entities"]]
    assert seen == [(owned.id, "owner", 1), (member.id, "member", 3), (managed.id, "admin", 2)]
    old_list = as_bob.must_joined_groups(bob.name)
    assert [(g["id"], g["name"], g["permission"], g["disabled"]) for g in old_list] == [
        (owned.id, "owned", "owner", False), (member.id, "member", "member", False),
        (managed.id, "managed", "admin", False)]


def test_public_groups_page_by_cursor_without_private_ones(make_user, make_group, rest_as):
    """Walking the cursor 2 at a time yields each public group once, in id order; private ones never."""
    alice = make_user("alice")
    public = [make_group(alice, public=True, groupname=f"open {n}").id for n in range(3)]
    private = make_group(alice, groupname="closed").id
    as_alice = rest_as(alice)
    seen, cursor = [], None
    for _ in range(1000):  # the app may hold many public groups of other tests
        resp = as_alice.public_groups(limit=2, cursor=cursor)
        assert resp.status_code == 200
        answer = resp.json()
        assert len(answer["data"]) <= 2
        seen += [(g["groupid"], g["id"], g["name"]) for g in answer["data"]]
        cursor = answer.get("cursor")
        if not cursor:
            break
    ids = [g for g, _, _ in seen]
    assert ids == sorted(ids) and len(ids) == len(set(ids))
    assert [entry for entry in seen if entry[0] in public] == [(gid, gid, f"open {n}") for n, gid in enumerate(public)]
    assert private not in ids


@pytest.mark.rule("app-group-list-cursor")
@pytest.mark.parametrize("limit", [1, 3])
def test_the_apps_group_list_pages_by_cursor_from_any_group(limit, make_user, make_group, admin):
    """GET /chatgroups (app token) from a cursor just before four new groups: every page holds at most
    `limit` groups in id order and names the next page's cursor until the list ends; each new group comes
    once. Groups other tests create meanwhile may sit between them."""
    alice = make_user("alice")
    mine = [make_group(alice, groupname=f"listed {n}").id for n in range(4)]
    cursor, seen = str(int(mine[0]) - 1), []
    for _ in range(1000):
        body = admin.must_request("GET", "/chatgroups", params={"limit": limit, "cursor": cursor})
        ids = [g["groupid"] for g in body["data"]]
        assert len(ids) <= limit and ids == sorted(ids)
        seen += ids
        if "cursor" not in body:
            break
        assert body["cursor"] == ids[-1]
        cursor = body["cursor"]
    assert [g for g in seen if g in mine] == mine
