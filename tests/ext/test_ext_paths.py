"""Ext values on every REST send path, big integers included (docs/protocol/rest.md §3.1, docs/protocol/msync.md §1.4): each
value of the table arrives with the type and the exact value it had in the JSON, whether the
message went to a user, a group or a chatroom."""
import pytest

from im_client import Typed, match
from im_client.ext import BOOL, DOUBLE, INT, JSON_STRING, STRING

pytestmark = [pytest.mark.ext, pytest.mark.owner("caixiangyue")]

# JSON value -> what the receiver must get (the Web SDK's typing of JS values)
VALUES = {
    "int64-max": (2 ** 63 - 1, Typed(INT, 2 ** 63 - 1)),
    "int64-min": (-(2 ** 63), Typed(INT, -(2 ** 63))),
    "past-int32": (2 ** 31, Typed(INT, 2 ** 31)),
    "below-int32": (-(2 ** 31) - 1, Typed(INT, -(2 ** 31) - 1)),
    "past-double-precision": (2 ** 53 + 1, Typed(INT, 2 ** 53 + 1)),
    "small": (7, Typed(INT, 7)),
    "double": (0.5, Typed(DOUBLE, 0.5)),
    "bool": (False, Typed(BOOL, False)),
    "string-of-digits": ("9223372036854775808", Typed(STRING, "9223372036854775808")),
    "object-with-big-int": ({"id": 2 ** 62}, Typed(JSON_STRING, {"id": 2 ** 62})),
}
EXT = {name: value for name, (value, _) in VALUES.items()}
EXPECTED = {name: typed for name, (_, typed) in VALUES.items()}


def test_rest_send_to_a_user_keeps_every_ext_value(bob, admin):
    ids = admin.must_send_text_to_users([bob.name], "ext table", ext=EXT)
    assert bob.wait_for(match.message_id(int(ids[bob.name]))).ext == EXPECTED


def test_rest_send_to_a_group_keeps_every_ext_value(alice, bob, make_group, admin):
    group = make_group(alice, members=[bob])
    ids = admin.must_send_text_to_groups(group.id, "ext table", ext=EXT)
    assert bob.wait_for(match.message_id(int(ids[group.id]))).ext == EXPECTED


def test_rest_send_to_a_room_keeps_every_ext_value(alice, bob, make_room, admin):
    room = make_room(alice)
    bob.must_join_room(room.id)
    ids = admin.must_send_to_chatrooms(room.id, "txt", {"msg": "ext table"}, ext=EXT)
    assert bob.wait_for(match.message_id(int(ids[room.id]))).ext == EXPECTED
