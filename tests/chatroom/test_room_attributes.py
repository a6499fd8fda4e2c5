"""Chatroom attributes (docs/protocol/rest.md §6.3): per-key owners, forced overwrites, partial failures, notifications."""
import json

import pytest

from fixtures.chatrooms import assert_nothing_more
from im_client import Reason, match

pytestmark = [pytest.mark.chatroom, pytest.mark.owner("yifan")]


def _event(notice) -> dict:
    return json.loads(notice.payload.eventInfo.ext)


@pytest.mark.rule("room-attribute-ownership")
def test_set_get_delete_with_notifications(alice, login, admin, make_room, rest_as):
    """Others present get SET_METADATA / DELETE_METADATA with the keys and values; the setter does not."""
    bob = login("bob")
    room = make_room(alice)
    alice.must_join_room(room.id)
    bob.must_join_room(room.id)
    answer = rest_as(bob).must_set_chatroom_attributes(room.id, bob.name, {"topic": "news", "mood": "calm"})
    assert answer == {"successKeys": ["topic", "mood"], "errorKeys": {}}
    notice = alice.wait_for(match.room_attributes("SET_METADATA", room.id, ["topic", "mood"]))
    assert getattr(notice.payload, "from").name == bob.name
    assert _event(notice)["properties"] == {"topic": "news", "mood": "calm"}
    assert admin.must_get_chatroom_attributes(room.id) == {"mood": "calm", "topic": "news"}
    assert admin.must_get_chatroom_attributes(room.id, ["topic"]) == {"topic": "news"}
    deleted = rest_as(bob).must_delete_chatroom_attributes(room.id, bob.name, ["mood"])
    assert deleted == {"successKeys": ["mood"], "errorKeys": {}}
    alice.wait_for(match.room_attributes("DELETE_METADATA", room.id, ["mood"]))
    assert admin.must_get_chatroom_attributes(room.id) == {"topic": "news"}
    assert_nothing_more(bob, match.room_event("SET_METADATA", room.id))


@pytest.mark.rule("room-attribute-ownership")
def test_keys_of_another_member_fail_per_key_unless_forced(alice, login, admin, make_room):
    """Without `forced` a key someone else set fails alone (`properties key 'k' is not part of you`), the rest is
    written and the answer is 200; `forced` overwrites it and makes the writer its owner."""
    bob = login("bob")
    room = make_room(alice, members=[bob])
    alice.must_join_room(room.id)
    admin.must_set_chatroom_attributes(room.id, alice.name, {"topic": "alice's"})
    partial = admin.must_set_chatroom_attributes(room.id, bob.name, {"topic": "bob's", "mood": "calm"})
    assert partial == {"successKeys": ["mood"], "errorKeys": {"topic": Reason.ROOM_ATTR_NOT_YOURS.format("topic")}}
    notice = alice.wait_for(match.room_attributes("SET_METADATA", room.id, ["mood"]))
    assert _event(notice)["result"]["errorKeys"] == {"topic": Reason.ROOM_ATTR_NOT_YOURS.format("topic")}
    forced = admin.must_set_chatroom_attributes(room.id, bob.name, {"topic": "bob's"}, forced=True)
    assert forced == {"successKeys": ["topic"], "errorKeys": {}}
    assert admin.must_get_chatroom_attributes(room.id, ["topic"]) == {"topic": "bob's"}
    # the key is bob's now: alice's unforced delete fails for it, bob's succeeds
    refused = admin.must_delete_chatroom_attributes(room.id, alice.name, ["topic"])
    assert refused == {"successKeys": [], "errorKeys": {"topic": Reason.ROOM_ATTR_NOT_YOURS.format("topic")}}
    forced_delete = admin.must_delete_chatroom_attributes(room.id, alice.name, ["topic"], forced=True)
    assert forced_delete == {"successKeys": ["topic"], "errorKeys": {}}


def test_invalid_keys_and_values_fail_one_by_one(make_user, make_room, admin):
    """Too long or illegal keys and too long values are reported per key; the valid one is written."""
    alice = make_user("alice")
    room = make_room(alice)
    long_key, bad_key = "k" * 129, "white space"
    answer = admin.must_set_chatroom_attributes(room.id, alice.name,
                                                {"ok": "1", long_key: "v", bad_key: "v", "big": "x" * 4097})
    assert answer["successKeys"] == ["ok"]
    assert answer["errorKeys"] == {long_key: Reason.ROOM_ATTR_KEY_TOO_LONG.format(long_key),
                                   bad_key: Reason.ROOM_ATTR_KEY_ILLEGAL.format(bad_key),
                                   "big": Reason.ROOM_ATTR_VALUE_TOO_LONG.format("big")}
    missing = admin.must_delete_chatroom_attributes(room.id, alice.name, ["ok", "never-set"])
    assert missing == {"successKeys": ["ok"],
                       "errorKeys": {"never-set": Reason.ROOM_ATTR_MISSING.format("never-set")}}


def test_whole_request_errors(make_user, make_room, admin):
    """More than 10 keys: 400 `exceed allowed batch size 10`; a non-member: 401 `user is not in chatroom`."""
    alice, bob = make_user("alice"), make_user("bob")
    room = make_room(alice)
    batch = admin.set_chatroom_attributes(room.id, alice.name, {f"k{i}": "v" for i in range(11)})
    assert (batch.status_code, batch.json()["error_description"]) == (400, Reason.ROOM_ATTR_BATCH)
    outsider = admin.set_chatroom_attributes(room.id, bob.name, {"k": "v"})
    body = outsider.json()
    assert (outsider.status_code, body["error"], body["error_description"]) == (
        401, "MetadataException", Reason.ROOM_ATTR_NOT_IN_ROOM)


def test_auto_delete_keys_go_when_their_owner_leaves(alice, login, admin, make_room):
    """autoDelete=DELETE keys disappear (DELETE_METADATA) when their owner leaves; NO_DELETE keys stay."""
    bob = login("bob")
    room = make_room(alice)
    alice.must_join_room(room.id)
    bob.must_join_room(room.id)
    admin.must_set_chatroom_attributes(room.id, bob.name, {"seat": "12"}, auto_delete=True)
    admin.must_set_chatroom_attributes(room.id, bob.name, {"badge": "gold"}, auto_delete=False)
    bob.must_leave_room(room.id)
    alice.wait_for(match.room_attributes("DELETE_METADATA", room.id, ["seat"]))
    assert admin.must_get_chatroom_attributes(room.id) == {"badge": "gold"}


def test_a_user_sets_only_in_their_own_name(make_user, make_room, rest_as):
    """With a user token the path's user must be the caller (401 otherwise)."""
    alice, bob = make_user("alice"), make_user("bob")
    room = make_room(alice, members=[bob])
    resp = rest_as(bob).set_chatroom_attributes(room.id, alice.name, {"k": "v"})
    assert resp.status_code == 401
