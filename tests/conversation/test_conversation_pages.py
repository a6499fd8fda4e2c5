"""The paging bounds of the conversation list (docs/protocol/rest.md §12.1), as tables over one user with
three conversations: each limit one under, at and one over 1 and 50, and every cursor shape (absent,
empty, a page's, at and past the end, malformed), for getServerConversations, the mark search and the
older getConversationlist (pageNum from 1, pageSize 1 .. 50)."""
import pytest

pytestmark = [pytest.mark.conversation, pytest.mark.owner("caixiangyue"), pytest.mark.rule("conversation-list-paging")]

LIMIT_RANGE = "param limit must be between 1 and 50"
PAGE_RANGE = "pageNum must be >= 1 and pageSize 1 .. 50"


def refused(description: str) -> tuple:
    return (400, "illegal_argument", description)


def answer(resp) -> tuple:
    """A page as (session_to of each conversation, cursor), a refusal as (status, error, description)."""
    body = resp.json()
    if resp.status_code != 200:
        return (resp.status_code, body["error"], body["error_description"])
    return ([c["session_to"] for c in body["data"]["channel_infos"]], body["data"].get("cursor"))


def assert_table(as_owner, path: str, cases: dict, **always) -> None:
    """GET `path` with each cell's params (plus `always`); every cell answers as the table says."""
    got = {name: answer(as_owner.request("GET", path, params={**always, **params}))
           for name, (params, _) in cases.items()}
    assert got == {name: expected for name, (_, expected) in cases.items()}


@pytest.fixture
def three(make_user, admin):
    """(owner's REST client, owner's name, the three peers newest message first)."""
    owner, peers = make_user("owner"), make_user.many(3, "peer")
    for peer in peers:
        admin.must_send_text_to_users(owner.name, f"hi from {peer.name}", sender=peer.name)
    return admin.with_token(owner.token()), owner.name, [p.name for p in reversed(peers)]


def list_cases(newest: list[str]) -> dict:
    first, second, third = newest
    return {
        "limit-absent": ({}, (newest, "")),
        "limit-empty": ({"limit": ""}, (newest, "")),
        "limit-0": ({"limit": "0"}, refused(LIMIT_RANGE)),
        "limit-1": ({"limit": "1"}, ([first], "1")),
        "limit-2": ({"limit": "2"}, ([first, second], "2")),
        "limit-3": ({"limit": "3"}, (newest, "")),
        "limit-49": ({"limit": "49"}, (newest, "")),
        "limit-50": ({"limit": "50"}, (newest, "")),
        "limit-51": ({"limit": "51"}, refused(LIMIT_RANGE)),
        "limit-minus-1": ({"limit": "-1"}, refused(LIMIT_RANGE)),
        "limit-not-a-number": ({"limit": "x"}, refused("param limit must be a number, got 'x'")),
        "cursor-empty": ({"cursor": ""}, (newest, "")),
        "cursor-of-page-1": ({"limit": "1", "cursor": "1"}, ([second], "2")),
        "cursor-of-page-2": ({"limit": "1", "cursor": "2"}, ([third], "")),
        "cursor-at-the-end": ({"cursor": "3"}, ([], "")),
        "cursor-past-the-end": ({"cursor": "4"}, ([], "")),
        "cursor-not-a-number": ({"cursor": "x"}, refused("param cursor 'x' is not legal")),
        "cursor-minus-1": ({"cursor": "-1"}, refused("param cursor '-1' is not legal")),
    }


def test_the_list_takes_limits_of_1_to_50_and_its_own_cursors(three):
    """Every cell answers exactly: a page and its cursor (empty on the last page), or 400 illegal_argument."""
    as_owner, owner, newest = three
    cases = list_cases(newest)
    assert_table(as_owner, f"/sdk/user/{owner}/user_channels/list", cases)


@pytest.mark.rule("conversation-actions")
def test_the_mark_search_pages_by_the_same_rules(three):
    """The three conversations marked mark_4: the mark search pages them like the list."""
    as_owner, owner, newest = three
    as_owner.must_mark_conversations(owner, "mark_4", newest)
    cases = {"limit-absent": ({}, (newest, "")),
             "limit-0": ({"limit": "0"}, refused(LIMIT_RANGE)),
             "limit-1": ({"limit": "1"}, ([newest[0]], "1")),
             "limit-50": ({"limit": "50"}, (newest, "")),
             "limit-51": ({"limit": "51"}, refused(LIMIT_RANGE)),
             "cursor-of-page-1": ({"limit": "2", "cursor": "2"}, ([newest[2]], "")),
             "cursor-past-the-end": ({"cursor": "4"}, ([], "")),
             "cursor-not-a-number": ({"cursor": "x"}, refused("param cursor 'x' is not legal"))}
    assert_table(as_owner, f"/sdk/user/{owner}/user_channels/mark/search", cases, mark="mark_4")


def page_cases(newest: list[str]) -> dict:
    first, second, third = newest
    return {
        "defaults": ({}, (newest, None)),
        "page-1-of-2": ({"pageNum": "1", "pageSize": "2"}, ([first, second], None)),
        "page-2-of-2": ({"pageNum": "2", "pageSize": "2"}, ([third], None)),
        "page-3-of-2": ({"pageNum": "3", "pageSize": "2"}, ([], None)),
        "page-2-of-1": ({"pageNum": "2", "pageSize": "1"}, ([second], None)),
        "page-3-of-1": ({"pageNum": "3", "pageSize": "1"}, ([third], None)),
        "page-0": ({"pageNum": "0", "pageSize": "2"}, refused(PAGE_RANGE)),
        "page-minus-1": ({"pageNum": "-1"}, refused(PAGE_RANGE)),
        "page-not-a-number": ({"pageNum": "x", "pageSize": "2"}, refused(PAGE_RANGE)),
        "size-0": ({"pageNum": "1", "pageSize": "0"}, refused(PAGE_RANGE)),
        "size-1": ({"pageSize": "1"}, ([first], None)),
        "size-49": ({"pageSize": "49"}, (newest, None)),
        "size-50": ({"pageSize": "50"}, (newest, None)),
        "size-51": ({"pageSize": "51"}, refused(PAGE_RANGE)),
        "size-not-a-number": ({"pageNum": "1", "pageSize": "x"}, refused(PAGE_RANGE)),
    }


def test_the_older_page_list_counts_pages_from_1_of_1_to_50(three):
    """getConversationlist({pageNum, pageSize}): page n holds conversations (n-1)*size .. n*size-1, no cursor."""
    as_owner, owner, newest = three
    cases = page_cases(newest)
    assert_table(as_owner, f"/users/{owner}/user_channels/page", cases)
