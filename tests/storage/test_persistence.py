"""A sandbox restarted on the same data dir keeps users, tokens, offline queues, history, mutes and
app settings; what was acknowledged before the restart is not delivered again."""
import pytest

from im_client import ErrorCode, Reason, match

pytestmark = [pytest.mark.chat, pytest.mark.owner("caixiangyue")]


@pytest.fixture
def target(restartable_sandbox):
    return restartable_sandbox.target


def test_users_and_their_tokens_survive(make_user, restartable_sandbox, admin, transport):
    alice = make_user("alice")
    token = alice.token()
    restartable_sandbox.restart()
    assert admin.must_get_user(alice.name)["username"] == alice.name
    device = alice.login(transport, token=token)  # the token issued before the restart
    assert not device.closed


def test_offline_queue_survives(make_user, restartable_sandbox, transport):
    alice, bob = make_user("alice"), make_user("bob")
    sent = alice.login(transport).must_send_text(bob.name, "across the restart")
    restartable_sandbox.restart()
    bob.login(transport).wait_for(match.of(sent))


def test_acked_messages_are_not_delivered_again(make_user, restartable_sandbox, transport):
    alice, bob = make_user("alice"), make_user("bob")
    phone = bob.login(transport, resource="py_phone")
    sent = alice.login(transport).must_send_text(bob.name, "once only")
    phone.wait_for(match.of(sent))
    phone.ping()  # the ack (pull with key) reached the server before this round trip
    restartable_sandbox.restart()
    again = bob.login(transport, resource="py_phone")
    again.wait_offline_sync()
    assert not again.received(match.of(sent))


def test_unacked_messages_are_delivered_again(make_user, restartable_sandbox, transport):
    alice, bob = make_user("alice"), make_user("bob")
    bob.login(transport, resource="py_phone").close()
    sent = alice.login(transport).must_send_text(bob.name, "pulled, never acked")
    bob.login(transport, resource="py_phone", auto_ack=False).wait_for(match.of(sent))
    restartable_sandbox.restart()
    bob.login(transport, resource="py_phone").wait_for(match.of(sent))


def test_history_and_app_settings_survive(make_user, restartable_sandbox, admin, storage, transport):
    alice, bob = make_user("alice"), make_user("bob")
    sent = alice.login(transport).must_send_text(bob.name, "still in history")
    admin.must_set_app_config(recall_time_limit=5, sensitive_words=["nope"])
    restartable_sandbox.restart()
    assert [m.id for m in storage.history(bob, alice)] == [sent.server_id]
    settings = admin.must_app_config()
    assert (settings["recall_time_limit"], settings["sensitive_words"]) == (5, ["nope"])


@pytest.mark.mute
def test_global_mute_survives(make_user, restartable_sandbox, admin, transport):
    alice, bob = make_user("alice"), make_user("bob")
    admin.must_mute_user(alice.name, chat=600)
    restartable_sandbox.restart()
    ack = alice.login(transport).send_text(bob.name, "still muted")
    assert (ack.code, ack.reason) == (ErrorCode.PERMISSION_DENIED, Reason.GLOBAL_MUTE)


def test_event_log_goes_on_after_the_restart(make_user, restartable_sandbox, storage, transport):
    alice = make_user("alice")
    alice.login(transport).close()
    restartable_sandbox.restart()
    alice.login(transport)
    assert len(storage.events("user.login", user=alice.name)) == 2  # one before, one after
