"""The pages of GET /mutes (docs/protocol/rest.md §4.1) hold the app's active mutes oldest first, each
page the next `pageSize` rows, in an app of the test's own (the mute list is app-wide, so in the
shared app other tests' mutes would come and go between pages)."""
import pytest

from im_client.waiting import wait_until

pytestmark = [pytest.mark.mute, pytest.mark.owner("caixiangyue")]


@pytest.fixture
def target(restartable_sandbox):
    return restartable_sandbox.target


@pytest.mark.parametrize("size", [2, 3], ids=["pages-of-2", "pages-of-3"])
def test_pages_follow_one_another_oldest_first(make_user, admin, size):
    """Seven users muted in turn (one scope each): page after page lists them in that order, each
    exactly once, and the page after the last is empty."""
    users = [u.name for u in make_user.many(7)]
    for name in users:
        admin.must_mute_user(name, chat=600)
    full, rest = divmod(len(users), size)
    pages = [admin.must_mutes(n, size) for n in range(1, full + (1 if rest else 0) + 2)]
    assert [len(p) for p in pages] == [size] * full + ([rest] if rest else []) + [0]
    assert [row["username"] for page in pages for row in page] == users


def test_an_ended_mute_leaves_the_list(make_user, admin):
    """A one-second mute is listed, then, once it has ended, no longer (the store purges it)."""
    bob, carol = make_user("bob").name, make_user("carol").name
    admin.must_mute_user(bob, chat=1)
    admin.must_mute_user(carol, chat=600)
    assert {row["username"] for row in admin.must_all_mutes()} == {bob, carol}
    wait_until(lambda: [row["username"] for row in admin.must_all_mutes()] == [carol], "bob's mute to end")
