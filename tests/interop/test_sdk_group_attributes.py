"""Group member attributes between the Web SDK and im_client: setGroupMemberAttributes /
getGroupMemberAttributes / getGroupMembersAttributes and the memberAttributesUpdate event."""
import json

import pytest

from im_client import match
from im_e2e.interop.sdk_driver import sdk_event

pytestmark = [pytest.mark.interop, pytest.mark.group, pytest.mark.owner("jiahao"),
              pytest.mark.rule("group-member-attributes-writers")]


def test_sdk_member_sets_its_attributes_and_im_client_members_hear(make_user, sdk_login, make_group, rest_as,
                                                                    transport):
    """The SDK's write is MUC GROUP_MEMBER_METADATA_UPDATE at the im_client member and readable over REST."""
    alice, bob = make_user("alice"), make_user("bob")
    group = make_group(bob, members=[alice])
    tab = sdk_login(alice)
    owner = bob.login(transport)
    tab.call("setGroupMemberAttributes", {"groupId": group.id, "userId": alice.name,
                                          "memberAttributes": {"nickname": "ally", "role": "scribe"}})
    notice = owner.wait_for(match.muc("GROUP_MEMBER_METADATA_UPDATE", group.id))
    assert json.loads(notice.payload.eventInfo.ext) == {"username": alice.name,
                                                        "properties": {"nickname": "ally", "role": "scribe"}}
    assert rest_as(bob).must_member_attributes(group.id, [alice.name]) == {
        alice.name: {"nickname": "ally", "role": "scribe"}}
    mine = tab.call("getGroupMemberAttributes", {"groupId": group.id, "userId": alice.name})
    assert mine["data"] == {"nickname": "ally", "role": "scribe"}


def test_im_client_owner_sets_a_members_attributes_and_the_sdk_hears(make_user, sdk_login, make_group, rest_as,
                                                                      transport):
    """An owner's write of the SDK user's attributes is its onGroupEvent memberAttributesUpdate; a plain
    SDK member may not write someone else's (the SDK rejects)."""
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    group = make_group(bob, members=[alice, carol])
    tab = sdk_login(alice)
    owner = bob.login(transport)
    rest_as(owner).must_set_member_attributes(group.id, alice.name, {"badge": "gold"})
    event = tab.wait_for(sdk_event("onGroupEvent", operation="memberAttributesUpdate", id=group.id))
    assert (event["from"], event["userId"], event["attributes"]) == (bob.name, alice.name, {"badge": "gold"})
    both = tab.call("getGroupMembersAttributes", {"groupId": group.id, "userIds": [alice.name, carol.name],
                                                  "keys": ["badge"]})
    assert both["data"] == {alice.name: {"badge": "gold"}, carol.name: {}}
    refused = tab.try_call("setGroupMemberAttributes", {"groupId": group.id, "userId": carol.name,
                                                        "memberAttributes": {"badge": "tin"}})
    assert not refused.ok
    assert rest_as(bob).must_member_attributes(group.id, [carol.name]) == {carol.name: {}}
