"""Managing a group from the Web SDK (REST with the user token) with im_client members, and back."""
import pytest

from im_client import ErrorCode, Reason, match
from im_e2e.interop.sdk_driver import sdk_event, sdk_message

pytestmark = [pytest.mark.interop, pytest.mark.group, pytest.mark.owner("jiahao")]


def test_sdk_owner_invites_kicks_and_names_admins(make_user, sdk_login, make_group, rest_as, transport):
    """inviteUsersToGroup, listGroupMembers, setGroupAdmin, getGroupAdmin, removeGroupAdmin, removeGroupMember:
    each reaches the im_client members as its MUC notice."""
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    group = make_group(alice, members=[bob])
    tab = sdk_login(alice)
    bob_device, carol_device = bob.login(transport), carol.login(transport)

    tab.call("inviteUsersToGroup", {"groupId": group.id, "users": [carol.name]})
    carol_device.wait_for(match.muc("INVITE", group.id))
    rest_as(carol).must_answer_group_invite(group.id, True)
    accepted = tab.wait_for(sdk_event("onGroupEvent", operation="memberPresence", **{"from": carol.name}))
    assert accepted["id"] == group.id
    members = tab.call("listGroupMembers", {"groupId": group.id, "pageNum": 1, "pageSize": 20})["data"]
    assert sorted(next(iter(m.values())) for m in members) == sorted([alice.name, bob.name, carol.name])

    tab.call("setGroupAdmin", {"groupId": group.id, "username": bob.name})
    bob_device.wait_for(match.muc("ADD_ADMIN", group.id, user=bob.name))
    assert tab.call("getGroupAdmin", {"groupId": group.id})["data"] == [bob.name]
    tab.call("removeGroupAdmin", {"groupId": group.id, "username": bob.name})
    bob_device.wait_for(match.muc("REMOVE_ADMIN", group.id, user=bob.name))
    assert tab.call("getGroupAdmin", {"groupId": group.id})["data"] == []

    tab.call("removeGroupMember", {"groupId": group.id, "username": carol.name})
    carol_device.wait_for(match.muc("KICK", group.id, user=carol.name))
    refused = carol_device.send_group_text(group.id, "still here?")
    assert (refused.code, refused.reason) == (ErrorCode.FAIL, Reason.NOT_IN_GROUP)


def test_sdk_owner_edits_the_group_and_hands_it_over(make_user, sdk_login, make_group, rest_as, transport):
    """getGroupInfo, modifyGroup, updateGroupAnnouncement, fetchGroupAnnouncement, changeGroupOwner; the new
    im_client owner's change reaches the SDK as onGroupEvent."""
    alice, bob = make_user("alice"), make_user("bob")
    group = make_group(alice, members=[bob], groupname="before")
    tab = sdk_login(alice)
    bob_device = bob.login(transport)
    info = tab.call("getGroupInfo", {"groupId": group.id})["data"][0]
    assert (info["id"], info["name"], info["owner"], info["affiliations_count"]) == (group.id, "before", alice.name, 2)

    tab.call("modifyGroup", {"groupId": group.id, "groupName": "after", "description": "renamed by the SDK"})
    bob_device.wait_for(match.muc("UPDATE", group.id))
    assert rest_as(bob).must_get_group(group.id)[0]["name"] == "after"
    tab.call("updateGroupAnnouncement", {"groupId": group.id, "announcement": "read me"})
    assert bob_device.wait_for(match.muc("UPDATE_ANNOUNCEMENT", group.id)).payload.reason == "read me"
    assert tab.call("fetchGroupAnnouncement", {"groupId": group.id})["data"]["announcement"] == "read me"

    tab.call("changeGroupOwner", {"groupId": group.id, "newOwner": bob.name})
    bob_device.wait_for(match.muc("ASSIGN_OWNER", group.id, user=bob.name))
    rest_as(bob_device).must_set_group_announcement(group.id, "bob rules now")
    heard = tab.wait_for(sdk_event("onGroupEvent", operation="updateAnnouncement", id=group.id))
    assert (heard["from"], heard["announcement"]) == (bob.name, "bob rules now")


