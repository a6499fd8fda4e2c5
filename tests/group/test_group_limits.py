"""The documented group limits (docs/protocol/rest.md §8.3), as one table: each probed one under, at and one
over the limit. Under and at are accepted; one over gets the documented error shape."""
import pytest

pytestmark = [pytest.mark.group, pytest.mark.owner("jiahao")]

MAX_USERS = 5  # a small maxusers of the test's own group (owner included)
BATCH = 60  # ids per batch operation
NAME, DESCRIPTION, ANNOUNCEMENT = 128, 512, 512


def _members_up_to(offset, alice, make_user, make_group, admin):
    """A group of maxusers MAX_USERS holding MAX_USERS - 2 (owner included); one batch add brings
    it to MAX_USERS + offset."""
    group = make_group(alice, members=make_user.many(MAX_USERS - 3), max_users=MAX_USERS)
    return admin.add_group_members(group.id, [u.name for u in make_user.many(2 + offset)])


def _batch_kick(offset, alice, make_user, make_group, admin):
    members = make_user.many(BATCH + offset)
    group = make_group(alice, members=members[:BATCH])
    return admin.remove_group_members(group.id, [u.name for u in members])


def _create_with(field, size):
    def probe(offset, alice, make_user, make_group, admin):
        return admin.create_group(alice.name, **{field: "x" * (size + offset)})
    return probe


def _announcement(offset, alice, make_user, make_group, admin):
    group = make_group(alice)
    return admin.set_group_announcement(group.id, "x" * (ANNOUNCEMENT + offset))


# limit -> (probe, the answer one over the limit)
LIMITS = {
    "maxusers": (_members_up_to, (403, "exceed_limit")),
    "batch-kick-ids": (_batch_kick, (400, "invalid_parameter")),
    "name-length": (_create_with("groupname", NAME), (400, "invalid_parameter")),
    "description-length": (_create_with("description", DESCRIPTION), (400, "invalid_parameter")),
    "announcement-length": (_announcement, (403, "FORBIDDEN")),
}
CASES = [pytest.param(limit, offset, id=f"{limit}-{label}")
         for limit in LIMITS for offset, label in ((-1, "under"), (0, "at"), (1, "over"))]


@pytest.mark.parametrize("limit, offset", CASES)
def test_group_limit(alice, make_user, make_group, admin, limit, offset):
    probe, refused = LIMITS[limit]
    resp = probe(offset, alice, make_user, make_group, admin)
    if resp.ok and limit in ("name-length", "description-length"):
        admin.must_destroy_group(resp.json()["data"]["groupid"])
    got = (resp.status_code, None if resp.ok else resp.json().get("error"))
    assert got == ((200, None) if offset <= 0 else refused), resp.text
