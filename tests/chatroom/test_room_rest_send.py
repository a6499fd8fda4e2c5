"""Room messages sent over REST (docs/protocol/rest.md §3.1): `POST /messages/chatrooms` and the broadcast to all rooms."""
import pytest

from fixtures.chatrooms import assert_nothing_more
from im_client import Reason, match

pytestmark = [pytest.mark.chatroom, pytest.mark.owner("yifan")]


def test_rest_send_reaches_present_members_with_its_level(alice, login, admin, make_room):
    """`chatroom_msg_level` becomes the downstream chatroom_msg_tag; ids come back per room."""
    bob = login("bob")
    room = make_room(alice)
    bob.must_join_room(room.id)
    ids = admin.must_send_to_chatrooms([room.id], "txt", {"msg": "from the server"}, sender=alice.name,
                                       level="low", ext={"k": "v"})
    got = bob.wait_for(match.message_id(int(ids[room.id])))
    assert (got.kind, got.text, got.sender, got.to) == ("chatroom", "from the server", alice.name, room.id)
    assert got.ext_values == {"k": "v"} and match.priority("low")(got)


def test_rest_send_checks_its_body(admin, alice, make_room):
    """More than 10 rooms, or a bad level, is a 400 `message_send_error`."""
    room = make_room(alice)
    too_many = admin.send_to_chatrooms([room.id] * 11, "txt", {"msg": "x"})
    assert (too_many.status_code, too_many.json()["error_description"]) == (400, "params to's size can't exceed limit 10")
    bad_level = admin.send_to_chatrooms([room.id], "txt", {"msg": "x"}, level="urgent")
    assert bad_level.status_code == 400 and bad_level.json()["error"] == "message_send_error"


@pytest.mark.app_config(chatroom_broadcast_enabled=True)  # also keeps other tests' rooms out of reach
@pytest.mark.rule("room-broadcast-present-rooms")
def test_broadcast_reaches_every_room_marked_as_broadcast(alice, login, admin, make_room):
    """One broadcast call puts a message flagged `is_broadcast` into every room someone is present in."""
    bob, carol = login("bob"), login("carol")
    lobby, stage = make_room(alice), make_room(alice)
    bob.must_join_room(lobby.id)
    carol.must_join_room(stage.id)
    answer = admin.must_broadcast_to_chatrooms({"type": "txt", "msg": "doors close at ten"}, sender=alice.name,
                                              level="high")
    assert answer["id"]
    for member, room in ((bob, lobby), (carol, stage)):
        got = member.wait_for(match.in_room(room.id) & match.text("doors close at ten"))
        assert match.broadcast()(got) and match.priority("high")(got) and got.sender == alice.name


def test_broadcast_service_is_off_by_default(admin, alice, login, make_room):
    """As on the real service, broadcasting is off until enabled: 403 `forbidden_op`
    `message broadcast service is unopened`, nothing sent."""
    bob = login("bob")
    room = make_room(alice)
    bob.must_join_room(room.id)
    refused = admin.broadcast_to_chatrooms({"type": "txt", "msg": "hello?"})
    body = refused.json()
    assert (refused.status_code, body["error"], body["error_description"]) == (
        403, "forbidden_op", Reason.ROOM_BROADCAST_OFF)
    assert_nothing_more(bob, match.in_room(room.id))


@pytest.mark.app_config(chatroom_msg_budget={"window_ms": 600_000, "low": 0, "normal": 1, "high": 2},
                        chatroom_broadcast_enabled=True)
@pytest.mark.rule("room-priority-budget", "room-broadcast-present-rooms")
def test_rest_sends_share_the_room_budget_but_broadcasts_do_not(alice, login, admin, make_room):
    """A REST low message is dropped under a budget that admits normal and high; a broadcast always goes through."""
    bob = login("bob")
    room = make_room(alice)
    bob.must_join_room(room.id)
    low = admin.must_send_to_chatrooms([room.id], "txt", {"msg": "low"}, level="low")[room.id]
    high = admin.must_send_to_chatrooms([room.id], "txt", {"msg": "high"}, level="high")[room.id]
    bob.wait_for(match.message_id(int(high)))
    admin.must_broadcast_to_chatrooms({"type": "txt", "msg": "broadcast"}, level="low")
    bob.wait_for(match.text("broadcast") & match.broadcast())
    assert_nothing_more(bob, match.message_id(int(low)))