def test_sdk_owner_mutes_allows_and_blocks_members(make_user, sdk_login, make_group, transport):
    """unmuteGroupMember, getGroupMuteList, disableSendGroupMsg / enableSendGroupMsg, the allow-list calls,
    blockGroupMember / getGroupBlocklist / unblockGroupMember: each shows in what im_client members may do."""
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    group = make_group(alice, members=[bob, carol])
    tab = sdk_login(alice)
    bob_device, carol_device = bob.login(transport), carol.login(transport)

    tab.call("muteGroupMember", {"groupId": group.id, "username": bob.name, "muteDuration": -1})
    assert [m["user"] for m in tab.call("getGroupMuteList", {"groupId": group.id})["data"]] == [bob.name]
    tab.call("unmuteGroupMember", {"groupId": group.id, "username": bob.name})
    bob_device.wait_for(match.muc("REMOVE_MUTE", group.id, user=bob.name))
    assert tab.call("getGroupMuteList", {"groupId": group.id})["data"] == []

    tab.call("disableSendGroupMsg", {"groupId": group.id})
    carol_device.wait_for(match.muc("BAN_GROUP", group.id))
    tab.call("addUsersToGroupAllowlist", {"groupId": group.id, "users": [bob.name]})
    assert tab.call("getGroupAllowlist", {"groupId": group.id})["data"] == [bob.name]
    assert tab.call("isInGroupAllowlist", {"groupId": group.id, "userName": bob.name})["data"] is True
    bob_device.must_send_group_text(group.id, "allowed to speak")
    refused = carol_device.send_group_text(group.id, "not allowed")
    assert (refused.code, refused.reason) == (ErrorCode.FAIL, Reason.NOT_IN_WHITE_LIST)
    tab.call("removeGroupAllowlistMember", {"groupId": group.id, "userName": bob.name})
    assert tab.call("isInGroupAllowlist", {"groupId": group.id, "userName": bob.name})["data"] is False
    tab.call("enableSendGroupMsg", {"groupId": group.id})
    carol_device.wait_for(match.muc("REMOVE_BAN_GROUP", group.id))
    carol_device.must_send_group_text(group.id, "free again")

    tab.call("blockGroupMember", {"groupId": group.id, "username": carol.name})
    carol_device.wait_for(match.muc("BLOCK", group.id, user=carol.name))
    assert tab.call("getGroupBlocklist", {"groupId": group.id})["data"] == [carol.name]
    tab.call("unblockGroupMember", {"groupId": group.id, "username": carol.name})
    assert tab.call("getGroupBlocklist", {"groupId": group.id})["data"] == []


def test_sdk_user_joins_lists_and_leaves_a_public_group(make_user, sdk_login, make_group, transport):
    """getPublicGroups (cursor), joinGroup, getJoinedGroups with roles, getJoinedGroupsCount, leaveGroup;
    the im_client owner sees the SDK user arrive and go."""
    alice, bob = make_user("alice"), make_user("bob")
    group = make_group(bob, public=True, groupname="open to all")
    tab = sdk_login(alice)
    owner = bob.login(transport)
    listed, cursor = [], None
    for _ in range(1000):  # other tests' public groups share the app
        page = tab.call("getPublicGroups", {"limit": 50, **({"cursor": cursor} if cursor else {})})
        listed += page["data"]
        cursor = page.get("cursor")
        if not cursor or any(g["groupid"] == group.id for g in listed):
            break
    assert {"groupid": group.id, "groupname": "open to all"} in listed

    tab.call("joinGroup", {"groupId": group.id, "message": "hello"})
    owner.wait_for(match.muc("PRESENCE", group.id, user=alice.name))
    joined = tab.call("getJoinedGroups", {"pageNum": 0, "pageSize": 20, "needAffiliations": True, "needRole": True})
    assert [(g["groupId"], g["role"], g["affiliationsCount"]) for g in joined["entities"]] == [(group.id, "member", 2)]
    assert tab.call("getJoinedGroupsCount")["data"] == 1
    plain = tab.call("getJoinedGroups", {"pageNum": 0, "pageSize": 20})["data"]
    assert plain == [{"groupid": group.id, "groupname": "open to all", "disabled": False, "role": "member"}]

    tab.call("leaveGroup", {"groupId": group.id})
    owner.wait_for(match.muc("ABSENCE", group.id, user=alice.name))
    assert tab.call("getJoinedGroupsCount")["data"] == 0


def test_sdk_owner_destroys_the_group(make_user, sdk_login, make_group, transport):
    """destroyGroup reaches the im_client member as DESTROY; its sends are refused afterwards."""
    alice, bob = make_user("alice"), make_user("bob")
    group = make_group(alice, members=[bob])
    tab = sdk_login(alice)
    member = bob.login(transport)
    tab.call("destroyGroup", {"groupId": group.id})
    member.wait_for(match.muc("DESTROY", group.id))
    refused = member.send_group_text(group.id, "anyone?")
    assert (refused.code, refused.reason) == (ErrorCode.FAIL, Reason.GROUP_NOT_FOUND)


@pytest.mark.rule("group-shield-drops")
def test_sdk_member_blocks_and_unblocks_the_groups_messages(make_user, sdk_login, make_group, transport):
    """blockGroupMessage: the SDK member hears nothing of the group (its neighbour does); unblockGroupMessage
    brings the next message."""
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    group = make_group(bob, members=[alice, carol])
    tab = sdk_login(alice)
    sender, neighbour = bob.login(transport), carol.login(transport)
    tab.call("blockGroupMessage", {"groupId": group.id})
    quiet = sender.must_send_group_text(group.id, "alice does not hear this")
    neighbour.wait_for(match.of(quiet))
    tab.call("unblockGroupMessage", {"groupId": group.id})
    loud = sender.must_send_group_text(group.id, "alice hears this")
    tab.wait_for(sdk_message(loud))
    assert not tab.received(sdk_message(quiet))  # same queue, so it would have come first
