"""Room messages under traffic control (`traffic_control_enabled`, see im_sandbox/chatrooms/shedding.py).

Room messages take no tickets, but the group ticket pool measures downstream pressure for them too:
with at least half the pool in use low room messages are shed, with the pool full (or a group message
waiting for tickets) normal ones too, high ones never. A shed message is acked OK to its sender (as
budget drops are, and as the real service does) and logged as `message.dropped` naming traffic control.

Tickets are held as in tests/load/test_traffic_control.py: a group member that gets a NOTICE and does
not pull (`auto_pull=False`) holds one ticket per group message sent to it, until it pulls.
"""
import pytest

from fixtures.chatrooms import assert_nothing_more
from im_client import match
from im_client import messages as m
from im_client.groupchat import group_meta
from im_wire import pb

pytestmark = [pytest.mark.chatroom, pytest.mark.owner("yifan")]

TWO_TICKETS = dict(traffic_control_enabled=True, traffic_control_ticket_max=2)
ACK_TIMEOUT = 10.0


def hold_tickets(sender, holder, make_group, count: int):
    """`count` group messages to `holder`, which does not pull them: it holds `count` tickets.
    Returns the NOTICE of its group queue (pull it to give the tickets back)."""
    group = make_group(sender, members=[holder.name])
    for n in range(count):
        sender.must_send_group_text(group.id, f"held {n}")  # acked: admitted, its ticket taken
    return holder.wait_for(match.queue_notice(group.id))


def give_back(holder, notice, count: int) -> None:
    """The holder pulls: the page carrying the held messages is written and their tickets freed."""
    holder.pull(notice.queue)
    holder.wait_for_all(match.to_conversation(notice.queue.name) & match.message("groupchat"), count)


def room_with(alice, bob, make_room):
    room = make_room(alice)
    alice.must_join_room(room.id)
    bob.must_join_room(room.id)
    return room


def shed_by_traffic_control(storage, room_id: str) -> list[tuple[int, str]]:
    """(message id, priority) of every room message traffic control shed in this test, in order."""
    events = storage.events("message.dropped", room=room_id)
    assert all(e["reason"].startswith("traffic control: ") for e in events), events
    return [(e["id"], e["priority"]) for e in events]


@pytest.mark.app_config(**TWO_TICKETS)
@pytest.mark.rule("room-shed-under-traffic", "traffic-tickets-release-on-write")
def test_half_the_pool_in_use_sheds_low_until_the_holder_pulls(alice, login, make_group, make_room, storage):
    """With one ticket of two held, a low room message is acked OK but not delivered and logged as shed;
    normal and high ones are delivered. Once the holder pulls, low messages are delivered again."""
    bob, carol = login("bob"), login("carol", auto_pull=False)
    room = room_with(alice, bob, make_room)
    notice = hold_tickets(alice, carol, make_group, 1)

    low = alice.must_send_room_text(room.id, "low under pressure", priority="low")
    normal = alice.must_send_room_text(room.id, "normal under pressure", priority="normal")
    high = alice.must_send_room_text(room.id, "high under pressure", priority="high")
    bob.wait_for(match.of(high))
    assert_nothing_more(bob, match.of(low))
    assert [x.id for x in bob.received(match.in_room(room.id))] == [normal.server_id, high.server_id]
    assert shed_by_traffic_control(storage, room.id) == [(low.server_id, "low")]
    event = storage.events("message.dropped", id=low.server_id)[0]
    assert (event["reason"], event["in_use"], event["ticket_max"]) == (
        "traffic control: low shed at 1 of 2 tickets in use", 1, 2)

    give_back(carol, notice, 1)
    again = alice.must_send_room_text(room.id, "low after the pull", priority="low")
    bob.wait_for(match.of(again) & match.priority("low"))
    assert shed_by_traffic_control(storage, room.id) == [(low.server_id, "low")]


