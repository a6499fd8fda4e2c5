"""Deleting a user (`DELETE /users/{u}`, docs/protocol/rest.md §2.2) ends the groups it owns, like `DELETE
/chatgroups/{id}` would, and takes it out of the others: the remaining members see it leave (ABSENCE,
as on a removal: the docs say nothing more) and the group goes on without it."""
import pytest

from im_client import match

pytestmark = [pytest.mark.group, pytest.mark.owner("jiahao")]


@pytest.mark.thread
@pytest.mark.rule("user-deletion-cascade")
def test_deleted_owner_takes_the_group_and_its_threads_along(login, make_group, admin, rest_as, storage):
    alice, bob = login("alice"), login("bob")
    group = make_group(alice, members=[bob.name])
    parent = alice.must_send_group_text(group.id, "start a thread here")
    thread_id = rest_as(bob).must_create_thread(group.id, parent.server_id, "side talk")["thread_id"]
    alice.wait_for(match.thread_notify("create", thread_id))
    alice.close()
    admin.must_delete_user(alice.name)
    destroyed = bob.wait_for(match.muc("DESTROY", group.id))
    assert getattr(destroyed.payload, "from").name == "admin"
    gone = admin.get_group(group.id)
    assert (gone.status_code, gone.json()["error_description"]) == (404, f"grpID {group.id} does not exist!")
    assert admin.get_thread(thread_id).status_code == 404
    assert rest_as(bob).must_joined_groups(bob.name) == []
    storage.wait_for_event(kind="group.destroyed", group=group.id, by="admin", members=2)
    storage.wait_for_event(kind="thread.destroyed", thread=thread_id, group=group.id, with_group=True)
    storage.wait_for_event(kind="user.deleted", user=alice.name)
    assert storage.events("message.offline", owner=alice.name) == []  # not even DESTROY


@pytest.mark.rule("user-deletion-cascade")
def test_deleted_member_leaves_every_list_and_the_group_goes_on(login, make_group, admin, rest_as, storage):
    alice, bob, carol = login("alice"), login("bob"), login("carol")
    group = make_group(alice, members=[bob.name, carol.name])
    parent = alice.must_send_group_text(group.id, "start a thread here")
    thread_id = rest_as(alice).must_create_thread(group.id, parent.server_id, "side talk")["thread_id"]
    rest_as(carol).must_join_thread(thread_id, carol.name)
    owner = rest_as(alice.user)
    owner.must_add_group_admin(group.id, carol.name)
    owner.must_mute_group_members(group.id, carol.name, 60_000)
    owner.must_allow_group_members(group.id, carol.name)

    admin.must_delete_user(carol.name)
    absence = bob.wait_for(match.muc("ABSENCE", group.id, user=carol.name))
    assert (getattr(absence.payload, "from").name, list(absence.payload.members), absence.payload.mucMemberCount) == (
        carol.name, [], 2)
    assert admin.must_group_members(group.id) == [{"owner": alice.name}, {"member": bob.name}]
    assert owner.must_group_admins(group.id) == []
    assert owner.must_group_mutes(group.id) == []
    assert owner.must_group_allow_list(group.id) == []
    assert owner.must_thread_members(thread_id) == {"affiliations": [alice.name]}
    storage.wait_for_event(kind="group.member_removed", group=group.id, user=carol.name, how="USER_DELETED")

    sent = alice.must_send_group_text(group.id, "carol has gone")
    bob.wait_for(match.of(sent) & match.text("carol has gone"))
