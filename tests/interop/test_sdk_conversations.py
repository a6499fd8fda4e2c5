"""The server-side conversation list and pinned messages through the Web SDK: getServerConversations,
getServerPinnedConversations, pinConversation, addConversationMark / removeConversationMark,
getServerConversationsByFilter, deleteConversation, pinMessage / unpinMessage / getServerPinnedMessages,
and the onMultiDeviceEvent / onMessagePinEvent the SDK fires for changes made elsewhere."""
import pytest

from im_client import match
from im_e2e.interop.sdk_driver import sdk_event, sdk_message

pytestmark = [pytest.mark.interop, pytest.mark.conversation, pytest.mark.owner("caixiangyue")]


def one_to_one(peer: str) -> dict:
    return {"conversationId": peer, "conversationType": "singleChat"}


def conversations(sdk, **options) -> list[dict]:
    return sdk.call("getServerConversations", {"pageSize": 20, **options})["data"]["conversations"]


@pytest.mark.rule("conversation-from-traffic")
def test_sdk_lists_what_im_client_sent_and_its_channel_ack_clears_the_count(sdk_login, login, admin):
    """Two messages from an im_client user: the SDK's list shows the newest and two unread; the SDK's
    conversation receipt makes it none."""
    alice, bob = sdk_login("alice"), login("bob")
    bob.must_send_text(alice.name, "one")
    two = bob.must_send_text(alice.name, "two")
    alice.wait_for(sdk_message(two))
    (conv,) = conversations(alice)
    assert (conv["conversationId"], conv["conversationType"], conv["unReadCount"]) == (bob.name, "singleChat", 2)
    assert (conv["lastMessage"]["msg"], conv["lastMessage"]["id"], conv["isPinned"]) == ("two", str(two.server_id),
                                                                                         False)
    alice.must_send({"type": "channel", "chatType": "singleChat", "to": bob.name})
    bob.wait_for(match.message("channel_ack"))
    assert conversations(alice)[0]["unReadCount"] == 0


@pytest.mark.rule("conversation-from-traffic", "group-channel-ack")
def test_sdk_lists_a_group_with_its_last_message_and_its_group_channel_ack_clears_the_count(make_user, sdk_login,
                                                                                           make_group, transport):
    """Two group messages from an im_client member: the SDK member's list shows the group with the newest
    and two unread; the SDK's conversation receipt to the group makes it none."""
    alice, bob = make_user("alice"), make_user("bob")
    group = make_group(bob, members=[alice])
    tab = sdk_login(alice)
    sender = bob.login(transport)
    sender.must_send_group_text(group.id, "one")
    two = sender.must_send_group_text(group.id, "two")
    tab.wait_for(sdk_message(two))
    (conv,) = conversations(tab)
    assert (conv["conversationId"], conv["conversationType"], conv["unReadCount"]) == (group.id, "groupChat", 2)
    last = conv["lastMessage"]
    assert (last["msg"], last["id"], last["chatType"], last["from"]) == ("two", str(two.server_id), "groupChat",
                                                                         bob.name)
    tab.must_send({"type": "channel", "chatType": "groupChat", "to": group.id})
    assert conversations(tab)[0]["unReadCount"] == 0


@pytest.mark.rule("conversation-actions", "conversation-multi-device-notice")
def test_sdk_pins_and_marks_and_the_im_client_device_hears_it(sdk_login, login, admin):
    """pinConversation and addConversationMark from the SDK: the lists show them, alice's im_client
    device gets NOTIFY conv top and mark."""
    alice, bob = sdk_login("alice"), login("bob")
    desk = login(alice.user)
    bob.must_send_text(alice.name, "hi")
    pinned = alice.call("pinConversation", {**one_to_one(bob.name), "isPinned": True})["data"]
    assert pinned["isPinned"] is True and pinned["pinnedTime"] > 0
    desk.wait_for(match.conversation_notice("top", bob.name))
    (top,) = alice.call("getServerPinnedConversations", {"pageSize": 10})["data"]["conversations"]
    assert (top["conversationId"], top["isPinned"]) == (bob.name, True)
    alice.call("addConversationMark", {"conversations": [one_to_one(bob.name)], "mark": 3})
    desk.wait_for(match.conversation_notice("mark", bob.name, ext="mark_3"))
    (marked,) = alice.call("getServerConversationsByFilter", {"pageSize": 10, "filter": {"mark": 3}})["data"][
        "conversations"]
    assert (marked["conversationId"], marked["marks"]) == (bob.name, [3])
    alice.call("removeConversationMark", {"conversations": [one_to_one(bob.name)], "mark": 3})
    assert admin.must_conversation(alice.name, bob.name)["marks"] == []


