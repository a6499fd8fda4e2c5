"""The pages of GET /mutes (docs/protocol/rest.md §4.1) hold the app's active mutes oldest first, each
page the next `pageSize` rows, in an app of the test's own (the mute list is app-wide, so in the
shared app other tests' mutes would come and go between pages)."""
import pytest

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
