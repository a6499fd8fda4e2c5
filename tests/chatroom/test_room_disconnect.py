"""Disconnecting is leaving after a grace period (app setting `chatroom_leave_grace`, seconds; 120 by default,
like the real service's "offline for two minutes")."""
import pytest

from fixtures.chatrooms import assert_nothing_more
from im_client import match

pytestmark = [pytest.mark.chatroom, pytest.mark.owner("yifan")]


@pytest.mark.app_config(chatroom_leave_grace=1)
@pytest.mark.rule("chatroom-leave-grace")
def test_disconnected_member_leaves_after_the_grace_period(alice, make_user, admin, make_room, transport):
    """A member whose device drops is counted present during the grace period, then leaves: ABSENCE to the
    others, out of the member list."""
    bob = make_user("bob")
    room = make_room(alice)
    alice.must_join_room(room.id)
    phone = bob.login(transport)
    phone.must_join_room(room.id)
    phone.disconnect()
    absence = alice.wait_for(match.room_absence(room.id, bob.name, count=1), timeout=15)
    assert absence.payload.mucMemberCount == 1
    assert {"member": bob.name} not in admin.must_chatroom_members(room.id)


@pytest.mark.rule("chatroom-leave-grace")
def test_reconnecting_within_the_grace_period_keeps_the_presence(alice, make_user, admin, make_room, transport):
    """Back and joined again within the grace period: no ABSENCE, no second PRESENCE, still a member."""
    bob = make_user("bob")
    room = make_room(alice)
    alice.must_join_room(room.id)
    bob.login(transport, resource="py_phone").must_join_room(room.id)
    alice.wait_for(match.room_presence(room.id, bob.name, count=2))
    bob.clients[0].disconnect()
    again = bob.login(transport, resource="py_phone")
    assert again.must_join_room(room.id).member_count == 2
    sent = alice.must_send_room_text(room.id, "still with us?")
    again.wait_for(match.of(sent))
    assert_nothing_more(alice, match.room_absence(room.id, bob.name))
    assert len(alice.received(match.room_presence(room.id, bob.name))) == 1
    assert {"member": bob.name} in admin.must_chatroom_members(room.id)


@pytest.mark.app_config(chatroom_leave_grace=1)
@pytest.mark.rule("chatroom-leave-grace")
def test_member_with_another_device_present_does_not_leave(alice, make_user, make_room, transport):
    """Only the last joined device going away starts the grace period."""
    bob = make_user("bob")
    room = make_room(alice)
    alice.must_join_room(room.id)
    phone = bob.login(transport, resource="py_phone")
    laptop = bob.login(transport, resource="py_laptop")
    phone.must_join_room(room.id)
    laptop.must_join_room(room.id)
    phone.disconnect()
    # carol drops later with the same grace period: her ABSENCE comes after any ABSENCE of bob's would have
    carol = make_user("carol").login(transport)
    carol.must_join_room(room.id)
    carol.disconnect()
    alice.wait_for(match.room_absence(room.id, carol.name), timeout=15)
    sent = alice.must_send_room_text(room.id, "bob?")
    laptop.wait_for(match.of(sent))
    assert not alice.received(match.room_absence(room.id, bob.name))


@pytest.mark.app_config(chatroom_leave_grace=1)
@pytest.mark.rule("chatroom-leave-grace", "room-join-makes-member")
def test_allow_listed_member_keeps_the_membership(alice, make_user, admin, make_room, transport):
    """After the grace period an allow-listed member is no longer present (ABSENCE) but stays a member."""
    bob = make_user("bob")
    room = make_room(alice, members=[bob])
    admin.must_allow_chatroom_users(room.id, bob.name)
    alice.must_join_room(room.id)
    phone = bob.login(transport)
    phone.must_join_room(room.id)
    phone.disconnect()
    alice.wait_for(match.room_absence(room.id, bob.name, count=1), timeout=15)
    assert {"member": bob.name} in admin.must_chatroom_members(room.id)
