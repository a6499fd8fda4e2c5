"""Group conversations in the server-side list (docs/protocol/rest.md §12.1), built from group traffic:
the last message, the unread count, what a group CHANNEL_ACK, a recall and a delete do to them."""
import json

import pytest

from im_client import ErrorCode, Reason, match

pytestmark = [pytest.mark.conversation, pytest.mark.owner("caixiangyue"), pytest.mark.rule("conversation-from-traffic")]


def last_text(conv: dict) -> str:
    return json.loads(conv["meta"]["payload"])["bodies"][0]["msg"]


def test_every_member_lists_the_group_with_its_last_message_and_counts_the_others_messages(alice, bob, make_user,
                                                                                           make_group, admin):
    """alice and bob write: carol counts both, each writer only the other's; all show bob's as the last message."""
    carol = make_user("carol")
    group = make_group(alice, members=[bob, carol])
    alice.must_send_group_text(group.id, "from alice")
    last = bob.must_send_group_text(group.id, "from bob")
    counts = {}
    for user in (alice.name, bob.name, carol.name):
        conv = admin.must_conversation(user, group.id)
        assert (conv["session_type"], last_text(conv), conv["meta"]["id"]) == ("groupchat", "from bob",
                                                                              str(last.server_id)), user
        counts[user] = conv["unread_num"]
    assert counts == {alice.name: 1, bob.name: 1, carol.name: 2}


@pytest.mark.rule("directed-messages-not-in-history")
def test_a_directed_message_is_neither_the_last_message_nor_counted(alice, bob, make_user, make_group, admin):
    """A message to bob alone is not history: nobody's list shows or counts it, bob's included."""
    carol = make_user("carol")
    group = make_group(alice, members=[bob, carol])
    alice.must_send_group_text(group.id, "for everyone")
    alice.must_send_group_text(group.id, "psst", directed_users=[bob.name])
    bob.wait_for(match.text("psst"))
    for user in (bob.name, carol.name):
        conv = admin.must_conversation(user, group.id)
        assert (last_text(conv), conv["unread_num"]) == ("for everyone", 1), user


@pytest.mark.rule("group-channel-ack")
def test_a_group_channel_ack_reads_the_group_for_every_device_of_the_member(alice, bob, login, make_group, admin):
    """bob's phone acks the group: his count is 0, his desk gets the CHANNEL_ACK; the next message counts 1."""
    group = make_group(alice, members=[bob])
    phone = login(bob.user)
    alice.must_send_group_text(group.id, "one")
    two = alice.must_send_group_text(group.id, "two")
    phone.wait_for(match.of(two))
    assert admin.must_conversation(bob.name, group.id)["unread_num"] == 2
    phone.must_send_group_channel_ack(group.id)
    copy = bob.wait_for(match.message("channel_ack"))
    assert (copy.sender, copy.to) == (bob.name, group.id)
    assert admin.must_conversation(bob.name, group.id)["unread_num"] == 0
    alice.must_send_group_text(group.id, "three")
    assert admin.must_conversation(bob.name, group.id)["unread_num"] == 1


@pytest.mark.rule("group-channel-ack")
def test_a_group_channel_ack_from_a_stranger_is_refused(alice, bob, make_group, admin):
    """Only a member reads a group: anyone else is refused as not in the group, and the count stays."""
    group = make_group(alice)
    alice.must_send_group_text(group.id, "members only")
    ack = bob.send_group_channel_ack(group.id)
    assert (ack.code, ack.reason) == (ErrorCode.FAIL, Reason.NOT_IN_GROUP)
    assert admin.must_conversation(bob.name, group.id) is None


def test_recall_of_the_last_group_message_brings_back_the_one_before(alice, bob, make_group, admin):
    """Recalling the newest message: the one before is the last message again, and bob counts one."""
    group = make_group(alice, members=[bob])
    alice.must_send_group_text(group.id, "keep me")
    oops = alice.must_send_group_text(group.id, "oops")
    alice.must_recall(oops)
    bob.wait_for(match.recall_of(oops))
    conv = admin.must_conversation(bob.name, group.id)
    assert (last_text(conv), conv["unread_num"]) == ("keep me", 1)


@pytest.mark.rule("conversation-actions")
def test_a_deleted_group_conversation_comes_back_with_the_next_message_only(alice, bob, make_group, admin):
    """bob pins and deletes the group: it leaves his list; alice's next message brings it back unpinned,
    counting only itself."""
    group = make_group(alice, members=[bob])
    alice.must_send_group_text(group.id, "old")
    as_bob = admin.with_token(bob.user.token())
    as_bob.must_pin_conversation(bob.name, group.id, "groupChat")
    as_bob.must_remove_conversation(bob.name, group.id, "groupChat")
    assert as_bob.must_conversation(bob.name, group.id) is None
    alice.must_send_group_text(group.id, "new")
    back = as_bob.must_conversation(bob.name, group.id)
    assert (last_text(back), back["unread_num"], back["is_top"]) == ("new", 1, False)


def test_a_member_who_left_no_longer_lists_the_group(alice, bob, make_group, admin):
    """The list holds the groups the user is a member of: after bob quits, his list has no such group."""
    group = make_group(alice, members=[bob])
    alice.must_send_group_text(group.id, "before you go")
    assert admin.must_conversation(bob.name, group.id)["unread_num"] == 1
    admin.with_token(bob.user.token()).must_quit_group(group.id)
    assert admin.must_conversation(bob.name, group.id) is None
