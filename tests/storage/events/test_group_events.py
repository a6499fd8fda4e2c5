"""The event log of group operations and of a muted member's refused group message."""
import pytest

from im_client import ErrorCode

pytestmark = [pytest.mark.group, pytest.mark.owner("jiahao")]


def test_group_lifecycle_is_logged(alice, make_user, make_group, admin, storage):
    bob, carol = make_user("bob"), make_user("carol")
    group = make_group(alice, members=[bob])
    created = storage.wait_for_event(kind="group.created", group=group.id)
    assert created["owner"] == alice.name
    admin.must_add_group_member(group.id, carol.name)
    added = storage.events("group.member_added", group=group.id)
    assert sorted(e["user"] for e in added) == sorted([bob.name, carol.name])
    admin.must_destroy_group(group.id)
    storage.wait_for_event(kind="group.destroyed", group=group.id)


def test_muted_member_is_refused_and_nothing_is_delivered(alice, login, make_group, admin, storage):
    bob = login("bob")
    group = make_group(alice, members=[bob])
    admin.must_mute_group_members(group.id, bob.name, 60_000)
    storage.wait_for_event(kind="group.muted", group=group.id, user=bob.name)
    ack = bob.send_group_text(group.id, "let me speak")
    assert ack.code == ErrorCode.USER_MUTED
    alice.ping()
    refused = storage.wait_for_event(kind="group.message_refused", group=group.id, sender=bob.name)
    assert refused["reason"] == ack.reason
    assert not storage.events("message.upstream", sender=bob.name)
    assert not storage.events(("message.downstream", "message.offline"), queue=f"{group.id}@conference.easemob.com")
