"""Group lifecycle over REST (docs/protocol/rest.md §5.1): create, get, update, destroy, joined lists, announcement;
each change reaches the members as a MUC notification (docs/protocol/msync.md §5.2)."""
import json

import pytest

from im_client import ErrorCode, Reason, match

pytestmark = [pytest.mark.group, pytest.mark.owner("jiahao")]


def test_create_keeps_every_setting(admin, make_user, make_group):
    owner, bob = make_user("owner"), make_user("bob")
    group = make_group(owner, members=[bob], public=True, approval=True, max_users=50,
                       groupname="hikers", description="weekend walks", allowinvites=True)
    info = admin.must_get_group(group.id)[0]
    assert (info["id"], info["owner"], info["name"], info["description"]) == (
        group.id, owner.name, "hikers", "weekend walks")
    assert (info["public"], info["membersonly"], info["allowinvites"], info["maxusers"]) == (True, True, True, 50)
    assert info["affiliations_count"] == 2
    assert info["affiliations"] == [{"owner": owner.name}, {"member": bob.name}]
    assert info["mute"] is False and group.id.isdigit()


@pytest.mark.rule("rest-resource-skips-caller-device", "group-notifications-system-queue")
def test_owner_creates_a_group_with_a_user_token(make_user, rest_as, transport):
    """The creating device is left out; the owner's other device gets CREATE, members DIRECT_JOINED."""
    alice, bob = make_user("alice"), make_user("bob")
    phone, laptop = alice.login(transport, resource="py_phone"), alice.login(transport, resource="py_laptop")
    bob_device = bob.login(transport)
    group_id = rest_as(phone).must_create_group(alice.name, public=False, members=[bob.name],
                                                groupname="family")["groupid"]
    created = laptop.wait_for(match.muc("CREATE", group_id))
    assert getattr(created.payload, "from").name == alice.name
    joined = bob_device.wait_for(match.muc("DIRECT_JOINED", group_id, user=bob.name))
    assert joined.payload.mucName == "family"
    phone.ping()
    assert not phone.received(match.muc("CREATE", group_id))


def test_create_refuses_bad_requests(admin, make_user):
    owner = make_user("owner")
    resp = admin.create_group(owner.name, groupname="no public field", public=None)
    assert resp.status_code == 400
    assert resp.json()["error_description"] == "group must contain public field!"
    resp = admin.create_group("nobody-at-all", public=True)
    assert (resp.status_code, resp.json()["error"]) == (404, "resource_not_found")
    assert resp.json()["error_description"] == "username nobody-at-all doesn't exist!"
    members = [u.name for u in make_user.many(3)]
    resp = admin.create_group(owner.name, public=True, members=members, maxusers=3)
    assert (resp.status_code, resp.json()["error_description"]) == (403, "members size is greater than max user size !")


def test_a_user_cannot_create_a_group_for_someone_else(make_user, rest_as):
    alice, bob = make_user("alice"), make_user("bob")
    assert rest_as(alice).create_group(bob.name, public=True).status_code == 403


def test_unknown_group_is_not_found(admin):
    resp = admin.get_group("99999999")
    assert (resp.status_code, resp.json()["error"]) == (404, "resource_not_found")
    assert resp.json()["error_description"] == "grpID 99999999 does not exist!"


def test_update_changes_settings_and_tells_every_member(alice, login, make_group, rest_as, admin):
    bob = login("bob")
    group = make_group(alice, members=[bob.name])
    assert rest_as(alice).must_update_group(group.id, groupname="renamed", maxusers=300) == {
        "groupname": True, "maxusers": True}
    update = bob.wait_for(match.muc("UPDATE", group.id))
    assert json.loads(update.payload.eventInfo.ext)["groupname"] == "renamed"
    info = admin.must_get_group(group.id)[0]
    assert (info["name"], info["maxusers"]) == ("renamed", 300)


def test_update_refuses_unknown_fields_and_plain_members(alice, login, make_group, rest_as):
    bob = login("bob")
    group = make_group(alice, members=[bob.name])
    resp = rest_as(alice).update_group(group.id, groupid="42")
    assert (resp.status_code, resp.json()["error_description"]) == (400, "some of [groupid] are not valid fields")
    assert rest_as(bob).update_group(group.id, groupname="mine now").status_code == 403


def test_destroy_tells_the_members_and_ends_the_group(alice, login, make_group, rest_as, admin):
    bob = login("bob")
    group = make_group(alice, members=[bob.name])
    assert rest_as(bob).destroy_group(group.id).status_code == 403
    assert rest_as(alice).must_destroy_group(group.id) == {"success": True, "groupid": group.id}
    bob.wait_for(match.muc("DESTROY", group.id))
    assert admin.get_group(group.id).status_code == 404
    ack = bob.send_group_text(group.id, "hello?")
    assert (ack.code, ack.reason) == (ErrorCode.FAIL, Reason.GROUP_NOT_FOUND)


def test_joined_groups_lists_every_group_of_the_user(make_user, make_group, rest_as, admin):
    alice, bob = make_user("alice"), make_user("bob")
    first = make_group(alice, members=[bob], groupname="first")
    second = make_group(bob, groupname="second")
    make_group(alice, groupname="not bob's")
    joined = rest_as(bob).must_joined_groups(bob.name)
    assert sorted((g["groupid"], g["groupname"]) for g in joined) == sorted(
        [(first.id, "first"), (second.id, "second")])
    assert rest_as(alice).joined_groups(bob.name).status_code == 401
    assert admin.must_is_group_member(first.id, bob.name) is True


def test_announcement_is_kept_and_announced(alice, login, make_group, rest_as):
    bob = login("bob")
    group = make_group(alice, members=[bob.name])
    rest_as(alice).must_set_group_announcement(group.id, "meeting at 5")
    assert bob.wait_for(match.muc("UPDATE_ANNOUNCEMENT", group.id)).payload.reason == "meeting at 5"
    assert rest_as(bob).must_group_announcement(group.id) == {"announcement": "meeting at 5"}
    rest_as(alice).must_set_group_announcement(group.id, "")
    bob.wait_for(match.muc("DELETE_ANNOUNCEMENT", group.id))


def test_announcement_refusals(alice, login, make_group, rest_as):
    bob = login("bob")
    group = make_group(alice, members=[bob.name])
    resp = rest_as(alice).set_group_announcement(group.id, None)
    assert (resp.status_code, resp.json()["error_description"]) == (400, "announcement is null")
    resp = rest_as(alice).set_group_announcement(group.id, "x" * 513)
    assert (resp.status_code, resp.json()["error_description"]) == (403, "announce info length exceeds limit!")
    assert rest_as(bob).set_group_announcement(group.id, "I say so").status_code == 403
