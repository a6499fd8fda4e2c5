"""REST recall (docs/protocol/rest.md §3.4): the app admin recalls a 1:1 message, for the sender or as admin;
the receivers get the RECALL notice, and the documented errors come back verbatim."""
import pytest

from im_client import Typed, match
from im_client.ext import STRING
from im_client.match import recall_of

pytestmark = [pytest.mark.recall, pytest.mark.owner("caixiangyue")]


def _refused(resp):
    body = resp.json()
    return resp.status_code, body.get("error"), body.get("error_description")


def test_admin_recalls_a_message_of_a_user(alice, bob, admin):
    """The admin recalls a user's message without naming a sender; the notice comes from admin."""
    sent = alice.must_send_text(bob.name, "moderate me")
    bob.wait_for(match.of(sent))
    data = admin.must_recall_message(sent.server_id, to=bob.name)
    assert data == {"recalled": "yes", "chattype": "chat", "from": "admin", "to": bob.name,
                    "msg_id": str(sent.server_id)}
    notice = bob.wait_for(recall_of(sent))
    assert notice.sender == "admin"


def test_recall_for_the_sender_with_extension_reaches_all_devices(alice, bob, admin):
    """A recall in the sender's name reaches the receiver and the sender's devices with its extension."""
    sent = alice.must_send_text(bob.name, "take it back for me")
    admin.must_recall_message(sent.server_id, to=bob.name, sender=alice.name, ext="on behalf")
    for device in (bob, alice):  # sync_device defaults to true
        notice = device.wait_for(recall_of(sent))
        assert notice.sender == alice.name
        assert notice.meta_ext == {"recallMessageExtensionInfo": Typed(STRING, "on behalf")}


def test_offline_receiver_gets_only_the_notice(alice, make_user, admin, transport):
    """A receiver offline during a REST recall gets the notice and never the message."""
    bob = make_user("bob")
    sent = alice.must_send_text(bob.name, "never seen")
    admin.must_recall_message(sent.server_id, to=bob.name, sender=alice.name, sync_device=False)
    device = bob.login(transport)
    device.wait_for(recall_of(sent))
    device.wait_offline_sync()
    assert not device.received(match.of(sent))


def test_admin_recalls_a_message_it_sent(bob, admin):
    """A message the admin sent over REST can be recalled over REST."""
    ids = admin.must_send_text_to_users(bob.name, "announcement with a typo")
    msg_id = ids[bob.name]
    bob.wait_for(match.message_id(int(msg_id)))
    admin.must_recall_message(msg_id, to=bob.name)
    bob.wait_for(recall_of(int(msg_id)))


@pytest.mark.rule("recall-rest-from-mismatch")
def test_only_the_sender_can_be_named_as_recaller(alice, bob, admin):
    """Naming someone else than the sender as `from` finds no such message."""
    sent = alice.must_send_text(bob.name, "alice's words")
    assert _refused(admin.recall_message(sent.server_id, to=bob.name, sender=bob.name)) == (
        403, "message_recall_error", "not_found msg")
    bob.wait_for(match.of(sent))


@pytest.mark.rule("recall-rest-from-mismatch")
def test_recall_must_name_the_receiver(alice, bob, admin):
    """A recall whose `to` is not the message's receiver is a 400 "can’t find msg to"."""
    sent = alice.must_send_text(bob.name, "to bob")
    assert _refused(admin.recall_message(sent.server_id, to=alice.name)) == (
        400, "message_recall_error", "can\u2019t find msg to")


@pytest.mark.rule("recall-rest-from-mismatch")
def test_recalled_or_unknown_message_is_not_found(alice, bob, admin):
    """Recalled and never-sent messages are both "not_found msg"."""
    sent = alice.must_send_text(bob.name, "once")
    admin.must_recall_message(sent.server_id, to=bob.name)
    for msg_id in (sent.server_id, sent.server_id + 1_000_000):
        assert _refused(admin.recall_message(msg_id, to=bob.name)) == (
            403, "message_recall_error", "not_found msg")


@pytest.mark.parametrize("missing", ["msg_id", "to", "chat_type"])
def test_required_parameters(admin, missing):
    """msg_id, to and chat_type are required, each with its own error."""
    body = {"msg_id": "1", "to": "someone", "chat_type": "chat"}
    del body[missing]
    assert _refused(admin.request("POST", "/messages/msg_recall", json_body=body)) == (
        400, "message_recall_error", f"param {missing} can't be empty")


@pytest.mark.app_config(recall_time_limit=0)
@pytest.mark.rule("recall-window-boundary")
def test_time_limit_applies_unless_forced(alice, bob, admin):
    """Past the time limit a REST recall is refused unless it is forced."""
    sent = alice.must_send_text(bob.name, "old news")
    assert _refused(admin.recall_message(sent.server_id, to=bob.name)) == (
        403, "message_recall_error", "exceed recall time limit")
    admin.must_recall_message(sent.server_id, to=bob.name, force=True)
    bob.wait_for(recall_of(sent))


@pytest.mark.app_config(recall_enabled=False)
def test_recall_service_off(alice, bob, admin):
    """With recall switched off for the app even a forced REST recall is refused."""
    sent = alice.must_send_text(bob.name, "stays")
    assert _refused(admin.recall_message(sent.server_id, to=bob.name, force=True)) == (
        403, "forbidden_op", "message recall service is unopened")