@pytest.mark.app_config(**TWO_TICKETS)
@pytest.mark.rule("room-shed-under-traffic", "traffic-tickets-release-on-write")
def test_a_full_pool_sheds_normal_too_but_never_high(alice, login, make_group, make_room, storage):
    """With both tickets held, low and normal room messages are shed, high ones still delivered;
    after the pull all three priorities are delivered."""
    bob, carol = login("bob"), login("carol", auto_pull=False)
    room = room_with(alice, bob, make_room)
    notice = hold_tickets(alice, carol, make_group, 2)

    low, normal, high = [alice.must_send_room_text(room.id, f"{level} when full", priority=level)
                         for level in ("low", "normal", "high")]
    bob.wait_for(match.of(high))
    assert_nothing_more(bob, match.of(low) | match.of(normal))
    assert [x.id for x in bob.received(match.in_room(room.id))] == [high.server_id]
    assert shed_by_traffic_control(storage, room.id) == [(low.server_id, "low"), (normal.server_id, "normal")]
    for event in storage.events("message.dropped", room=room.id):
        assert event["reason"] == f"traffic control: {event['priority']} shed at 2 of 2 tickets in use"

    give_back(carol, notice, 2)
    after = [alice.must_send_room_text(room.id, f"{level} after the pull", priority=level)
             for level in ("low", "normal", "high")]
    bob.wait_for(match.of(after[-1]))
    assert [x.id for x in bob.received(match.in_room(room.id))] == [high.server_id] + [s.server_id for s in after]
    assert len(shed_by_traffic_control(storage, room.id)) == 2


@pytest.mark.app_config(**TWO_TICKETS)
@pytest.mark.rule("room-shed-under-traffic")
def test_a_group_message_waiting_for_tickets_counts_as_a_full_pool(alice, login, make_group, make_room, storage):
    """One ticket of two held and a group message that needs two waits: normal room messages are shed
    as with a full pool until it is admitted; high ones are delivered meanwhile."""
    bob, carol, dave = login("bob"), login("carol", auto_pull=False), login("dave", auto_pull=False)
    room = room_with(alice, bob, make_room)
    notice = hold_tickets(alice, carol, make_group, 1)
    both = make_group(alice, members=[carol.name, dave.name])
    waiting = alice.send_meta_async(group_meta(alice, both.id, pb.MessageBody.GROUPCHAT, m.text_content("two")))
    storage.wait_for_event(kind="traffic.waiting", group=both.id)

    normal = alice.must_send_room_text(room.id, "normal while a group message waits", priority="normal")
    high = alice.must_send_room_text(room.id, "high while a group message waits", priority="high")
    bob.wait_for(match.of(high))
    assert_nothing_more(bob, match.of(normal))
    assert shed_by_traffic_control(storage, room.id) == [(normal.server_id, "normal")]
    event = storage.events("message.dropped", id=normal.server_id)[0]
    assert event["reason"] == "traffic control: normal shed at 1 of 2 tickets in use, 1 group message(s) waiting"
    assert not waiting.done()

    give_back(carol, notice, 1)
    assert waiting.result(ACK_TIMEOUT).ok


@pytest.mark.app_config(**TWO_TICKETS, chatroom_broadcast_enabled=True)
@pytest.mark.rule("room-shed-under-traffic", "room-broadcast-present-rooms")
def test_rest_room_messages_are_shed_but_broadcasts_are_not(alice, login, admin, make_group, make_room, storage):
    """Under a full pool a REST low room message gets its id (200) but is shed; a low broadcast, which
    skips the room's drops altogether, is delivered."""
    bob, carol = login("bob"), login("carol", auto_pull=False)
    room = room_with(alice, bob, make_room)
    hold_tickets(alice, carol, make_group, 2)

    low = int(admin.must_send_to_chatrooms([room.id], "txt", {"msg": "rest low"}, level="low")[room.id])
    admin.must_broadcast_to_chatrooms({"type": "txt", "msg": "broadcast low"}, level="low")
    bob.wait_for(match.text("broadcast low") & match.broadcast())
    assert_nothing_more(bob, match.message_id(low))
    assert shed_by_traffic_control(storage, room.id) == [(low, "low")]


@pytest.mark.app_config(traffic_control_enabled=False, traffic_control_ticket_max=1)
@pytest.mark.rule("room-shed-under-traffic")
def test_without_traffic_control_nothing_is_shed(alice, login, make_group, make_room, storage):
    """With traffic control off, group messages a member does not pull (more than the pool would hold)
    shed no room message: every priority is delivered and nothing is logged as dropped."""
    bob, carol = login("bob"), login("carol", auto_pull=False)
    room = room_with(alice, bob, make_room)
    hold_tickets(alice, carol, make_group, 3)

    sent = [alice.must_send_room_text(room.id, f"{level} without traffic control", priority=level)
            for level in ("low", "normal", "high")]
    bob.wait_for(match.of(sent[-1]))
    assert [x.id for x in bob.received(match.in_room(room.id))] == [s.server_id for s in sent]
    assert storage.events("message.dropped", room=room.id) == []
