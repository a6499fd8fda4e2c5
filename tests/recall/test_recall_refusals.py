"""Recalls the server refuses (docs/protocol/msync.md §6.1): each FAIL with its exact reason, and the message
stays where it was."""
import pytest

from im_client import ErrorCode, Reason, match
from im_client import messages as m
from im_client.match import recall_of

pytestmark = [pytest.mark.recall, pytest.mark.owner("caixiangyue")]


@pytest.mark.rule("recall-of-others")
def test_someone_elses_message_cannot_be_recalled(alice, bob):
    """The receiver cannot recall the sender's message, and the attempt changes nothing."""
    sent = alice.must_send_text(bob.name, "mine, not yours")
    got = bob.wait_for(match.of(sent))
    ack = bob.recall(got)
    assert (ack.code, ack.reason) == (ErrorCode.FAIL, Reason.NO_PERMISSION)
    # alice can still recall it: bob's attempt changed nothing
    alice.must_recall(sent)
    bob.wait_for(recall_of(sent))


@pytest.mark.rule("recall-not-found-reason")
def test_a_message_is_recalled_once(alice, bob):
    """A second recall of the same message finds nothing to recall."""
    sent = alice.must_send_text(bob.name, "twice?")
    alice.must_recall(sent)
    ack = alice.recall(sent)
    assert (ack.code, ack.reason) == (ErrorCode.FAIL, Reason.RECALL_NOT_FOUND)


@pytest.mark.rule("recall-not-found-reason")
def test_unknown_message_cannot_be_recalled(alice, bob):
    """A recall naming an id that was never sent finds nothing to recall."""
    sent = alice.must_send_text(bob.name, "real")
    ack = alice.recall(sent.server_id + 1_000_000, to=bob.name)
    assert (ack.code, ack.reason) == (ErrorCode.FAIL, Reason.RECALL_NOT_FOUND)


@pytest.mark.rule("recall-not-found-reason")
def test_recall_names_the_conversation_of_the_message(alice, bob, login):
    """A recall sent to another peer than the message's receiver finds no such message."""
    carol = login("carol")
    sent = alice.must_send_text(bob.name, "for bob")
    ack = alice.recall(sent, to=carol.name)
    assert (ack.code, ack.reason) == (ErrorCode.FAIL, Reason.RECALL_NOT_FOUND)
    bob.wait_for(match.of(sent))


@pytest.mark.rule("bad-input-statuses")
def test_recall_without_message_id_is_malformed(alice, bob):
    """A RECALL without ackMessageId is a malformed payload."""
    meta = m.chat_meta(alice.appkey, alice.name, bob.name, m.Body.RECALL, None)
    ack = alice.send_meta(meta)
    assert (ack.code, ack.reason) == (ErrorCode.WRONG_PARAMETER, Reason.BAD_PAYLOAD)


@pytest.mark.app_config(recall_time_limit=0)
@pytest.mark.rule("recall-window-boundary")
def test_recall_beyond_the_time_limit_is_refused(alice, make_user, transport):
    """With a zero window every recall is late; the receiver still gets the message."""
    bob = make_user("bob")
    sent = alice.must_send_text(bob.name, "too late to take back")
    ack = alice.recall(sent)
    assert (ack.code, ack.reason) == (ErrorCode.FAIL, Reason.RECALL_TIME_LIMIT)
    device = bob.login(transport)
    device.wait_for(match.of(sent))
    device.wait_offline_sync()
    assert not device.received(recall_of(sent))


@pytest.mark.app_config(recall_enabled=False)
def test_recall_disabled_for_the_app(alice, bob):
    """With recall switched off for the app the recall fails and the message stays."""
    sent = alice.must_send_text(bob.name, "no take-backs here")
    ack = alice.recall(sent)
    assert (ack.code, ack.reason) == (ErrorCode.FAIL, Reason.RECALL_DISABLED)
    bob.wait_for(match.of(sent))
