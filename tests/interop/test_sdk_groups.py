"""Group messages between the Web SDK and im_client; a group the SDK made itself over REST."""
import pytest

from fixtures.groups import assert_not_delivered
from im_client import match
from im_wire import pb
from im_e2e.interop.sdk_driver import sdk_event, sdk_message

pytestmark = [pytest.mark.interop, pytest.mark.group, pytest.mark.owner("jiahao")]

GROUP_NOT_JOINED = 602  # SDK type for FAIL `not in group or chatroom` (docs/protocol/msync.md §6.1)


def test_sdk_group_text_reaches_im_client_members(make_user, sdk_login, make_group, transport):
    """A groupChat text from the SDK reaches every im_client member with its ext, from the group queue."""
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    group = make_group(alice, members=[bob, carol])
    tab = sdk_login(alice)
    devices = [bob.login(transport), carol.login(transport)]
    sent = tab.must_send_text(group.id, "hello group", ext={"k": 1}, chat_type="groupChat")
    for device in devices:
        got = device.wait_for(match.of(sent))
        assert (got.kind, got.text, got.sender, got.to) == ("groupchat", "hello group", alice.name, group.id)
        assert got.queue == f"{group.id}@conference.easemob.com"
        assert got.ext_values == {"k": 1}


def test_im_client_group_text_reaches_the_sdk_member(make_user, sdk_login, make_group, transport):
    """An im_client group text is the SDK member's onTextMessage with chatType groupChat."""
    alice, bob = make_user("alice"), make_user("bob")
    group = make_group(bob, members=[alice])
    tab = sdk_login(alice)
    sent = bob.login(transport).must_send_group_text(group.id, "hello sdk member")
    got = tab.wait_for(sdk_message(sent))
    assert (got["chatType"], got["from"], got["to"], got["msg"]) == ("groupChat", bob.name, group.id,
                                                                     "hello sdk member")


def test_group_messages_wait_for_an_sdk_member_who_was_away(make_user, sdk_login, make_group, transport):
    """Group messages sent while the SDK member was away arrive in order at its login."""
    alice, bob = make_user("alice"), make_user("bob")
    group = make_group(bob, members=[alice])
    sender = bob.login(transport)
    sent = [sender.must_send_group_text(group.id, f"while you were away {n}") for n in range(3)]
    tab = sdk_login(alice)
    got = tab.wait_for_all(sdk_event("onTextMessage", to=group.id), 3)
    assert [int(m["id"]) for m in got] == [s.server_id for s in sent]


def test_group_created_by_the_sdk_over_rest_carries_messages(sdk_login, login, make_group):
    """`conn.createGroup` (REST with the user token and ?resource=) makes a group im_client members use."""
    alice, bob = sdk_login("alice"), login("bob")
    created = alice.call("createGroup", {"data": {
        "groupname": "made by the SDK", "desc": "interop", "members": [bob.name], "public": False,
        "approval": False, "allowinvites": False, "inviteNeedConfirm": False, "maxusers": 200}})
    group_id = created["data"]["groupid"]
    make_group.made.append(group_id)  # destroyed after the test like the fixture's own groups
    sent = bob.must_send_group_text(group_id, "hello creator")
    assert alice.wait_for(sdk_message(sent))["to"] == group_id
    back = alice.must_send_text(group_id, "hello member", chat_type="groupChat")
    bob.wait_for(match.of(back))


def test_sdk_user_outside_the_group_is_refused_with_602(sdk_login, login, make_group):
    """A groupChat send from a non-member rejects with GROUP_NOT_JOINED (602)."""
    alice, bob = sdk_login("alice"), login("bob")
    group = make_group(bob)
    refused = alice.send_text(group.id, "let me in", chat_type="groupChat")
    assert (refused.ok, refused.error.type) == (False, GROUP_NOT_JOINED)


def test_im_client_member_read_ack_gives_the_sdk_sender_the_read_count(make_user, sdk_login, make_group,
                                                                       transport):
    """With msgConfig.allowGroupAck, a member's READ_ACK is the SDK's onReadMessage with groupReadCount."""
    alice, bob = make_user("alice"), make_user("bob")
    group = make_group(alice, members=[bob])
    tab = sdk_login(alice)
    member = bob.login(transport)
    sent = tab.must_send_text(group.id, "please read", chat_type="groupChat", msgConfig={"allowGroupAck": True})
    member.must_send_group_read_ack(member.wait_for(match.of(sent)))
    read = tab.wait_for(sdk_event("onReadMessage", mid=str(sent.server_id)))
    assert (read["from"], read["to"], read["groupReadCount"]) == (bob.name, group.id, 1)


@pytest.mark.recall
def test_sdk_recall_of_a_group_message_reaches_the_members(make_user, sdk_login, make_group, transport):
    """recallMessage with chatType groupChat takes the message back from the im_client members."""
    alice, bob = make_user("alice"), make_user("bob")
    group = make_group(alice, members=[bob])
    tab = sdk_login(alice)
    member = bob.login(transport)
    sent = tab.must_send_text(group.id, "oops", chat_type="groupChat")
    member.wait_for(match.of(sent))
    tab.call("recallMessage", {"mid": str(sent.server_id), "to": group.id, "chatType": "groupChat"})
    member.wait_for(match.recall_of(sent))


def test_sdk_directed_group_message_reaches_only_the_named_member(make_user, sdk_login, make_group, transport):
    """A groupChat text with `receiverList` reaches the listed member; nothing waits for the other one."""
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    group = make_group(alice, members=[bob, carol])
    tab = sdk_login(alice)
    bob_device, carol_device = bob.login(transport), carol.login(transport)
    sent = tab.must_send_text(group.id, "just for bob", chat_type="groupChat", receiverList=[bob.name])
    assert bob_device.wait_for(match.of(sent)).meta.routetype == pb.Meta.ROUTE_DIRECT
    assert_not_delivered(carol_device, match.of(sent), group.id)


@pytest.mark.rule("group-presence-one-or-many")
def test_one_joiner_is_memberPresence_and_a_batch_is_membersPresence(make_user, sdk_login, make_group, admin):
    """The SDK owner hears one added member as onGroupEvent memberPresence from them, two at once as membersPresence."""
    alice, bob, carol, dave = make_user("alice"), make_user("bob"), make_user("carol"), make_user("dave")
    group = make_group(alice)
    tab = sdk_login(alice)
    admin.must_add_group_member(group.id, bob.name)
    one = tab.wait_for(sdk_event("onGroupEvent", operation="memberPresence", **{"from": bob.name}))
    assert (one["id"], one["memberCount"]) == (group.id, 2)
    admin.must_add_group_members(group.id, [carol.name, dave.name])
    many = tab.wait_for(sdk_event("onGroupEvent", operation="membersPresence"))
    assert (sorted(many["members"]), many["memberCount"]) == (sorted([carol.name, dave.name]), 4)
    assert not tab.received(sdk_event("onGroupEvent", operation="membersPresence", members=[bob.name]))
