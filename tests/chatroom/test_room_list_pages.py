"""The pages of GET /chatrooms (docs/protocol/rest.md §6.1): `limit` rooms in id order, and a `cursor` only
while rooms are left, in an app of the test's own (the room list is app-wide, so in the shared app other
tests' rooms would come and go between pages)."""
import pytest

pytestmark = [pytest.mark.chatroom, pytest.mark.owner("yifan")]


@pytest.fixture
def target(restartable_sandbox):
    return restartable_sandbox.target


def test_pages_hold_limit_rooms_and_the_last_has_no_cursor(make_user, make_room, admin):
    """Three rooms paged by 1, 2, 3 and 4: every page but the last has a cursor, the last (also one exactly as
    long as what is left) has none, and the pages hold every room once, in id order."""
    owner = make_user("owner")
    rooms = [make_room(owner).id for _ in range(3)]
    for limit in (1, 2, 3, 4):
        sizes, seen, cursors, cursor = [], [], [], None
        while True:
            page = admin.must_list_chatrooms(limit=limit, cursor=cursor)
            sizes.append(page["count"])
            seen += [row["id"] for row in page["data"]]
            cursor = page.get("cursor")
            cursors.append(cursor is not None)
            if cursor is None or len(cursors) > 4:
                break
        full, rest = divmod(3, limit)
        expected = [limit] * full + ([rest] if rest else [])
        assert (sizes, cursors) == (expected, [True] * (len(expected) - 1) + [False]), f"limit {limit}"
        assert seen == sorted(rooms)
