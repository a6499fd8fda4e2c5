"""The server-side conversation list built from 1:1 traffic (docs/protocol/rest.md §12.1): what a message,
a recall and a read receipt do to a conversation's last message and unread count."""
import json

import pytest

from im_client import match

pytestmark = [pytest.mark.conversation, pytest.mark.owner("caixiangyue")]


def last_text(conv: dict) -> str:
    return json.loads(conv["meta"]["payload"])["bodies"][0]["msg"]


@pytest.mark.rule("conversation-from-traffic")
def test_a_message_is_the_last_message_on_both_sides_and_unread_on_the_receivers(alice, bob, admin):
    """Two messages: bob's side counts 2 unread, alice's none; both show the newest as last message."""
    alice.must_send_text(bob.name, "first")
    sent = alice.must_send_text(bob.name, "second")
    bob_side = admin.must_conversation(bob.name, alice.name)
    assert (bob_side["unread_num"], last_text(bob_side), bob_side["session_type"]) == (2, "second", "chat")
    assert bob_side["meta"]["id"] == str(sent.server_id)
    alice_side = admin.must_conversation(alice.name, bob.name)
    assert (alice_side["unread_num"], last_text(alice_side)) == (0, "second")


@pytest.mark.rule("conversation-from-traffic")
def test_conversation_ack_clears_unread_but_a_read_ack_of_one_message_does_not(alice, bob, admin):
    """READ_ACK of one message leaves the count; CHANNEL_ACK reads the whole conversation; a new message counts 1."""
    alice.must_send_text(bob.name, "one")
    two = alice.must_send_text(bob.name, "two")
    bob.must_send_read_ack(bob.wait_for(match.of(two)))
    assert admin.must_conversation(bob.name, alice.name)["unread_num"] == 2
    bob.must_send_channel_ack(alice.name)
    assert admin.must_conversation(bob.name, alice.name)["unread_num"] == 0
    alice.must_send_text(bob.name, "three")
    assert admin.must_conversation(bob.name, alice.name)["unread_num"] == 1


@pytest.mark.rule("conversation-from-traffic")
def test_recall_of_the_last_message_brings_back_the_one_before(alice, bob, admin):
    """Recalling the newest message: the one before is the last message again, and the count drops."""
    alice.must_send_text(bob.name, "keep me")
    oops = alice.must_send_text(bob.name, "oops")
    alice.must_recall(oops)
    bob.wait_for(match.recall_of(oops))
    conv = admin.must_conversation(bob.name, alice.name)
    assert (last_text(conv), conv["unread_num"]) == ("keep me", 1)


@pytest.mark.rule("conversation-from-traffic")
def test_commands_are_not_conversation(alice, bob, admin, make_user):
    """A command message neither starts a conversation nor becomes its last message."""
    carol = make_user("carol")
    alice.must_send_command(carol.name, "typing")
    assert admin.must_conversation(carol.name, alice.name) is None
    alice.must_send_text(bob.name, "hello")
    alice.must_send_command(bob.name, "typing")
    conv = admin.must_conversation(bob.name, alice.name)
    assert (last_text(conv), conv["unread_num"]) == ("hello", 1)


@pytest.mark.rule("conversation-from-traffic")
def test_a_message_to_oneself_starts_no_conversation(make_user, admin):
    """alice writes to herself and to bob: her list holds bob only (with the newer, self-addressed
    message left out of it), bob's holds alice."""
    alice, bob = make_user("alice"), make_user("bob")
    admin.must_send_text_to_users(bob.name, "to bob", sender=alice.name)
    admin.must_send_text_to_users(alice.name, "a note to self", sender=alice.name)
    mine = admin.with_token(alice.token()).must_all_conversations(alice.name)
    assert [(c["session_to"], last_text(c)) for c in mine] == [(bob.name, "to bob")]
    assert [c["session_to"] for c in admin.must_all_conversations(bob.name)] == [alice.name]


@pytest.mark.rule("conversation-list-paging")
def test_the_list_pages_newest_first_with_a_cursor(alice, make_user, admin):
    """Three conversations, pages of two: the newest message first, the cursor empty on the last page."""
    peers = make_user.many(3, "peer")
    for peer in peers:
        alice.must_send_text(peer.name, f"hi {peer.name}")
    as_alice = admin.with_token(alice.user.token())
    first = as_alice.must_conversations(alice.name, limit=2)
    assert [c["session_to"] for c in first["channel_infos"]] == [peers[2].name, peers[1].name]
    rest = as_alice.must_conversations(alice.name, limit=2, cursor=first["cursor"])
    assert ([c["session_to"] for c in rest["channel_infos"]], rest["cursor"]) == ([peers[0].name], "")


def test_offline_receiver_finds_the_conversation_at_login(alice, make_user, admin, transport):
    """The list is the server's: a user who was offline sees the conversation and its unread count."""
    bob = make_user("bob")
    alice.must_send_text(bob.name, "while you were away")
    device = bob.login(transport)
    as_bob = admin.with_token(bob.token())
    device.wait_for(match.sender(alice.name))
    assert as_bob.must_conversation(bob.name, alice.name)["unread_num"] == 1


def test_bad_list_requests_are_400(alice, admin):
    """A limit out of range or a cursor that is not one: 400 illegal_argument."""
    for resp in (admin.conversations(alice.name, limit=51), admin.conversations(alice.name, cursor="x"),
                 admin.conversations_by_mark(alice.name, "mark_20")):
        assert (resp.status_code, resp.json()["error"]) == (400, "illegal_argument")


@pytest.mark.rule("conversation-from-traffic")
def test_a_conversation_ack_from_one_device_reads_it_for_all_of_them(alice, bob, login, admin):
    """The count is the user's: bob's phone reads the conversation, his desk gets the CHANNEL_ACK copy."""
    phone = login(bob.user)
    sent = alice.must_send_text(bob.name, "read anywhere")
    phone.wait_for(match.of(sent))
    phone.must_send_channel_ack(alice.name)
    copy = bob.wait_for(match.message("channel_ack"))
    assert (copy.sender, copy.to) == (bob.name, alice.name)
    assert admin.must_conversation(bob.name, alice.name)["unread_num"] == 0
