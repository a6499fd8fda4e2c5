"""Room message priority (`chatroom_msg_tag`): under load the sandbox drops low before normal before high.

The room's delivery budget is the app setting `chatroom_msg_budget` (see im_sandbox/chatrooms/budget.py):
a message of priority p is delivered only while the room delivered fewer than p's ceiling in the
window. The tests use a window far longer than they run, so the outcome depends on order alone.
"""
import pytest

from fixtures.chatrooms import assert_nothing_more
from im_client import match

pytestmark = [pytest.mark.chatroom, pytest.mark.owner("yifan")]

BUDGET = {"window_ms": 600_000, "low": 3, "normal": 6, "high": 9}


def test_receiver_sees_the_priority_of_each_message(alice, login, make_room):
    """The tag the sender set reaches the receiver in Meta.ext (SDK `priority`)."""
    bob = login("bob")
    room = make_room(alice)
    alice.must_join_room(room.id)
    bob.must_join_room(room.id)
    for level in ("high", "normal", "low"):
        sent = alice.must_send_room_text(room.id, level, priority=level)
        bob.wait_for(match.of(sent) & match.priority(level))


@pytest.mark.app_config(chatroom_msg_budget=BUDGET)
@pytest.mark.rule("room-priority-budget")
def test_under_load_low_drops_first_then_normal_then_high(alice, login, make_room, storage):
    """Sent in turns low / normal / high, lows stop after the 3rd delivery, normals after the 6th, highs
    after the 9th: every send is acked OK, the receiver gets only the admitted ones, each drop is logged."""
    bob = login("bob")
    room = make_room(alice)
    alice.must_join_room(room.id)
    bob.must_join_room(room.id)
    levels = ["low", "normal", "high"] * 4 + ["high", "high"]
    sent = {f"{level} {n}": alice.must_send_room_text(room.id, f"{level} {n}", priority=level)
            for n, level in enumerate(levels)}

    bob.wait_for(match.text("high 12"))  # the last message the budget admits
    assert_nothing_more(bob, match.text("high 13"))
    got = [m.text for m in bob.received(match.in_room(room.id))]
    assert got == ["low 0", "normal 1", "high 2", "normal 4", "high 5", "normal 7", "high 8", "high 11", "high 12"]

    dropped = [text for text in sent if text not in got]
    assert dropped == ["low 3", "low 6", "low 9", "normal 10", "high 13"]
    for text in dropped:
        event = storage.wait_for_event(kind="message.dropped", id=sent[text].server_id)
        assert (event["room"], event["priority"]) == (room.id, text.split()[0])
        assert event["reason"].startswith("chatroom budget")


@pytest.mark.app_config(chatroom_msg_budget={"window_ms": 600_000, "low": 0, "normal": 0, "high": 0})
@pytest.mark.rule("room-priority-budget")
def test_every_drop_is_acked_ok_to_the_sender(alice, login, make_room, storage):
    """Even a message nobody gets is acked OK with a server id (as the real service does), and logged."""
    bob = login("bob")
    room = make_room(alice)
    alice.must_join_room(room.id)
    bob.must_join_room(room.id)
    ack = alice.send_room_text(room.id, "into the void", priority="high")
    assert ack.ok and ack.server_id > 0
    assert_nothing_more(bob, match.in_room(room.id))
    storage.wait_for_event(kind="message.dropped", id=ack.server_id, priority="high")

