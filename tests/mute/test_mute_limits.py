"""The documented bounds of the global mute API (docs/protocol/rest.md §5), as one table: each probed one
under, at and one over. Mute durations run from -1 (for ever) to 2**31 - 1 seconds; the mute
list's pages are numbered from 1 and hold 1 to 50 rows."""
import pytest

pytestmark = [pytest.mark.mute, pytest.mark.owner("caixiangyue")]

MAX_SECONDS, MAX_PAGE_SIZE = 2 ** 31 - 1, 50
OK, REFUSED = (200, None), (400, "illegal_argument")


def _mute_for(seconds):
    def probe(admin, make_user):
        return admin.mute_user(make_user().name, chat=seconds)
    return probe


def _page(page_num, page_size):
    def probe(admin, make_user):
        admin.must_mute_user(make_user().name, chat=60)  # at least one row exists
        return admin.mutes(page_num, page_size)
    return probe


# (limit, probe) -> expected answer
CASES = {
    ("duration-upper", "under"): (_mute_for(MAX_SECONDS - 1), OK),
    ("duration-upper", "at"): (_mute_for(MAX_SECONDS), OK),
    ("duration-upper", "over"): (_mute_for(MAX_SECONDS + 1), REFUSED),
    ("duration-lower", "at"): (_mute_for(-1), OK),
    ("duration-lower", "over"): (_mute_for(-2), REFUSED),
    ("page-size", "under"): (_page(1, MAX_PAGE_SIZE - 1), OK),
    ("page-size", "at"): (_page(1, MAX_PAGE_SIZE), OK),
    ("page-size", "over"): (_page(1, MAX_PAGE_SIZE + 1), REFUSED),
    ("page-size", "zero"): (_page(1, 0), REFUSED),
    ("page-num", "first"): (_page(1, 1), OK),
    ("page-num", "second"): (_page(2, 1), OK),
    ("page-num", "zero"): (_page(0, 1), REFUSED),
}


@pytest.mark.parametrize("case", [pytest.param(c, id="-".join(c)) for c in CASES])
def test_mute_bound(case, admin, make_user, transport):
    probe, expected = CASES[case]
    resp = probe(admin, make_user)
    assert (resp.status_code, None if resp.ok else resp.json().get("error")) == expected, resp.text
