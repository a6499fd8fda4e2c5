"""Per-device delivery in chatrooms (docs/protocol/msync.md §5.3), by table: a room item is pushed to
each present (joined) device on its own, never queued: every joined device of a member gets its
copy, a logged-in device that did not join gets nothing, and a device that goes away and comes
back finds nothing waiting while the one that stayed got it."""
import pytest

from fixtures.chatrooms import assert_nothing_more
from im_client import match

pytestmark = [pytest.mark.chatroom, pytest.mark.owner("yifan")]


def _text(sender, room_id, bob):
    sent = sender.must_send_room_text(room_id, "per-device room text")
    return match.of(sent)


def _command(sender, room_id, bob):
    sender.must_send_room_command(room_id, "per_device_room_cmd")
    return match.command("per_device_room_cmd") & match.sender(sender.name)


def _directed(sender, room_id, bob):
    sent = sender.must_send_room_text(room_id, "for bob's devices", directed_users=[bob])
    return match.of(sent)


def _recall(sender, room_id, bob):
    gone = sender.must_send_room_text(room_id, "taken back")
    sender.must_recall(gone)
    return match.recall_of(gone)


# kind -> how the sender makes it (bob is a member); returns what a present device of bob's gets
KINDS = {"text": _text, "command": _command, "directed": _directed, "recall": _recall}


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.rule("chatroom-direct-push")
def test_every_joined_device_gets_its_copy_and_no_other_device(alice, make_user, make_room, transport, kind):
    bob = make_user("bob")
    room = make_room(alice, members=[bob])
    alice.must_join_room(room.id)
    phone, laptop, tablet = (bob.login(transport, resource=r) for r in ("py_phone", "py_laptop", "py_tablet"))
    phone.must_join_room(room.id)
    laptop.must_join_room(room.id)
    expected = KINDS[kind](alice, room.id, bob.name)
    phone.wait_for(expected)
    laptop.wait_for(expected)
    assert_nothing_more(tablet, expected)  # logged in, never joined


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.rule("chatroom-direct-push")
def test_a_device_away_finds_nothing_queued_while_the_present_one_got_it(alice, make_user, make_room, transport,
                                                                           kind):
    bob = make_user("bob")
    room = make_room(alice, members=[bob])
    alice.must_join_room(room.id)
    phone, laptop = bob.login(transport, resource="py_phone"), bob.login(transport, resource="py_laptop")
    phone.must_join_room(room.id)
    laptop.must_join_room(room.id)
    laptop.close()
    expected = KINDS[kind](alice, room.id, bob.name)
    phone.wait_for(expected)
    again = bob.login(transport, resource="py_laptop")
    again.wait_offline_sync()
    assert_nothing_more(again, expected)


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.rule("chatroom-direct-push")
def test_the_senders_other_joined_device_gets_it(make_user, make_room, transport, kind):
    alice, bob = make_user("alice"), make_user("bob")
    phone, laptop = alice.login(transport, resource="py_phone"), alice.login(transport, resource="py_laptop")
    room = make_room(alice, members=[bob])
    phone.must_join_room(room.id)
    laptop.must_join_room(room.id)
    receiver = bob.login(transport)
    receiver.must_join_room(room.id)
    expected = KINDS[kind](phone, room.id, bob.name)
    receiver.wait_for(expected)
    laptop.wait_for(expected)
    assert_nothing_more(phone, expected)
