"""What do-not-disturb changes in offline delivery: the `push.offline` record of each 1:1 message to a
user with no connected device (rule push-offline-record, domain/push.py)."""
import pytest

pytestmark = [pytest.mark.push, pytest.mark.owner("xinbo"), pytest.mark.rule("push-offline-record")]


def push_of(storage, sent) -> dict:
    return storage.wait_for_event(kind="push.offline", id=sent.server_id)


def test_a_message_to_an_offline_user_is_pushed_by_default(alice, make_user, storage):
    bob = make_user("bob")
    record = push_of(storage, alice.must_send_text(bob.name, "ping"))
    assert (record["user"], record["from"], record["pushed"], record["why"]) == (bob.name, alice.name, True, "sent")


def test_an_online_receiver_needs_no_push(alice, bob, storage):
    sent = alice.must_send_text(bob.name, "you are here")
    storage.wait_for_event(kind="message.upstream", id=sent.server_id)
    assert storage.events("push.offline", id=sent.server_id) == []


def test_conversation_setting_silences_only_that_conversation(alice, login, make_user, admin, storage):
    """bob mutes alice (type NONE): her message is not pushed, carol's is."""
    bob, carol = make_user("bob"), login("carol")
    admin.with_token(bob.token()).must_set_silent_mode(bob.name, alice.name, type="NONE")
    muted = push_of(storage, alice.must_send_text(bob.name, "muted"))
    assert (muted["pushed"], muted["why"]) == (False, "conversation_type")
    assert push_of(storage, carol.must_send_text(bob.name, "not muted"))["pushed"] is True


def test_user_wide_duration_silences_until_cleared_and_a_conversation_all_overrides_it(alice, make_user, admin,
                                                                                       storage):
    """An hour of silence holds back every push except the conversation set to ALL; clearing it pushes again."""
    bob = make_user("bob")
    as_bob = admin.with_token(bob.token())
    as_bob.must_set_silent_mode(bob.name, ignoreDuration=3_600_000)
    silenced = push_of(storage, alice.must_send_text(bob.name, "quiet hours"))
    assert (silenced["pushed"], silenced["why"]) == (False, "user_duration")
    as_bob.must_set_silent_mode(bob.name, alice.name, type="ALL")
    assert push_of(storage, alice.must_send_text(bob.name, "always for alice"))["pushed"] is True
    as_bob.must_set_silent_mode(bob.name, alice.name, type="DEFAULT")
    as_bob.must_set_silent_mode(bob.name, ignoreDuration=0)
    assert push_of(storage, alice.must_send_text(bob.name, "back to normal"))["why"] == "sent"


def test_an_interval_around_the_clock_silences_and_the_message_flag_too(alice, make_user, admin, storage):
    """em_ignore_notification holds back one push; ignoreInterval 0:00-0:00 (all day) every push."""
    bob = make_user("bob")
    sent = alice.must_send_text(bob.name, "flagged", ext={"em_ignore_notification": True})
    assert push_of(storage, sent)["why"] == "ignore_notification"
    admin.must_set_silent_mode(bob.name, ignoreInterval="0:00-0:00")
    record = push_of(storage, alice.must_send_text(bob.name, "night and day"))
    assert (record["pushed"], record["why"]) == (False, "user_interval")


def test_rest_sends_are_recorded_too(make_user, admin, storage):
    """A REST message to an offline user gets its push record like an msync one."""
    bob = make_user("bob")
    admin.must_set_silent_mode(bob.name, type="NONE")
    (msg_id,) = admin.must_send_text_to_users(bob.name, "from the server").values()
    record = storage.wait_for_event(kind="push.offline", id=int(msg_id))
    assert (record["from"], record["pushed"], record["why"]) == ("admin", False, "user_type")
