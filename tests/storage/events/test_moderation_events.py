"""The event log of mutes: the operation, the refused send, and no message going anywhere."""
import pytest

from im_client import ErrorCode, Reason

pytestmark = [pytest.mark.mute, pytest.mark.owner("caixiangyue")]


def test_muted_send_leaves_a_refusal_and_no_delivery(alice, bob, admin, storage):
    """A globally muted user's message is logged refused ("user is mute"), never upstream or downstream."""
    admin.must_mute_user(alice.name, chat=600)
    muted = storage.wait_for_event(kind="mute.set", user=alice.name)
    assert muted["chat"] == 600
    ack = alice.send_text(bob.name, "muted words")
    assert (ack.code, ack.reason) == (ErrorCode.PERMISSION_DENIED, Reason.GLOBAL_MUTE)
    bob.ping()  # bob's connection has seen whatever the server would have sent him
    refused = storage.wait_for_event(kind="message.refused", sender=alice.name)
    assert (refused["scope"], refused["reason"]) == ("chat", Reason.GLOBAL_MUTE)
    assert not storage.events("message.upstream", sender=alice.name)
    assert not storage.events(("message.downstream", "message.offline"), owner=bob.name)
