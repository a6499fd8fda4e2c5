"""Group messages (docs/protocol/msync.md §4.2, §4.4): fan-out, offline delivery, who may send, directed and
online-only routes."""
import pytest

from fixtures.groups import assert_not_delivered
from im_client import ErrorCode, Reason, match

pytestmark = [pytest.mark.group, pytest.mark.owner("jiahao")]


@pytest.mark.rule("group-messages-reach-sender-devices")
def test_group_text_reaches_every_member_on_every_device(make_user, make_group, transport):
    """Every device of every member gets the message; the sender's other device gets a copy."""
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    group = make_group(alice, members=[bob, carol])
    phone, laptop = alice.login(transport, resource="py_phone"), alice.login(transport, resource="py_laptop")
    bob_devices = [bob.login(transport, resource="py_phone"), bob.login(transport, resource="py_laptop")]
    carol_device = carol.login(transport)
    sent = phone.must_send_group_text(group.id, "hello group", ext={"k": 1})
    for device in [laptop, *bob_devices, carol_device]:
        got = device.wait_for(match.of(sent))
        assert (got.kind, got.text, got.sender, got.to) == ("groupchat", "hello group", alice.name, group.id)
        assert got.queue == f"{group.id}@conference.easemob.com"
        assert got.ext_values == {"k": 1}
    assert_not_delivered(phone, match.of(sent), group.id)


def test_member_offline_at_send_time_gets_messages_on_login(alice, make_user, make_group, transport):
    """Messages wait in the group queue of a member who is offline, and arrive in order at login."""
    bob = make_user("bob")
    group = make_group(alice, members=[bob])
    sent = [alice.must_send_group_text(group.id, f"while you were away {n}") for n in range(3)]
    device = bob.login(transport)
    got = device.wait_for_all(match.to_conversation(group.id) & match.message("groupchat"), 3)
    assert [m.id for m in got] == [s.server_id for s in sent]


def test_member_who_logged_out_gets_messages_on_next_login(alice, make_user, make_group, transport):
    bob = make_user("bob")
    group = make_group(alice, members=[bob])
    bob.login(transport, resource="py_phone").close()
    sent = alice.must_send_group_text(group.id, "after your logout")
    bob.login(transport, resource="py_phone").wait_for(match.of(sent))


@pytest.mark.rule("group-send-check-order")
def test_non_member_is_refused(alice, login, make_group):
    mallory = login("mallory")
    group = make_group(alice)
    ack = mallory.send_group_text(group.id, "let me in")
    assert (ack.code, ack.reason) == (ErrorCode.FAIL, Reason.NOT_IN_GROUP)


@pytest.mark.rule("group-send-check-order")
def test_unknown_group_is_refused(alice):
    ack = alice.send_group_text("1234567890", "anyone?")
    assert (ack.code, ack.reason) == (ErrorCode.FAIL, Reason.GROUP_NOT_FOUND)


def test_removed_member_receives_nothing_after_removal(alice, login, make_group, admin):
    bob = login("bob")
    group = make_group(alice, members=[bob.name])
    before = alice.must_send_group_text(group.id, "still with us")
    bob.wait_for(match.of(before))
    admin.must_remove_group_members(group.id, bob.name)
    after = alice.must_send_group_text(group.id, "you are gone")
    assert_not_delivered(bob, match.of(after), group.id)
    ack = bob.send_group_text(group.id, "can I still talk?")
    assert (ack.code, ack.reason) == (ErrorCode.FAIL, Reason.NOT_IN_GROUP)


def test_directed_message_reaches_only_the_directed_members(alice, login, make_group):
    """ROUTE_DIRECT + directedUsers: only the named members get it."""
    bob, carol = login("bob"), login("carol")
    group = make_group(alice, members=[bob.name, carol.name])
    sent = alice.must_send_group_text(group.id, "just for bob", directed_users=[bob.name])
    got = bob.wait_for(match.of(sent))
    assert got.meta.routetype == got.meta.ROUTE_DIRECT
    assert_not_delivered(carol, match.of(sent), group.id)


def test_online_only_message_is_not_stored_for_offline_members(alice, login, make_user, make_group, transport):
    """ROUTE_ONLINE reaches the connected members and is never kept for the others."""
    bob, carol = login("bob"), make_user("carol")
    group = make_group(alice, members=[bob.name, carol])
    sent = alice.must_send_group_text(group.id, "live only", online_only=True)
    bob.wait_for(match.of(sent))
    later = carol.login(transport)
    assert_not_delivered(later, match.of(sent), group.id)


@pytest.mark.rule("group-rest-send-reaches-sender")
def test_rest_send_reaches_every_member(login, make_user, make_group, admin, transport):
    """POST /messages/chatgroups: online members get it at once, offline ones at login."""
    alice, bob, carol = login("alice"), login("bob"), make_user("carol")
    group = make_group(alice, members=[bob.name, carol])
    ids = admin.must_send_text_to_groups(group.id, "from the server", sender=alice.name)
    msg_id = int(ids[group.id])
    for device in (alice, bob, carol.login(transport)):
        got = device.wait_for(match.message_id(msg_id))
        assert (got.kind, got.text, got.sender, got.to) == ("groupchat", "from the server", alice.name, group.id)
    resp = admin.send_text_to_groups("987654321", "nobody home", sender=alice.name)
    assert (resp.status_code, resp.json()["error_description"]) == (404, "grpID 987654321 does not exist!")
