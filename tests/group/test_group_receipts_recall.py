"""Group read receipts and recall of group messages (docs/protocol/msync.md §4.2, §4.4, §4.5, §6.1)."""
import dataclasses

import pytest

from fixtures.groups import assert_not_delivered
from im_client import ErrorCode, Reason, match

pytestmark = [pytest.mark.group, pytest.mark.owner("jiahao")]


@pytest.mark.rule("group-read-ack-count")
def test_sender_learns_who_read_its_group_message(alice, login, make_group, rest_as):
    bob, carol = login("bob"), login("carol")
    group = make_group(alice, members=[bob.name, carol.name])
    sent = alice.must_send_group_text(group.id, "please read", allow_group_ack=True)
    bob.must_send_group_read_ack(bob.wait_for(match.of(sent)))
    first = alice.wait_for(match.ack_of("read_ack", sent) & match.sender(bob.name))
    assert (first.to, first.ext_values["group_read_count"]) == (group.id, "1")
    carol.must_send_group_read_ack(carol.wait_for(match.of(sent)))
    second = alice.wait_for(match.ack_of("read_ack", sent) & match.sender(carol.name))
    assert second.ext_values["group_read_count"] == "2"
    readers = rest_as(alice).must_group_read_acks(group.id, sent.server_id)
    assert [r["user"] for r in readers] == [bob.name, carol.name]


@pytest.mark.rule("group-read-ack-count")
def test_read_ack_must_name_a_message_of_that_group(alice, login, make_group):
    bob = login("bob")
    group, other = make_group(alice, members=[bob.name]), make_group(alice, members=[bob.name])
    sent = alice.must_send_group_text(other.id, "elsewhere")
    message = bob.wait_for(match.of(sent))
    ack = bob.send_group_read_ack(dataclasses.replace(message, to=group.id))  # names the wrong group
    assert (ack.code, ack.reason) == (ErrorCode.FAIL, Reason.MESSAGE_NOT_EXIST)


@pytest.mark.recall
def test_recalled_message_is_taken_back_from_every_member(alice, login, make_user, make_group, transport):
    """Online members get the RECALL notice; a member offline until now never sees the original."""
    bob, carol = login("bob"), make_user("carol")
    group = make_group(alice, members=[bob.name, carol])
    sent = alice.must_send_group_text(group.id, "oops")
    bob.wait_for(match.of(sent))
    alice.must_recall(sent)
    notice = bob.wait_for(match.recall_of(sent))
    assert (notice.sender, notice.to) == (alice.name, group.id)
    late = carol.login(transport)
    late.wait_for(match.recall_of(sent))
    assert not late.received(match.of(sent))


@pytest.mark.recall
@pytest.mark.rule("group-managers-recall-any", "recall-of-others")
def test_member_cannot_recall_someone_elses_message(alice, login, make_group):
    bob = login("bob")
    group = make_group(alice, members=[bob.name])
    sent = alice.must_send_group_text(group.id, "mine")
    ack = bob.recall(bob.wait_for(match.of(sent)))
    assert (ack.code, ack.reason) == (ErrorCode.FAIL, Reason.NO_PERMISSION)


@pytest.mark.recall
@pytest.mark.rule("group-managers-recall-any")
def test_owner_and_admins_may_recall_any_members_message(alice, login, make_group, rest_as):
    bob, carol = login("bob"), login("carol")
    group = make_group(alice, members=[bob.name, carol.name])
    rest_as(alice).must_add_group_admin(group.id, bob.name)
    first = carol.must_send_group_text(group.id, "first")
    second = carol.must_send_group_text(group.id, "second")
    alice.must_recall(alice.wait_for(match.of(first)))
    bob.must_recall(bob.wait_for(match.of(second)))
    carol.wait_for(match.recall_of(first))
    carol.wait_for(match.recall_of(second))


@pytest.mark.recall
def test_removed_member_cannot_recall(alice, login, make_group, admin):
    bob = login("bob")
    group = make_group(alice, members=[bob.name])
    sent = bob.must_send_group_text(group.id, "before I go")
    alice.wait_for(match.of(sent))
    admin.must_remove_group_members(group.id, bob.name)
    ack = bob.recall(sent)
    assert (ack.code, ack.reason) == (ErrorCode.FAIL, Reason.NOT_IN_GROUP)
    assert_not_delivered(alice, match.recall_of(sent), group.id)


@pytest.mark.recall
@pytest.mark.app_config(recall_time_limit=0)
def test_recall_after_the_time_limit_is_refused(alice, login, make_group):
    bob = login("bob")
    group = make_group(alice, members=[bob.name])
    sent = alice.must_send_group_text(group.id, "too late to take back")
    ack = alice.recall(sent)
    assert (ack.code, ack.reason) == (ErrorCode.FAIL, Reason.RECALL_TIME_LIMIT)
    bob.wait_for(match.of(sent))


@pytest.mark.recall
@pytest.mark.app_config(recall_enabled=False)
def test_recall_is_refused_when_the_service_is_off(alice, make_group):
    group = make_group(alice)
    sent = alice.must_send_group_text(group.id, "stays")
    ack = alice.recall(sent)
    assert (ack.code, ack.reason) == (ErrorCode.FAIL, Reason.RECALL_DISABLED)


def test_group_recall_reaches_the_senders_other_devices(make_user, login, make_group, transport):
    """The RECALL notice reaches the recaller's other device (and the members), not the recalling one."""
    alice = make_user("alice")
    phone, laptop = alice.login(transport, resource="py_phone"), alice.login(transport, resource="py_laptop")
    bob = login("bob")
    group = make_group(alice, members=[bob.name])
    sent = phone.must_send_group_text(group.id, "sent by mistake")
    laptop.wait_for(match.of(sent))
    phone.must_recall(sent)
    laptop.wait_for(match.recall_of(sent))
    bob.wait_for(match.recall_of(sent))
    assert_not_delivered(phone, match.recall_of(sent), group.id)
