"""The documented thread limits (docs/protocol/rest.md §5.3), as one table: each probed one under, at
and one over the limit. Under and at are accepted; one over gets the documented answer (a refusal,
or for page sizes a page cut to the maximum)."""
import pytest

pytestmark = [pytest.mark.thread, pytest.mark.owner("jiahao")]

NAME = 64  # characters of a thread name
BATCH = 10  # usernames per add / kick call
LAST_MESSAGES = 20  # thread ids per POST /thread/message
PAGE = 50  # threads / members per page


@pytest.fixture
def thread_of(alice, make_user, make_group, admin):
    """`thread_of(n)`: (group, thread id, n group members not in the thread yet)."""
    def _make(n=0):
        others = make_user.many(n) if n else []
        group = make_group(alice, members=others)
        msg = admin.must_send_text_to_groups(group.id, "parent", sender=alice.name)[group.id]
        return group, admin.must_create_thread(group.id, msg, "t", owner=alice.name)["thread_id"], others
    return _make


def _refused(resp):
    return resp.status_code, resp.json().get("error_description")


def _create_named(offset, thread_of, admin, alice):
    group, _thread, _ = thread_of()
    msg = admin.must_send_text_to_groups(group.id, "another parent", sender=alice.name)[group.id]
    return admin.create_thread(group.id, msg, "n" * (NAME + offset), owner=alice.name)


def _rename(offset, thread_of, admin, alice):
    _group, thread, _ = thread_of()
    return admin.rename_thread(thread, "r" * (NAME + offset))


def _add_batch(offset, thread_of, admin, alice):
    _group, thread, others = thread_of(BATCH + offset)
    return admin.add_thread_members(thread, [u.name for u in others])


def _kick_batch(offset, thread_of, admin, alice):
    _group, thread, others = thread_of(BATCH + offset)
    names = [u.name for u in others]
    for start in range(0, len(names), BATCH):
        admin.must_add_thread_members(thread, names[start:start + BATCH])
    return admin.kick_thread_members(thread, names)


def _last_messages(offset, thread_of, admin, alice):
    _group, thread, _ = thread_of()
    return admin.thread_last_messages([thread] * (LAST_MESSAGES + offset))


# limit -> (probe, the answer one over the limit)
LIMITS = {
    "name-on-create": (_create_named, (400, "thread name limit reached.")),
    "name-on-rename": (_rename, (400, "thread name limit reached.")),
    "usernames-per-add": (_add_batch, (400, "request body reaches limit.")),
    "usernames-per-kick": (_kick_batch, (400, "request body reaches limit.")),
    "ids-per-last-messages": (_last_messages, (400, "query param reaches limit.")),
}
CASES = [pytest.param(limit, offset, id=f"{limit}-{label}")
         for limit in LIMITS for offset, label in ((-1, "under"), (0, "at"), (1, "over"))]


@pytest.mark.parametrize("limit, offset", CASES)
def test_thread_limit(alice, thread_of, admin, limit, offset):
    probe, refused = LIMITS[limit]
    resp = probe(offset, thread_of, admin, alice)
    if offset <= 0:
        assert resp.status_code == 200, resp.text
    else:
        assert _refused(resp) == refused, resp.text


@pytest.mark.parametrize("asked, served", [(None, PAGE), (PAGE - 1, PAGE - 1), (PAGE, PAGE), (PAGE + 1, PAGE),
                                           (0, 1)], ids=["default", "under", "at", "over", "zero"])
def test_thread_list_page_size(alice, make_group, admin, asked, served):
    """A group with PAGE + 2 threads: a page holds `limit` of them, at most PAGE, and a cursor while
    more follow."""
    group = make_group(alice)
    sent = [admin.must_send_text_to_groups(group.id, f"parent {n}", sender=alice.name)[group.id]
            for n in range(PAGE + 2)]
    threads = [admin.must_create_thread(group.id, m, f"t{n}", owner=alice.name)["thread_id"]
               for n, m in enumerate(sent)]
    resp = admin.group_request("GET", f"/threads/chatgroups/{group.id}",
                               params=None if asked is None else {"limit": str(asked)})
    body = resp.json()
    assert [t["id"] for t in body["entities"]] == threads[:served], resp.text
    assert body["properties"]["cursor"] == threads[served - 1]


def test_thread_member_pages_hold_fifty(alice, make_user, make_group, admin):
    """PAGE + 1 members (the owner and PAGE others): the first page holds PAGE and a cursor, the
    second the one left and none."""
    others = make_user.many(PAGE)
    group = make_group(alice, members=others)
    msg = admin.must_send_text_to_groups(group.id, "parent", sender=alice.name)[group.id]
    thread = admin.must_create_thread(group.id, msg, "crowded", owner=alice.name)["thread_id"]
    names = [u.name for u in others]
    for start in range(0, len(names), BATCH):
        admin.must_add_thread_members(thread, names[start:start + BATCH])
    first = admin.thread_members(thread).json()
    assert len(first["data"]["affiliations"]) == PAGE
    cursor = first["properties"]["cursor"]
    second = admin.group_request("GET", f"/thread/{thread}/users", params={"cursor": cursor}).json()
    assert len(second["data"]["affiliations"]) == 1
    assert not second.get("properties", {}).get("cursor")
    assert set(first["data"]["affiliations"]) | set(second["data"]["affiliations"]) == {alice.name, *names}


