"""The documented reaction limits (docs/protocol/rest.md §7), as one table: each probed one under, at
and one over the limit; under and at are accepted, one over gets the documented 400 description.
And the user list of one reaction read page by page, past the second page."""
from datetime import datetime

import pytest

pytestmark = [pytest.mark.reaction, pytest.mark.owner("caixiangyue")]

PER_MESSAGE, LENGTH, IDS, DETAIL_PAGE = 20, 128, 20, 50


def _per_message(offset, alice, bob, admin):
    """PER_MESSAGE - 1 + offset reactions already on the message, then one more."""
    sent = alice.must_send_text(bob.name, "how many feelings")
    for n in range(PER_MESSAGE - 1 + offset):
        admin.must_add_reaction(alice.name, sent.server_id, f"r{n}")
    return admin.add_reaction(bob.name, sent.server_id, "one more")


def _length(offset, alice, bob, admin):
    sent = alice.must_send_text(bob.name, "a long feeling")
    return admin.add_reaction(bob.name, sent.server_id, "x" * (LENGTH + offset))


def _ids(offset, alice, bob, admin):
    sent = alice.must_send_text(bob.name, "listed")
    return admin.reactions(bob.name, [sent.server_id] * (IDS + offset))


def _detail_page(offset, alice, bob, admin):
    sent = alice.must_send_text(bob.name, "who reacted")
    admin.must_add_reaction(bob.name, sent.server_id, "ok")
    return admin.reaction_detail(bob.name, sent.server_id, "ok", limit=DETAIL_PAGE + offset)


LIMITS = {
    "reactions-per-message": (_per_message, "The quantity has exceeded the limit!"),
    "reaction-length": (_length, f"the reaction can not be longer than {LENGTH} characters!"),
    "msg-ids-per-list": (_ids, "msgIdList exceeds the maximum number limit"),
    "detail-page-size": (_detail_page, "Limit exceeds the maximum quantity limit"),
}
CASES = [pytest.param(limit, offset, id=f"{limit}-{label}")
         for limit in LIMITS for offset, label in ((-1, "under"), (0, "at"), (1, "over"))]


@pytest.mark.parametrize("limit, offset", CASES)
def test_reaction_limit(alice, bob, admin, limit, offset):
    probe, refused = LIMITS[limit]
    resp = probe(offset, alice, bob, admin)
    if offset <= 0:
        assert resp.status_code == 200, resp.text
    else:
        body = resp.json()
        assert (resp.status_code, body.get("error"), body.get("error_description")) == (
            400, "Bad Request", refused), resp.text


@pytest.mark.parametrize("page", [2, 3], ids=["pages-of-2", "pages-of-3"])
def test_reaction_users_page_through_every_page(alice, make_user, admin, page):
    """Seven members react in turn; pages of `page` users follow the cursor to the end in reaction
    order, each page's cursor pointing after it, the last page without one."""
    members = make_user.many(6)
    group_id = admin.must_create_group(alice.name, members=[m.name for m in members])["groupid"]
    try:
        sent = alice.must_send_group_text(group_id, "react in turn")
        everyone = [alice.name, *(m.name for m in members)]
        for user in everyone:
            admin.must_add_reaction(user, sent.server_id, "ok")
        seen, cursor, pages = [], None, 0
        while True:
            data = admin.must_reaction_detail(alice.name, sent.server_id, "ok", limit=page, cursor=cursor)
            seen += data["userList"]
            pages += 1
            cursor = data.get("cursor")
            assert cursor is None or cursor == str(len(seen)), data
            if not cursor:
                break
        assert (seen, pages, data["count"]) == (everyone, -(-len(everyone) // page), len(everyone))
    finally:
        admin.destroy_group(group_id)


def test_the_add_answer_carries_the_moment_in_iso_milliseconds(alice, bob, admin):
    """createdAt / updatedAt are ISO-8601 UTC times with milliseconds (docs/protocol/rest.md §7, §11.9),
    at most a moment before the answer's own `timestamp`; three additions are not all on a whole
    second (a time cut to seconds would be, every time)."""
    sent = alice.must_send_text(bob.name, "when did you react?")
    millis = []
    for reaction in ("a", "b", "c"):
        resp = admin.add_reaction(bob.name, sent.server_id, reaction)
        body = resp.json()
        created = body["data"]["createdAt"]
        assert created.endswith("Z") and created == body["data"]["updatedAt"], body
        at = datetime.fromisoformat(created.replace("Z", "+00:00"))
        ms = round(at.timestamp() * 1000)
        assert 0 <= body["timestamp"] - ms < 5000, body
        millis.append(ms % 1000)
    assert any(millis), millis
