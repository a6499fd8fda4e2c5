"""The REST edit, `PUT /messages/rewrite/{msg_id}` (docs/protocol/rest.md §3.5): the conversation hears of it,
ext merges or is replaced, and the documented errors."""
import pytest

from im_client import match
from im_client.rest_storage import conversation_queue

pytestmark = [pytest.mark.chat, pytest.mark.owner("caixiangyue")]


@pytest.mark.rule("edit-rules")
def test_rest_edit_reaches_both_sides_and_merges_ext(alice, bob, admin):
    """The peer and the sender get the EDIT; new_ext is merged into the old ext by default; history shows it."""
    sent = alice.must_send_text(bob.name, "typo", ext={"a": 1, "b": "x"})
    assert admin.must_rewrite_message(sent.server_id, {"type": "txt", "msg": "fixed"}, user=alice.name,
                                      new_ext={"b": "y"}) == "success"
    for device in (bob, alice):
        notice = device.wait_for(match.edit_of(sent, "fixed"))
        assert notice.ext_values == {"a": 1, "b": "y"} and notice.body_meta["edit_msg"]["operator"] == alice.name
    (stored,) = [m for m in admin.must_history(bob.name, conversation_queue(alice.name)) if m.id == sent.server_id]
    assert (stored.text, stored.ext_values) == ("fixed", {"a": 1, "b": "y"})


@pytest.mark.rule("edit-rules")
def test_rest_edit_can_replace_the_ext(alice, bob, admin):
    sent = alice.must_send_text(bob.name, "v1", ext={"a": 1})
    admin.must_rewrite_message(sent.server_id, {"type": "txt", "msg": "v2"}, new_ext={"b": 2}, combine_ext=False)
    assert bob.wait_for(match.edit_of(sent, "v2")).ext_values == {"b": 2}


@pytest.mark.rule("edit-rules")
def test_rest_edit_errors(alice, bob, admin):
    """Missing new_msg, a bad id, an unknown message, someone else's, a command: the docs/protocol/rest.md §3.5 errors."""
    sent = alice.must_send_text(bob.name, "mine")
    command = alice.must_send_command(bob.name, "sync")
    cases = [
        (admin.rewrite_message(sent.server_id, {}), 400, "illegal_argument"),
        (admin.rewrite_message("not-a-number", {"type": "txt", "msg": "x"}), 400, "message_rewrite_error"),
        (admin.rewrite_message(sent.server_id + 999_999, {"type": "txt", "msg": "x"}), 404, "message_rewrite_error"),
        (admin.rewrite_message(sent.server_id, {"type": "txt", "msg": "x"}, user=bob.name), 401,
         "message_rewrite_error"),
        (admin.rewrite_message(command.server_id, {"type": "txt", "msg": "x"}), 400, "message_rewrite_error"),
        (admin.rewrite_message(sent.server_id, {"type": "cmd", "action": "x"}), 400, "message_rewrite_error"),
    ]
    for resp, status, error in cases:
        assert (resp.status_code, resp.json()["error"]) == (status, error), resp.text


@pytest.mark.rule("edit-rules")
def test_rest_edit_of_a_group_message_reaches_every_member(alice, login, make_group, admin):
    bob = login("bob")
    group = make_group(alice, members=[bob.name])
    sent = alice.must_send_group_text(group.id, "draft")
    admin.must_rewrite_message(sent.server_id, {"type": "txt", "msg": "final"})
    for device in (alice, bob):
        assert device.wait_for(match.edit_of(sent, "final")).body_meta["edit_msg"]["operator"] == "admin"
