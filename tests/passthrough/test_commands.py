"""Passthrough (command) messages (docs/protocol/msync.md §4.2, docs/protocol/rest.md §3.1/§3.4): COMMAND content with an
action and ext, delivered like any message but never recallable and never kept in history."""
import pytest

from im_client import ErrorCode, Reason, Typed, match
from im_client.ext import INT, JSON_STRING, STRING
from im_client.rest_storage import conversation_queue

pytestmark = [pytest.mark.passthrough, pytest.mark.owner("caixiangyue")]


def test_online_receiver_gets_action_and_ext(alice, bob):
    """An online receiver gets the command's action and its typed ext."""
    sent = alice.must_send_command(bob.name, "refresh_avatar", ext={"user": alice.name, "v": 3})
    got = bob.wait_for(match.of(sent))
    assert (got.kind, got.content_type, got.action) == ("chat", "command", "refresh_avatar")
    assert got.ext == {"user": Typed(STRING, alice.name), "v": Typed(INT, 3)}


def test_offline_receiver_gets_commands_on_login_in_order(alice, make_user, transport):
    """Commands sent to an offline user arrive on login, in order."""
    bob = make_user("bob")
    sent = [alice.must_send_command(bob.name, f"step_{n}") for n in range(3)]
    device = bob.login(transport)
    got = device.wait_for_all(match.sender(alice.name), 3)
    assert [(m.id, m.action) for m in got] == [(s.server_id, f"step_{n}") for n, s in enumerate(sent)]


@pytest.mark.recall
@pytest.mark.rule("commands-not-recallable", "recall-not-found-reason")
def test_command_cannot_be_recalled(alice, bob):
    """A command is not recallable: the recall finds no such message."""
    sent = alice.must_send_command(bob.name, "typing_start")
    bob.wait_for(match.of(sent))
    ack = alice.recall(sent)
    assert (ack.code, ack.reason) == (ErrorCode.FAIL, Reason.RECALL_NOT_FOUND)


@pytest.mark.rule("commands-not-in-history")
def test_commands_are_not_kept_in_history(alice, bob, admin):
    """History holds the conversation (the text), not the signals exchanged around it (the command)."""
    text = alice.must_send_text(bob.name, "the conversation")
    command = alice.must_send_command(bob.name, "typing_stop", ext={"at": {"ms": 1}})
    got = bob.wait_for(match.of(command))
    assert got.ext == {"at": Typed(JSON_STRING, {"ms": 1})}
    for owner, peer in ((alice.name, bob.name), (bob.name, alice.name)):
        assert [m.id for m in admin.must_history(owner, conversation_queue(peer))] == [text.server_id]


def test_admin_sends_a_command_over_rest(bob, admin):
    """The admin's REST command arrives with its action and ext, from admin."""
    ids = admin.must_send_command_to_users([bob.name], "sync_settings", ext={"section": "privacy"})
    got = bob.wait_for(match.command("sync_settings"))
    assert (got.id, got.sender) == (int(ids[bob.name]), "admin")
    assert got.ext == {"section": Typed(STRING, "privacy")}


@pytest.mark.recall
@pytest.mark.rule("commands-not-recallable", "recall-rest-from-mismatch")
def test_command_sent_over_rest_cannot_be_recalled_over_rest(alice, bob, admin):
    """A REST command cannot be recalled over REST either."""
    ids = admin.must_send_command_to_users([bob.name], "ping_me", sender=alice.name)
    bob.wait_for(match.command("ping_me"))
    resp = admin.recall_message(ids[bob.name], to=bob.name, sender=alice.name)
    body = resp.json()
    assert (resp.status_code, body["error"], body["error_description"]) == (
        403, "message_recall_error", "not_found msg")
