"""The pages of GET /users/{u}/joined_chatrooms (docs/protocol/rest.md §6.1): `pagenum` from 1, `pagesize`
rooms a page, oldest membership first."""
import pytest

pytestmark = [pytest.mark.chatroom, pytest.mark.owner("yifan")]

ROOMS = 5


@pytest.fixture
def joined(make_user, make_room):
    """A user in five rooms, and those rooms' ids in the order the user joined them."""
    bob, owner = make_user("bob"), make_user("owner")
    return bob.name, [make_room(owner, members=[bob]).id for _ in range(ROOMS)]


@pytest.mark.parametrize("size", [1, 2, 3, ROOMS, ROOMS + 1])
def test_every_page_holds_the_next_rooms(joined, admin, size):
    """The rooms cut in runs of `size`, one run a page from pagenum 1, then an empty page past the last."""
    bob, rooms = joined
    expected = [rooms[start:start + size] for start in range(0, ROOMS, size)] + [[]]
    pages = [admin.must_joined_chatrooms(bob, pagenum=num, pagesize=size) for num in range(1, len(expected) + 1)]
    assert [[row["id"] for row in page] for page in pages] == expected


# pagenum, pagesize as sent -> the runs of rooms answered (start, end), or the 400 description
BOUNDS = {"pagenum-0": ("0", "2", (0, 2)), "pagenum-negative": ("-3", "2", (0, 2)),
          "pagesize-0": ("1", "0", (0, 1)), "pagesize-negative": ("2", "-1", (1, 2)),
          "pagesize-1001": ("1", "1001", (0, ROOMS)), "pagesize-empty": ("1", "", (0, ROOMS)),
          "pagesize-text": ("1", "two", "pagesize must be an integer"),
          "pagesize-fraction": ("1", "2.5", "pagesize must be an integer"),
          "pagenum-text": ("first", "2", "pagenum must be an integer")}


@pytest.mark.parametrize("case", list(BOUNDS))
@pytest.mark.rule("room-joined-page-bounds")
def test_page_bounds(joined, admin, case):
    """pagenum under 1 is page 1, pagesize is held to 1..1000 (empty: the default 1000); no integer is 400."""
    bob, rooms = joined
    pagenum, pagesize, expected = BOUNDS[case]
    resp = admin.joined_chatrooms(bob, pagenum=pagenum, pagesize=pagesize)
    body = resp.json()
    if isinstance(expected, str):
        assert (resp.status_code, body["error"], body["error_description"]) == (400, "illegal_argument", expected)
        return
    start, end = expected
    assert (resp.status_code, [row["id"] for row in body["data"]]) == (200, rooms[start:end]), resp.text
