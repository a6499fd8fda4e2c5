"""Roaming history (docs/protocol/rest.md §3.8): what the server keeps per conversation, as the SDK fetches it."""
import pytest

from im_client import match
from im_client.rest_storage import conversation_queue, decode_roaming_page

pytestmark = [pytest.mark.chat, pytest.mark.owner("caixiangyue")]


def test_sent_messages_are_stored_for_both_sides(alice, make_user, storage):
    """Both users see the conversation, oldest first, with the server ids and texts that were sent."""
    bob = make_user("bob")
    sent = [alice.must_send_text(bob.name, f"kept {n}") for n in range(3)]
    reply = alice.must_send_text(bob.name, "and one more")
    for owner, peer in ((alice, bob), (bob, alice)):
        history = storage.history(owner, peer)
        assert [m.id for m in history] == [s.server_id for s in [*sent, reply]]
        assert [m.text for m in history] == ["kept 0", "kept 1", "kept 2", "and one more"]
        assert all((m.sender, m.to) == (alice.name, bob.name) for m in history)


@pytest.mark.rule("roaming-paging")
def test_history_keeps_the_envelope_the_receiver_got(alice, bob, storage):
    """The stored Meta is the one delivered: same id, timestamp, sender resource and ext."""
    sent = alice.must_send_text(bob.name, "same bytes", ext={"k": 1, "s": "v"})
    delivered = bob.wait_for(match.of(sent))
    (stored,) = storage.history(bob, alice)
    assert stored.meta == delivered.meta
    assert stored.ext_values == {"k": 1, "s": "v"}


@pytest.mark.rule("roaming-paging")
def test_pages_follow_the_cursor_in_both_directions(alice, make_user, admin):
    """pull_number bounds a page; next_key continues after the page's last message; is_last ends it."""
    bob = make_user("bob")
    ids = [alice.must_send_text(bob.name, f"page {n}").server_id for n in range(5)]
    queue = conversation_queue(alice.name)
    newest = admin.must_message_roaming(bob.name, queue, pull_number=2)
    assert [m.id for m in decode_roaming_page(newest)] == [ids[4], ids[3]]
    assert (newest["next_key"], newest["is_last"]) == (str(ids[3]), False)
    older = admin.must_message_roaming(bob.name, queue, start=newest["next_key"], pull_number=2)
    assert [m.id for m in decode_roaming_page(older)] == [ids[2], ids[1]]
    last = admin.must_message_roaming(bob.name, queue, start=older["next_key"], pull_number=2)
    assert [m.id for m in decode_roaming_page(last)] == [ids[0]]
    assert (last["next_key"], last["is_last"]) == ("", True)
    oldest = admin.must_message_roaming(bob.name, queue, pull_number=3, is_positive=True)
    assert [m.id for m in decode_roaming_page(oldest)] == ids[:3]
    assert (oldest["next_key"], oldest["is_last"]) == (str(ids[2]), False)  # the page's last, not its second


@pytest.mark.recall
def test_recalled_message_leaves_the_history(alice, make_user, storage):
    """A recall removes the message from both users' history; the others stay."""
    bob = make_user("bob")
    kept = alice.must_send_text(bob.name, "stays")
    oops = alice.must_send_text(bob.name, "oops")
    alice.must_recall(oops)
    assert [m.id for m in storage.history(alice, bob)] == [kept.server_id]
    assert [m.id for m in storage.history(bob, alice)] == [kept.server_id]


@pytest.mark.passthrough
@pytest.mark.rule("commands-not-in-history")
def test_commands_are_not_history(alice, make_user, storage):
    """Passthrough (command) messages are delivered but never stored as conversation history."""
    bob = make_user("bob")
    text = alice.must_send_text(bob.name, "visible")
    alice.must_send_command(bob.name, "typing")
    custom = alice.must_send_custom(bob.name, "card", {"n": 1})
    assert [m.id for m in storage.history(bob, alice)] == [text.server_id, custom.server_id]


def test_message_type_filter(alice, make_user, admin):
    bob = make_user("bob")
    alice.must_send_text(bob.name, "text")
    custom = alice.must_send_custom(bob.name, "card")
    page = admin.must_message_roaming(bob.name, conversation_queue(alice.name), msg_types=["custom"])
    assert [m.id for m in decode_roaming_page(page)] == [custom.server_id]


@pytest.mark.rule("commands-not-in-history")
def test_receipts_are_not_history(alice, bob, storage):
    sent = alice.must_send_text(bob.name, "read me")
    bob.must_send_read_ack(bob.wait_for(match.of(sent)))
    assert [m.kind for m in storage.history(alice, bob)] == ["chat"]


def test_another_users_token_is_refused(alice, make_user, admin):
    """History is private: a user token only opens its own conversations (401 auth_bad_access_token)."""
    bob, mallory = make_user("bob"), make_user("mallory")
    alice.must_send_text(bob.name, "private")
    snoop = admin.with_token(mallory.token())
    refused = snoop.message_roaming(bob.name, conversation_queue(alice.name))
    assert (refused.status_code, refused.json()["error"]) == (401, "auth_bad_access_token")


@pytest.mark.app_config(roaming_enabled=False)
def test_roaming_switched_off_is_refused(alice, make_user, admin):
    """With the roaming service off the SDK gets 400 `this appKey not open message roaming`."""
    bob = make_user("bob")
    alice.must_send_text(bob.name, "not kept for you")
    refused = admin.message_roaming(bob.name, conversation_queue(alice.name))
    body = refused.json()
    assert (refused.status_code, body["error"], body["error_description"]) == (
        400, "service open exception", "this appKey not open message roaming")


@pytest.mark.rule("roaming-filters")
def test_time_window_filter(alice, make_user, admin):
    """startTime / endTime (inclusive, ms) keep exactly the messages sent inside the window."""
    bob = make_user("bob")
    sent = [alice.must_send_text(bob.name, f"t{n}") for n in range(3)]
    first, second, last = sent

    def window(start, end):
        page = admin.must_message_roaming(bob.name, conversation_queue(alice.name), start_time=start, end_time=end)
        return sorted(m.id for m in decode_roaming_page(page))

    assert window(first.timestamp, last.timestamp) == sorted(s.server_id for s in sent)
    assert window(second.timestamp, second.timestamp) == sorted(
        s.server_id for s in sent if s.timestamp == second.timestamp)
    assert window(last.timestamp + 1, None) == []
    assert window(None, first.timestamp - 1) == []


@pytest.mark.rule("roaming-filters")
def test_group_history_sender_filter(alice, login, make_group, admin):
    """userId keeps one member's messages of a group's history; a 1:1 history ignores it."""
    bob = login("bob")
    group = make_group(alice, members=[bob.name])
    alice.must_send_group_text(group.id, "from alice")
    mine = bob.must_send_group_text(group.id, "from bob")
    page = admin.must_message_roaming(alice.name, conversation_queue(group=group.id), sender=bob.name)
    assert [m.id for m in decode_roaming_page(page)] == [mine.server_id]
    direct = alice.must_send_text(bob.name, "1:1")
    page = admin.must_message_roaming(bob.name, conversation_queue(alice.name), sender="nobody")
    assert [m.id for m in decode_roaming_page(page)] == [direct.server_id]
