"""Global (app-level) mute (docs/protocol/rest.md §4.1, docs/protocol/msync.md §5.3): a muted user's 1:1 messages are refused
with PERMISSION_DENIED "user is mute" until the mute is lifted or runs out."""
import pytest

from im_client import ErrorCode, Reason, match
from im_client.waiting import wait_until

pytestmark = [pytest.mark.mute, pytest.mark.owner("caixiangyue")]


@pytest.mark.rule("global-mute-permission-denied")
def test_muted_user_is_refused_and_receiver_gets_nothing(alice, bob, admin):
    """The refused message is never delivered; lifting the mute lets the next one through at once."""
    admin.must_mute_user(alice.name, chat=600)
    ack = alice.send_text(bob.name, "you will never read this")
    assert (ack.code, ack.reason) == (ErrorCode.PERMISSION_DENIED, Reason.GLOBAL_MUTE)
    admin.must_unmute_user(alice.name)
    after = alice.must_send_text(bob.name, "free again")
    # same queue, delivered in order: had the refused one been queued, it would come first
    got = bob.wait_for(match.sender(alice.name))
    assert got.id == after.server_id
    assert not bob.received(match.text("you will never read this"))


def test_mute_runs_out_by_itself(alice, bob, admin):
    """A 2-second mute refuses at once and lets messages through once its time is over."""
    admin.must_mute_user(alice.name, chat=2)
    assert alice.send_text(bob.name, "too early").reason == Reason.GLOBAL_MUTE
    wait_until(lambda: admin.must_mute_status(alice.name)["chat"] == 0, "the 2 s mute to run out", timeout=6)
    sent = alice.must_send_text(bob.name, "in time")
    bob.wait_for(match.of(sent))


def test_groupchat_mute_does_not_block_one_to_one(alice, bob, admin):
    """A mute in the groupchat and chatroom scopes leaves 1:1 sending alone."""
    admin.must_mute_user(alice.name, groupchat=600, chatroom=600)
    sent = alice.must_send_text(bob.name, "1:1 still works")
    bob.wait_for(match.of(sent))
    status = admin.must_mute_status(alice.name)
    assert status["chat"] == 0 and 0 < status["groupchat"] <= 600 and 0 < status["chatroom"] <= 600


@pytest.mark.rule("global-mute-seconds-left", "global-mute-permission-denied")
def test_permanent_mute_shows_minus_one_and_refuses(alice, bob, admin):
    """A permanent mute (-1) is reported as -1 and refuses 1:1 messages."""
    admin.must_mute_user(alice.name, chat=-1)
    assert admin.must_mute_status(alice.name)["chat"] == -1
    ack = alice.send_text(bob.name, "forever quiet")
    assert (ack.code, ack.reason) == (ErrorCode.PERMISSION_DENIED, Reason.GLOBAL_MUTE)


def test_muted_user_still_receives_and_acknowledges(alice, bob, admin):
    """Mute stops what a user says, not what they hear: receipts still go back."""
    admin.must_mute_user(bob.name, chat=600)
    sent = alice.must_send_text(bob.name, "can you hear me")
    got = bob.wait_for(match.of(sent))
    bob.must_send_read_ack(got)
    alice.wait_for(match.ack_of("read_ack", sent))