@pytest.mark.parametrize("count", [3, PAGE], ids=["few", "exactly-a-page"])
def test_thread_members_that_fit_one_page_have_no_cursor(alice, make_user, make_group, admin, count):
    others = make_user.many(count - 1)
    group = make_group(alice, members=others)
    msg = admin.must_send_text_to_groups(group.id, "parent", sender=alice.name)[group.id]
    thread = admin.must_create_thread(group.id, msg, "fits", owner=alice.name)["thread_id"]
    names = [u.name for u in others]
    for start in range(0, len(names), BATCH):
        admin.must_add_thread_members(thread, names[start:start + BATCH])
    page = admin.thread_members(thread).json()
    assert sorted(page["data"]["affiliations"]) == sorted([alice.name, *names])
    assert not page.get("properties", {}).get("cursor"), page


@pytest.mark.parametrize("count", [6, 7], ids=["pages-just-full", "last-page-short"])
@pytest.mark.parametrize("sort", ["asc", "desc"])
def test_thread_lists_page_through_with_the_cursor(alice, make_group, admin, sort, count):
    """Six or seven threads, three a page: pages follow the cursor in the asked order, the last
    has none."""
    group = make_group(alice)
    sent = [admin.must_send_text_to_groups(group.id, f"parent {n}", sender=alice.name)[group.id]
            for n in range(count)]
    threads = [admin.must_create_thread(group.id, m, f"t{n}", owner=alice.name)["thread_id"]
               for n, m in enumerate(sent)]
    expected = threads if sort == "asc" else threads[::-1]
    seen, cursor, pages = [], None, 0
    while True:
        params = {"limit": "3", "sort": sort, **({"cursor": cursor} if cursor else {})}
        body = admin.group_request("GET", f"/threads/chatgroups/{group.id}", params=params).json()
        seen += [t["id"] for t in body["entities"]]
        pages += 1
        cursor = body.get("properties", {}).get("cursor")
        if not cursor:
            break
    assert (seen, pages) == (expected, -(-count // 3))


def test_a_group_without_threads_lists_none(alice, make_group, admin):
    group = make_group(alice)
    body = admin.group_request("GET", f"/threads/chatgroups/{group.id}").json()
    assert (body["entities"], body.get("properties", {}).get("cursor")) == ([], None), body


@pytest.mark.parametrize("body", [{}, {"threadIds": None}, {"threadIds": "t1,t2"}, {"threadIds": [1, 2]}],
                         ids=["missing", "null", "a-string", "numbers"])
def test_last_messages_need_a_list_of_thread_ids(admin, body):
    resp = admin.group_request("POST", "/thread/message", body)
    assert (resp.status_code, resp.json().get("error")) == (400, "invalid_parameter"), resp.text


@pytest.mark.parametrize("name", ["", None, 5, ["t"]], ids=["empty", "null", "number", "list"])
def test_a_thread_name_is_a_non_empty_string(alice, thread_of, admin, name):
    group, thread, _ = thread_of()
    msg = admin.must_send_text_to_groups(group.id, "another parent", sender=alice.name)[group.id]
    created = admin.group_request("POST", "/thread", {"group_id": group.id, "msg_id": str(msg), "name": name,
                                                      "owner": alice.name})
    renamed = admin.group_request("PUT", f"/thread/{thread}", {"name": name})
    for resp in (created, renamed):
        assert (resp.status_code, resp.json().get("error")) == (400, "invalid_parameter"), resp.text
    assert admin.must_get_thread(thread)["name"] == "t"


@pytest.mark.parametrize("usernames", [[], [""], [5], ["ok", None]], ids=["none", "empty-name", "number", "null"])
def test_member_batches_need_a_list_of_names(thread_of, admin, usernames):
    _group, thread, _ = thread_of(1)
    for method in ("POST", "DELETE"):
        resp = admin.group_request(method, f"/thread/{thread}/users", {"usernames": usernames})
        assert (resp.status_code, resp.json().get("error")) == (400, "invalid_parameter"), resp.text


def test_a_page_size_is_a_number(alice, make_group, admin):
    group = make_group(alice)
    resp = admin.group_request("GET", f"/threads/chatgroups/{group.id}", params={"limit": "ten"})
    assert (resp.status_code, resp.json().get("error")) == (400, "invalid_parameter"), resp.text
