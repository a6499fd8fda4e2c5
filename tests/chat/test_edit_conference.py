"""Editing group and room messages (docs/protocol/msync.md §4.2 EDIT): every other member hears of it, the
history of the group holds the edited body, and only members (and only the sender) may edit."""
import pytest

from fixtures.chatrooms import assert_nothing_more
from im_client import ErrorCode, Reason, match
from im_client.edit import edit_info
from im_client.rest_storage import conversation_queue

pytestmark = [pytest.mark.chat, pytest.mark.owner("caixiangyue")]


@pytest.mark.rule("edit-rules")
def test_group_edit_reaches_every_member_and_the_history(alice, login, make_group, admin):
    """bob and carol get the EDIT in the group queue; the group's history shows the new text."""
    bob, carol = login("bob"), login("carol")
    group = make_group(alice, members=[bob.name, carol.name])
    sent = alice.must_send_group_text(group.id, "meeting at 10")
    info = edit_info(alice.must_edit_text(sent, "meeting at 11"))
    assert (info["chat_type"], info["count"]) == ("chat:group", 1)
    for member in (bob, carol):
        notice = member.wait_for(match.edit_of(sent, "meeting at 11"))
        assert notice.queue == f"{group.id}@conference.easemob.com"
    (stored,) = [m for m in admin.must_history(bob.name, conversation_queue(group=group.id)) if m.id == sent.server_id]
    assert stored.text == "meeting at 11"


@pytest.mark.rule("edit-rules")
def test_group_member_cannot_edit_another_members_message(alice, login, make_group):
    bob = login("bob")
    group = make_group(alice, members=[bob.name])
    sent = alice.must_send_group_text(group.id, "alice's words")
    ack = bob.edit_text(sent, "bob's words")
    assert (ack.code, ack.reason) == (ErrorCode.FAIL, Reason.NO_PERMISSION)


@pytest.mark.rule("edit-rules", "chatroom-direct-push")
def test_room_edit_is_pushed_to_the_present_members(alice, login, make_room):
    """A room edit is pushed to the members present (chat:room), not back to the editing device."""
    bob = login("bob")
    room = make_room(alice)
    alice.must_join_room(room.id)
    bob.must_join_room(room.id)
    sent = alice.must_send_room_text(room.id, "welcom")
    info = edit_info(alice.must_edit_text(sent, "welcome"))
    assert info["chat_type"] == "chat:room"
    bob.wait_for(match.edit_of(sent, "welcome"))
    assert_nothing_more(alice, match.edit_of(sent))


def test_non_member_cannot_edit_a_room_message(alice, login, make_room):
    mallory = login("mallory")
    room = make_room(alice)
    alice.must_join_room(room.id)
    sent = alice.must_send_room_text(room.id, "hi")
    ack = mallory.edit_text(sent, "hijacked")
    assert (ack.code, ack.reason) == (ErrorCode.FAIL, Reason.NOT_IN_GROUP)
