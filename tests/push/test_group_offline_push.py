"""What do-not-disturb changes for group messages: the `push.offline` record of each group message for
every member it reaches without a connected device, decided by the member's setting for the group
(the SDK's silent mode for a group conversation) and the member's user-wide setting (rule
push-offline-record, domain/push.py)."""
import pytest

pytestmark = [pytest.mark.push, pytest.mark.owner("xinbo"), pytest.mark.rule("push-offline-record")]


def records(storage, sent_id: int) -> dict[str, dict]:
    """The message's push records by member; the sender's ack came first, so they are all written."""
    return {e["user"]: e for e in storage.events("push.offline", id=sent_id)}


def test_each_offline_member_gets_a_record_the_online_ones_and_the_sender_none(alice, bob, make_user, make_group,
                                                                               storage):
    carol, dave = make_user("carol"), make_user("dave")
    group = make_group(alice, members=[bob, carol, dave])
    sent = alice.must_send_group_text(group.id, "who is away?")
    found = records(storage, sent.server_id)
    assert sorted(found) == sorted([carol.name, dave.name])
    assert {(r["from"], r["group"], r["pushed"], r["why"]) for r in found.values()} == {
        (alice.name, group.id, True, "sent")}


def test_a_group_setting_silences_only_that_group_and_all_overrides_the_user_wide_one(alice, make_user,
                                                                                      make_group, admin, storage):
    """carol mutes one group: its messages are not pushed, the other group's are; with the user-wide
    setting NONE the muted group set to ALL is the one still pushed."""
    carol = make_user("carol")
    muted, other = make_group(alice, members=[carol]), make_group(alice, members=[carol])
    as_carol = admin.with_token(carol.token())
    as_carol.must_set_silent_mode(carol.name, group=muted.id, type="NONE")
    record = records(storage, alice.must_send_group_text(muted.id, "hush").server_id)[carol.name]
    assert (record["pushed"], record["why"]) == (False, "conversation_type")
    assert records(storage, alice.must_send_group_text(other.id, "loud").server_id)[carol.name]["pushed"] is True
    as_carol.must_set_silent_mode(carol.name, type="NONE")
    as_carol.must_set_silent_mode(carol.name, group=muted.id, type="ALL")
    assert records(storage, alice.must_send_group_text(muted.id, "always").server_id)[carol.name]["why"] == "sent"
    assert records(storage, alice.must_send_group_text(other.id, "now quiet").server_id)[carol.name]["why"] == \
        "user_type"


def test_an_at_setting_pushes_only_the_messages_that_mention_the_member(alice, make_user, make_group, admin, storage):
    """type AT for the group: a plain message is held back; one naming carol in em_at_list, or ALL, is pushed."""
    carol, dave = make_user("carol"), make_user("dave")
    group = make_group(alice, members=[carol, dave])
    for member in (carol, dave):
        admin.must_set_silent_mode(member.name, group=group.id, type="AT")
    plain = records(storage, alice.must_send_group_text(group.id, "anyone").server_id)
    assert {u: r["why"] for u, r in plain.items()} == {carol.name: "conversation_type", dave.name: "conversation_type"}
    named = alice.must_send_group_text(group.id, "@carol", ext={"em_at_list": [carol.name]})
    assert {u: r["pushed"] for u, r in records(storage, named.server_id).items()} == {carol.name: True,
                                                                                      dave.name: False}
    everyone = alice.must_send_group_text(group.id, "@all", ext={"em_at_list": "ALL"})
    assert all(r["pushed"] for r in records(storage, everyone.server_id).values())


@pytest.mark.rule("directed-messages-not-in-history")
def test_a_directed_message_is_recorded_for_its_offline_recipients_only(alice, make_user, make_group, storage):
    carol, dave = make_user("carol"), make_user("dave")
    group = make_group(alice, members=[carol, dave])
    sent = alice.must_send_group_text(group.id, "just you", directed_users=[carol.name])
    assert list(records(storage, sent.server_id)) == [carol.name]


def test_online_only_messages_get_no_record(alice, make_user, make_group, storage):
    """deliverOnlineOnly reaches no offline member, so no push is considered."""
    carol = make_user("carol")
    group = make_group(alice, members=[carol])
    sent = alice.must_send_group_text(group.id, "only if you are here", online_only=True)
    assert records(storage, sent.server_id) == {}


def test_rest_group_sends_are_recorded_too(alice, make_user, make_group, admin, storage):
    """A REST message to a group gets its records like an msync one; alice's device is connected."""
    carol = make_user("carol")
    group = make_group(alice, members=[carol])
    admin.must_set_silent_mode(carol.name, ignoreDuration=3_600_000)
    msg_id = int(admin.must_send_text_to_groups(group.id, "from the server", sender=alice.name)[group.id])
    found = records(storage, msg_id)
    assert list(found) == [carol.name]
    assert (found[carol.name]["from"], found[carol.name]["pushed"], found[carol.name]["why"]) == (
        alice.name, False, "user_duration")
