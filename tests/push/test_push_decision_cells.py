"""The push decision cell by cell (rule push-offline-record): which ext is the do-not-push flag, an
ignoreDuration that is over, and the sender of a REST group message who has no device."""
import pytest

pytestmark = [pytest.mark.push, pytest.mark.owner("xinbo"), pytest.mark.rule("push-offline-record")]

ATTEMPTS = 100  # messages until one is sent after a 1 ms duration ends: a send can take under a millisecond
SENT = (True, "sent")

# name: the message's ext, and its push decision
FLAG_CELLS = {
    "em_ignore_notification true": ({"em_ignore_notification": True}, (False, "ignore_notification")),
    "em_ignore_notification false": ({"em_ignore_notification": False}, SENT),
    "em_ignore_notification the string true": ({"em_ignore_notification": "true"}, SENT),
    "em_ignore_notification the number 1": ({"em_ignore_notification": 1}, SENT),
    "another key true": ({"em_quiet": True}, SENT),
    "another key a number": ({"level": 3}, SENT),
}


def decision(record: dict) -> tuple[bool, str]:
    return record["pushed"], record["why"]


def test_only_a_bool_true_em_ignore_notification_holds_a_push_back(make_user, admin, storage):
    bob = make_user("bob")
    found = {}
    for name, (ext, _) in FLAG_CELLS.items():
        (msg_id,) = admin.must_send_text_to_users(bob.name, name, ext=ext).values()
        found[name] = decision(storage.wait_for_event(kind="push.offline", id=int(msg_id)))
    assert found == {name: outcome for name, (_, outcome) in FLAG_CELLS.items()}


def test_an_ignore_duration_holds_pushes_back_only_until_it_is_over(alice, make_user, admin, storage):
    """A running hour holds bob's push back; one of 1 ms is over by the next message (the message's server
    time, which the decision is made at or after, is checked to be past its end), for the conversation
    setting and for the user-wide one."""
    bob = make_user("bob")
    as_bob = admin.with_token(bob.token())
    found = {}
    for scope, peer in (("conversation", alice.name), ("user-wide", None)):
        as_bob.must_set_silent_mode(bob.name, peer, ignoreDuration=3_600_000)
        running = alice.must_send_text(bob.name, f"{scope}: running")
        found[f"{scope} running"] = decision(storage.wait_for_event(kind="push.offline", id=running.server_id))
        ends = as_bob.must_set_silent_mode(bob.name, peer, ignoreDuration=1)["ignoreDuration"]
        for _ in range(ATTEMPTS):
            over = alice.must_send_text(bob.name, f"{scope}: over")
            if over.timestamp > ends:
                break
        else:
            raise AssertionError(f"none of {ATTEMPTS} messages was sent after {ends}")
        found[f"{scope} over"] = decision(storage.wait_for_event(kind="push.offline", id=over.server_id))
    assert found == {"conversation running": (False, "conversation_duration"), "conversation over": SENT,
                     "user-wide running": (False, "user_duration"), "user-wide over": SENT}


def test_the_sender_of_a_rest_group_message_gets_no_record_though_it_has_no_device(make_user, make_group, admin,
                                                                                    storage):
    """dave sends through REST and has no connected device; the other members get their records, he none
    (the answer comes after the records are written)."""
    carol, dave, erin = make_user("carol"), make_user("dave"), make_user("erin")
    group = make_group(carol, members=[dave, erin])
    msg_id = int(admin.must_send_text_to_groups(group.id, "from dave", sender=dave.name)[group.id])
    found = {e["user"]: e for e in storage.events("push.offline", id=msg_id)}
    assert {user: (r["from"], decision(r)) for user, r in found.items()} == {
        carol.name: (dave.name, SENT), erin.name: (dave.name, SENT)}
