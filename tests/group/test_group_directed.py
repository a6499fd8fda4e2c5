"""Directed group messages (docs/protocol/msync.md §4.2 ROUTE_DIRECT, docs/protocol/rest.md §3.1 `POST /messages/chatgroups/users`):
only the named members receive them; nothing waits for the others, and history does not keep them."""
import pytest

from fixtures.groups import assert_not_delivered
from im_client import match
from im_client.rest_storage import conversation_queue

pytestmark = [pytest.mark.group, pytest.mark.owner("jiahao")]


@pytest.mark.rule("directed-messages-not-in-history")
def test_directed_message_is_not_in_the_group_history(alice, login, make_group, admin):
    """A member left out of a directed message cannot read it in the group's history either."""
    bob, carol = login("bob"), login("carol")
    group = make_group(alice, members=[bob.name, carol.name])
    kept = alice.must_send_group_text(group.id, "for everyone")
    sent = alice.must_send_group_text(group.id, "just for bob", directed_users=[bob.name])
    bob.wait_for(match.of(sent))
    carol.wait_for(match.of(kept))  # what she legitimately gets first (assert_not_delivered's contract)
    assert_not_delivered(carol, match.of(sent), group.id)
    history = admin.must_history(carol.name, conversation_queue(group=group.id))
    assert [m.id for m in history] == [kept.server_id]


@pytest.mark.rule("directed-messages-not-in-history")
def test_rest_directed_message_reaches_only_the_named_members_and_the_sender(login, make_user, make_group, admin,
                                                                             transport):
    """POST /messages/chatgroups/users: bob (online) and dave (at login) get it, carol never, alice's devices do."""
    alice, bob, carol, dave = login("alice"), login("bob"), login("carol"), make_user("dave")
    group = make_group(alice, members=[bob.name, carol.name, dave])
    ids = admin.must_send_directed_text("chatgroups", group.id, [bob.name, dave.name], "for two", sender=alice.name)
    msg_id = int(ids[group.id])
    for device in (bob, alice, dave.login(transport)):
        got = device.wait_for(match.message_id(msg_id))
        assert (got.text, got.meta.routetype) == ("for two", got.meta.ROUTE_DIRECT)
    assert_not_delivered(carol, match.message_id(msg_id), group.id)


def test_rest_directed_message_checks_its_body(admin, alice, make_group):
    """No `users` is 400 `param users can't be empty`; an unknown group is 404."""
    group = make_group(alice)
    none = admin.send_directed_text("chatgroups", group.id, [], "x")
    assert (none.status_code, none.json()["error_description"]) == (400, "param users can't be empty")
    unknown = admin.send_directed_text("chatgroups", "999999999", [alice.name], "x")
    assert unknown.status_code == 404