@pytest.mark.rule("conversation-multi-device-notice")
def test_im_client_changes_fire_the_sdks_multi_device_events(sdk_login, login, admin):
    """Pin, mark and delete made from alice's im_client device fire her SDK's onMultiDeviceEvent."""
    alice, bob = sdk_login("alice"), login("bob")
    desk = login(alice.user)
    desk.must_send_text(bob.name, "hi")
    as_alice = admin.with_token(alice.user.token())
    as_alice.must_pin_conversation(alice.name, bob.name, resource=desk.resource)
    alice.wait_for(sdk_event("onMultiDeviceEvent", operation="pinnedConversation", conversationId=bob.name,
                             conversationType="singleChat"))
    as_alice.must_mark_conversations(alice.name, "mark_5", [bob.name], resource=desk.resource)
    alice.wait_for(sdk_event("onMultiDeviceEvent", operation="markConversation", conversationMark=5))
    as_alice.must_remove_conversation(alice.name, bob.name, resource=desk.resource)
    alice.wait_for(sdk_event("onMultiDeviceEvent", operation="deleteConversation", conversationId=bob.name))


@pytest.mark.rule("conversation-actions")
def test_sdk_deletes_one_to_one_and_group_conversations(sdk_login, login, admin, storage):
    """deleteConversation with deleteRoam: gone from the list and from the history; a groupChat one too."""
    alice, bob = sdk_login("alice"), login("bob")
    sent = bob.must_send_text(alice.name, "to be deleted")
    alice.wait_for(sdk_message(sent))
    alice.call("deleteConversation", {"channel": bob.name, "chatType": "singleChat", "deleteRoam": True})
    assert conversations(alice) == []
    assert storage.history(alice.user, bob) == []
    alice.call("pinConversation", {"conversationId": "4242", "conversationType": "groupChat", "isPinned": True})
    alice.call("deleteConversation", {"channel": "4242", "chatType": "groupChat", "deleteRoam": False})
    assert admin.must_all_conversations(alice.name) == []


@pytest.mark.rule("pinned-messages-shared")
def test_sdk_pins_a_message_and_the_im_client_peer_is_told(sdk_login, login, admin):
    """pinMessage: bob's im_client device gets NOTIFY conv pin; both sides list it; unpinMessage empties it."""
    alice, bob = sdk_login("alice"), login("bob")
    sent = bob.must_send_text(alice.name, "pin this")
    alice.wait_for(sdk_message(sent))
    alice.call("pinMessage", {**one_to_one(bob.name), "messageId": str(sent.server_id)})
    bob.wait_for(match.conversation_notice("pin", bob.name, ext=str(sent.server_id)))
    (pin,) = alice.call("getServerPinnedMessages", {**one_to_one(bob.name), "pageSize": 10})["data"]["list"]
    assert (pin["operatorId"], pin["message"]["id"], pin["message"]["msg"]) == (alice.name, str(sent.server_id),
                                                                               "pin this")
    assert admin.must_pinned_messages(bob.name, alice.name)["msg_infos"][0]["pin_operator"] == alice.name
    alice.call("unpinMessage", {**one_to_one(bob.name), "messageId": str(sent.server_id)})
    bob.wait_for(match.conversation_notice("pin_delete", bob.name))


@pytest.mark.rule("pinned-messages-shared")
def test_im_client_pin_fires_the_sdks_on_message_pin_event(sdk_login, login, admin):
    """bob pins over REST: alice's SDK fires onMessagePinEvent naming bob's conversation and bob as operator."""
    alice, bob = sdk_login("alice"), login("bob")
    sent = alice.must_send_text(bob.name, "pin mine")
    bob.wait_for(match.of(sent))
    admin.with_token(bob.user.token()).must_pin_message(bob.name, alice.name, sent.server_id, resource=bob.resource)
    event = alice.wait_for(sdk_event("onMessagePinEvent", operation="pin", messageId=str(sent.server_id)))
    assert (event["conversationId"], event["conversationType"], event["operatorId"]) == (bob.name, "singleChat",
                                                                                        bob.name)


@pytest.mark.rule("conversation-from-traffic")
def test_sdk_older_conversation_list_calls(sdk_login, login):
    """getConversationlist({pageNum, pageSize}) and getSessionList read the same list, last message parsed."""
    alice, bob, carol = sdk_login("alice"), login("bob"), login("carol")
    bob.must_send_text(alice.name, "from bob")
    last = carol.must_send_text(alice.name, "from carol")
    alice.wait_for(sdk_message(last))
    (first,) = alice.call("getConversationlist", {"pageNum": 1, "pageSize": 1})["data"]["channel_infos"]
    assert (first["session_to"], first["unread_num"], first["lastMessage"]["msg"]) == (carol.name, 1, "from carol")
    every = alice.call("getSessionList")["data"]["channel_infos"]
    assert [c["session_to"] for c in every] == [carol.name, bob.name]
