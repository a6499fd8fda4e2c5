"""One user on two SDK connections, or on an SDK connection and an im_client device, sees on one what it
did on the other: the SDK's onMultiDeviceEvent (member attributes, threads, roaming deletes), group
notices and receipts (docs/protocol/msync.md §4.6, §5.2)."""
import pytest

from im_client import match
from im_e2e.interop.sdk_driver import sdk_event

pytestmark = [pytest.mark.interop, pytest.mark.group, pytest.mark.owner("jiahao")]


def multi_device(operation: str, **fields) -> match.Match:
    return sdk_event("onMultiDeviceEvent", operation=operation, **fields)


@pytest.mark.rule("group-member-attributes-writers", "rest-resource-skips-caller-device")
def test_own_attribute_change_is_a_multi_device_event_on_the_other_tab(make_user, sdk_login, make_group):
    """setGroupMemberAttributes on one tab is onMultiDeviceEvent memberAttributesUpdate on the other, not an
    onGroupEvent there, and nothing on the writing tab."""
    alice, bob = make_user("alice"), make_user("bob")
    group = make_group(bob, members=[alice])
    first, second = sdk_login(alice), sdk_login(alice)
    first.call("setGroupMemberAttributes", {"groupId": group.id, "userId": alice.name,
                                            "memberAttributes": {"status": "away"}})
    event = second.wait_for(multi_device("memberAttributesUpdate", id=group.id))
    assert (event["userId"], event["attributes"]) == (alice.name, {"status": "away"})
    assert not second.received(sdk_event("onGroupEvent", operation="memberAttributesUpdate"))
    assert not first.received(multi_device("memberAttributesUpdate"))


@pytest.mark.thread
@pytest.mark.rule("thread-multi-device-muc")
def test_thread_operations_of_the_im_client_device_reach_the_sdk_tab(make_user, sdk_login, make_group, rest_as,
                                                                     transport):
    """The same user's im_client device creates, renames and destroys a thread: the SDK tab fires
    onMultiDeviceEvent chatThreadCreate, chatThreadNameUpdate, chatThreadDestroy."""
    alice, bob = make_user("alice"), make_user("bob")
    group = make_group(alice, members=[bob])
    tab = sdk_login(alice)
    device = alice.login(transport)
    parent = device.must_send_group_text(group.id, "start here")
    as_device = rest_as(device)
    thread_id = as_device.must_create_thread(group.id, parent.server_id, "plans")["thread_id"]
    created = tab.wait_for(multi_device("chatThreadCreate", chatThreadId=thread_id))
    assert (created["chatThreadName"], created["parentId"]) == ("plans", group.id)
    as_device.must_rename_thread(thread_id, "new plans")
    assert tab.wait_for(multi_device("chatThreadNameUpdate", chatThreadId=thread_id))["chatThreadName"] == "new plans"
    as_device.must_destroy_thread(thread_id)
    tab.wait_for(multi_device("chatThreadDestroy", chatThreadId=thread_id))
    assert not tab.received(sdk_event("onChatThreadChange", id=thread_id))


@pytest.mark.thread
@pytest.mark.rule("thread-multi-device-muc")
def test_thread_join_and_leave_on_the_sdk_reach_the_users_im_client_device(make_user, sdk_login, make_group,
                                                                            rest_as, transport):
    """joinChatThread / leaveChatThread on the SDK are MUC THREAD_JOIN / THREAD_LEAVE at the user's im_client
    device, and onMultiDeviceEvent chatThreadJoin / chatThreadLeave at its other tab."""
    alice, bob = make_user("alice"), make_user("bob")
    group = make_group(bob, members=[alice])
    tab, other_tab = sdk_login(alice), sdk_login(alice)
    device = alice.login(transport)
    parent = bob.login(transport).must_send_group_text(group.id, "start here")
    thread_id = rest_as(bob).must_create_thread(group.id, parent.server_id, "plans")["thread_id"]
    tab.call("joinChatThread", {"chatThreadId": thread_id})
    joined = device.wait_for(match.muc("THREAD_JOIN", thread_id))
    assert (joined.payload.isThread, joined.payload.mucParentId.name) == (True, group.id)
    other_tab.wait_for(multi_device("chatThreadJoin", chatThreadId=thread_id))
    tab.call("leaveChatThread", {"chatThreadId": thread_id})
    device.wait_for(match.muc("THREAD_LEAVE", thread_id))
    other_tab.wait_for(multi_device("chatThreadLeave", chatThreadId=thread_id))


