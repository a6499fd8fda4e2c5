"""Defaults for unknown priority values (docs/protocol/msync.md §4.2, docs/protocol/rest.md §3.1), as a table: over msync a
room message whose chatroom_msg_tag is missing or unknown is a normal one (another integer in Meta.ext is no
tag, even a 0 that would mean high); over REST an unknown
chatroom_msg_level is refused. The room's budget (one normal, two high per window) tells the
priority apart: after one normal message, a normal probe is dropped and a high marker after it
still arrives; a probe taken for high would be delivered and use up the marker's place."""
import pytest

from im_client import match
from im_client import messages as m
from im_client.chatroom import CHATROOM

pytestmark = [pytest.mark.chatroom, pytest.mark.owner("yifan")]

ONE_NORMAL_TWO_HIGH = {"window_ms": 600_000, "low": 0, "normal": 1, "high": 2}
TAG = "chatroom_msg_tag"
# the probe's Meta.ext: each must be taken for normal
TAGS = {"none": None, "normal": {TAG: 1}, "unknown-3": {TAG: 3}, "unknown-99": {TAG: 99}, "negative": {TAG: -1},
        "other-int-0-no-tag": {"score": 0}, "other-int-0-before-tag-1": {"score": 0, TAG: 1}}


@pytest.mark.app_config(chatroom_msg_budget=ONE_NORMAL_TWO_HIGH)
@pytest.mark.parametrize("tag", list(TAGS))
@pytest.mark.rule("room-priority-budget")
def test_missing_or_unknown_tag_is_normal(alice, login, make_room, tag):
    bob = login("bob")
    room = make_room(alice)
    alice.must_join_room(room.id)
    bob.must_join_room(room.id)
    bob.wait_for(match.of(alice.must_send_room_text(room.id, "first", priority="normal")))
    meta = m.chat_meta(alice.appkey, alice.name, room.id, m.Body.CHATROOM, m.text_content(f"tag {tag}"), CHATROOM,
                       meta_ext=TAGS[tag])
    probe = alice.must_send_meta(meta)
    marker = alice.must_send_room_text(room.id, "marker", priority="high")
    bob.wait_for(match.of(marker))  # the high budget still had room: the probe was not taken for high
    assert not bob.received(match.message_id(probe.server_id))  # a second normal one is over the budget

@pytest.mark.parametrize("level", ["urgent", "HIGHEST", ""])
def test_unknown_rest_level_is_refused(alice, make_room, admin, level):
    room = make_room(alice)
    resp = admin.send_to_chatrooms(room.id, "txt", {"msg": "which level?"}, level=level)
    body = resp.json()
    assert (resp.status_code, body.get("error"), body.get("error_description")) == (
        400, "message_send_error", "param chatroom_msg_level must be high, normal or low")
