"""Reactions on a group message (docs/protocol/rest.md §7): many members react at once and every count, user
list and NOTIFY comes out right."""
import threading

import pytest

from im_client import RestClient, RestError
from im_client.match import reaction_change

pytestmark = [pytest.mark.reaction, pytest.mark.owner("caixiangyue")]

THUMBS = "👍"


@pytest.fixture
def group(admin, make_user, login):
    """alice (online) owns a group with five more members; yields (group id, alice, member names)."""
    alice = login("alice")
    members = [u.name for u in make_user.many(5, "member")]
    group_id = admin.must_create_group(alice.name, members=members)["groupid"]
    yield group_id, alice, members
    admin.destroy_group(group_id)


def test_concurrent_reactions_of_many_members_are_all_counted(group, admin):
    """Six members add the same reaction at the same moment: count 6, every user listed once."""
    group_id, alice, members = group
    sent = alice.must_send_group_text(group_id, "thumbs up if you agree")
    everyone = [alice.name, *members]
    errors = []

    def add(user):
        try:
            RestClient(admin.target, admin.token).must_add_reaction(user, sent.server_id, THUMBS)
        except RestError as exc:
            errors.append((user, exc))

    threads = [threading.Thread(target=add, args=(user,)) for user in everyone]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    listed = admin.must_reactions(alice.name, [sent.server_id], msg_type="groupchat", group_id=group_id)
    (reaction,) = listed[0]["reactionList"]
    assert (reaction["reaction"], reaction["count"], reaction["state"]) == (THUMBS, 6, True)
    users = admin.must_reaction_users(alice.name, sent.server_id, THUMBS)
    assert sorted(users) == sorted(everyone) and reaction["userList"] == users[:3]
    # alice hears of each of the five other members' reactions
    notices = alice.wait_for_all(reaction_change(sent, THUMBS, "create"), 5)
    assert sorted(n.payload["data"][0]["from"] for n in notices) == sorted(members)
    assert {n.payload["data"][0]["channel_type"] for n in notices} == {"groupchat"}


@pytest.mark.rule("reaction-participants")
def test_non_members_cannot_react_to_a_group_message(group, admin, make_user):
    """Someone outside the group gets "the user operation is illegal!"."""
    group_id, alice, _ = group
    sent = alice.must_send_group_text(group_id, "members only")
    outsider = make_user("outsider")
    resp = admin.add_reaction(outsider.name, sent.server_id, THUMBS)
    assert (resp.status_code, resp.json()["error_description"]) == (400, "the user operation is illegal!")