def test_deleting_history_on_one_tab_is_deleteRoaming_on_the_others(make_user, sdk_login, transport):
    """removeHistoryMessages on one tab: the other tab fires onMultiDeviceEvent deleteRoaming, the user's
    im_client device gets NOTIFY roaming_delete naming the deleting tab."""
    alice, bob = make_user("alice"), make_user("bob")
    first, second = sdk_login(alice), sdk_login(alice)
    device = alice.login(transport)
    sent = bob.login(transport).must_send_text(alice.name, "delete me everywhere")
    device.wait_for(match.of(sent))
    first.call("removeHistoryMessages", {"targetId": bob.name, "chatType": "singleChat",
                                         "messageIds": [str(sent.server_id)]})
    event = second.wait_for(multi_device("deleteRoaming", conversationId=bob.name))
    assert (event["chatType"], event["resource"]) == ("singleChat", first.resource)
    notice = device.wait_for(match.notice("NOTIFY", lambda p: p.get("type") == "roaming_delete"))
    assert notice.payload["data"] == {"resource": first.resource, "to": bob.name, "chatType": "chat"}
    assert not first.received(multi_device("deleteRoaming"))


def test_group_operations_of_one_device_reach_the_users_other_devices(make_user, sdk_login, make_group, rest_as,
                                                                      transport):
    """modifyGroup on the SDK is MUC UPDATE at the user's im_client device; the device's announcement is
    onGroupEvent updateAnnouncement on the SDK tab."""
    alice, bob = make_user("alice"), make_user("bob")
    group = make_group(alice, members=[bob])
    tab = sdk_login(alice)
    device = alice.login(transport)
    tab.call("modifyGroup", {"groupId": group.id, "groupName": "renamed on the tab"})
    update = device.wait_for(match.muc("UPDATE", group.id))
    assert getattr(update.payload, "from").name == alice.name
    rest_as(device).must_set_group_announcement(group.id, "from my phone")
    heard = tab.wait_for(sdk_event("onGroupEvent", operation="updateAnnouncement", id=group.id))
    assert (heard["from"], heard["announcement"]) == (alice.name, "from my phone")


@pytest.mark.chat
def test_receipts_of_one_device_reach_the_users_other_device(make_user, sdk_login, transport):
    """A read receipt the user's im_client device sends is onReadMessage on its SDK tab too; one the tab sends
    is a READ_ACK copy at the im_client device."""
    alice, bob = make_user("alice"), make_user("bob")
    tab = sdk_login(alice)
    device = alice.login(transport)
    sender = bob.login(transport)
    first = sender.must_send_text(alice.name, "read on the phone")
    device.must_send_read_ack(device.wait_for(match.of(first)))
    seen = tab.wait_for(sdk_event("onReadMessage", mid=str(first.server_id)))
    assert (seen["from"], seen["to"]) == (alice.name, bob.name)

    second = sender.must_send_text(alice.name, "read on the tab")
    tab.wait_for(sdk_event("onTextMessage", id=str(second.server_id)))
    tab.must_send_read_ack(bob.name, second.server_id)
    copy = device.wait_for(match.ack_of("read_ack", second))
    assert (copy.sender, copy.to) == (alice.name, bob.name)
    sender.wait_for(match.ack_of("read_ack", second))
