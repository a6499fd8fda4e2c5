"""Editing a sent message (docs/protocol/msync.md §4.2 EDIT, §4.3, §4.5): the editor's ack with `edit_msg`, the
notice to the peer and to the editor's other devices, history holding the edited body, refusals."""
import pytest

from im_client import ErrorCode, Reason, match
from im_client.edit import edit_info
from im_client.rest_storage import conversation_queue

pytestmark = [pytest.mark.chat, pytest.mark.owner("caixiangyue")]


@pytest.mark.rule("edit-rules")
def test_edit_is_acked_with_edit_info_and_reaches_the_peer(alice, bob):
    """The ack's NOTIFY meta carries edit_msg (count 1, operator, sender, chat:user); bob gets the EDIT with the new text."""
    sent = alice.must_send_text(bob.name, "helo")
    bob.wait_for(match.of(sent))
    ack = alice.must_edit_text(sent, "hello")
    info = edit_info(ack)
    assert (info["count"], info["operator"], info["sender"], info["chat_type"], info["send_time"]) == (
        1, alice.name, alice.name, "chat:user", sent.timestamp)
    notice = bob.wait_for(match.edit_of(sent, "hello"))
    assert notice.body.editScope == notice.body.BODY and notice.body_meta["edit_msg"]["count"] == 1


@pytest.mark.rule("edit-rules")
def test_edit_with_ext_replaces_the_ext(alice, bob):
    """An edit carrying ext (editScope BODY_AND_EXT) hands the peer the new ext."""
    sent = alice.must_send_text(bob.name, "v1", ext={"k": "old"})
    alice.must_edit_text(sent, "v2", ext={"k": "new"})
    notice = bob.wait_for(match.edit_of(sent, "v2"))
    assert notice.body.editScope == notice.body.BODY_AND_EXT and notice.ext_values == {"k": "new"}


def test_editors_other_device_is_told(make_user, login, transport):
    """alice's laptop hears of the edit made on her phone; the phone does not get it back."""
    alice = make_user("alice")
    phone, laptop = alice.login(transport, resource="py_phone"), alice.login(transport, resource="py_laptop")
    bob = login("bob")
    sent = phone.must_send_text(bob.name, "draft")
    phone.must_edit_text(sent, "final")
    laptop.wait_for(match.edit_of(sent, "final"))
    bob.wait_for(match.edit_of(sent, "final"))
    phone.ping()
    assert not phone.received(match.edit_of(sent))


@pytest.mark.rule("edit-rules")
def test_history_and_a_later_login_hold_the_edited_body(alice, make_user, admin, transport):
    """Edited before bob logs in: his pull and both histories carry the new text with its edit_msg."""
    bob = make_user("bob")
    sent = alice.must_send_text(bob.name, "before")
    alice.must_edit_text(sent, "after")
    device = bob.login(transport)
    assert device.wait_for(match.of(sent)).text == "after"
    device.wait_for(match.edit_of(sent, "after"))
    for owner, peer in ((alice.name, bob.name), (bob.name, alice.name)):
        (stored,) = [m for m in admin.must_history(owner, conversation_queue(peer)) if m.id == sent.server_id]
        assert stored.text == "after" and stored.body_meta["edit_msg"]["count"] == 1


@pytest.mark.rule("edit-rules")
def test_edit_by_someone_else_is_refused(alice, bob):
    """bob may not edit alice's message: FAIL `Sorry, You do not have permission` (SDK 603)."""
    sent = alice.must_send_text(bob.name, "mine")
    got = bob.wait_for(match.of(sent))
    ack = bob.edit_text(got, "yours now")
    assert (ack.code, ack.reason) == (ErrorCode.FAIL, Reason.NO_PERMISSION)


@pytest.mark.rule("edit-rules")
def test_edit_of_a_recalled_message_is_refused(alice, bob):
    """A recalled message is gone: FAIL `Sorry, message does not exist` (SDK 1302)."""
    sent = alice.must_send_text(bob.name, "gone soon")
    alice.must_recall(sent)
    ack = alice.edit_text(sent, "too late")
    assert (ack.code, ack.reason) == (ErrorCode.FAIL, Reason.MESSAGE_NOT_EXIST)


@pytest.mark.rule("edit-rules")
def test_edit_of_a_command_or_into_another_kind_is_refused(alice, bob):
    """Commands are not editable, and a text does not become a custom message: `Sorry, format is incorrect`."""
    command = alice.must_send_command(bob.name, "refresh")
    ack = alice.edit_text(command, "text now")
    assert (ack.code, ack.reason) == (ErrorCode.FAIL, Reason.FORMAT_INCORRECT)
    text = alice.must_send_text(bob.name, "text")
    ack = alice.edit_custom(text, "poll")
    assert (ack.code, ack.reason) == (ErrorCode.FAIL, Reason.FORMAT_INCORRECT)


@pytest.mark.rule("edit-rules")
def test_eleventh_edit_is_refused(alice, bob):
    """Ten edits are allowed; the eleventh gets FAIL `Sorry, edit limit reached` (SDK 50)."""
    sent = alice.must_send_text(bob.name, "v0")
    for n in range(1, 11):
        assert edit_info(alice.must_edit_text(sent, f"v{n}"))["count"] == n
    ack = alice.edit_text(sent, "v11")
    assert (ack.code, ack.reason) == (ErrorCode.FAIL, Reason.EDIT_LIMIT)
