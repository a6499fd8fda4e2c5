"""Recall between the Web SDK and im_client, and the SDK's recall error types."""
import pytest

from im_client import Typed, match
from im_client.ext import STRING
from im_client.match import recall_of
from im_e2e.interop.sdk_driver import sdk_event, sdk_message

pytestmark = [pytest.mark.interop, pytest.mark.recall, pytest.mark.owner("caixiangyue")]

# SDK error types (docs/protocol/msync.md §6.1)
RECALL_TIME_LIMIT = 504
SERVICE_NOT_ENABLED = 505


def test_sdk_recall_reaches_the_im_client_receiver_with_its_ext(sdk_login, login):
    """`conn.recallMessage({mid, to, chatType, ext})`: the receiver gets RECALL naming the message."""
    alice, bob = sdk_login("alice"), login("bob")
    sent = alice.must_send_text(bob.name, "oops")
    bob.wait_for(match.of(sent))
    alice.call("recallMessage", {"mid": str(sent.server_id), "to": bob.name, "chatType": "singleChat",
                                 "ext": "wrong chat"})
    notice = bob.wait_for(recall_of(sent))
    assert (notice.sender, notice.to) == (alice.name, bob.name)
    assert notice.meta_ext == {"recallMessageExtensionInfo": Typed(STRING, "wrong chat")}


def test_im_client_recall_reaches_the_sdk_as_on_recall_message(sdk_login, login):
    """An im_client recall is the SDK's onRecallMessage naming the message, with the recall ext."""
    alice, bob = sdk_login("alice"), login("bob")
    sent = bob.must_send_text(alice.name, "oops")
    alice.wait_for(sdk_message(sent))
    bob.must_recall(sent, ext="never mind")
    recall = alice.wait_for(sdk_event("onRecallMessage", mid=str(sent.server_id)))
    assert (recall["from"], recall["to"], recall["ext"]) == (bob.name, alice.name, "never mind")


def test_message_recalled_before_the_sdk_logs_in_is_never_shown(make_user, login, sdk_login):
    """Offline: the SDK gets the RECALL notice at login, and the text that stayed, but never the recalled one."""
    alice, bob = make_user("alice"), login("bob")
    kept = bob.must_send_text(alice.name, "this one stays")
    gone = bob.must_send_text(alice.name, "oops")
    bob.must_recall(gone)
    tab = sdk_login(alice)
    tab.wait_for(sdk_event("onRecallMessage", mid=str(gone.server_id)))
    tab.wait_for(sdk_event("onOfflineMessageSyncFinish"))
    assert [m["id"] for m in tab.received(sdk_event("onTextMessage"))] == [str(kept.server_id)]


@pytest.mark.app_config(recall_time_limit=0)
def test_sdk_recall_after_the_time_limit_is_504(sdk_login, login):
    """A recall past recall_time_limit rejects with MESSAGE_RECALL_TIME_LIMIT (504)."""
    alice, bob = sdk_login("alice"), login("bob")
    sent = alice.must_send_text(bob.name, "too late to take back")
    refused = alice.try_call("recallMessage", {"mid": str(sent.server_id), "to": bob.name,
                                               "chatType": "singleChat"})
    assert (refused.ok, refused.error.type) == (False, RECALL_TIME_LIMIT)


@pytest.mark.app_config(recall_enabled=False)
def test_sdk_recall_with_the_service_off_is_505(sdk_login, login):
    """A recall with the recall service off rejects with SERVICE_NOT_ENABLED (505)."""
    alice, bob = sdk_login("alice"), login("bob")
    sent = alice.must_send_text(bob.name, "cannot take back")
    refused = alice.try_call("recallMessage", {"mid": str(sent.server_id), "to": bob.name,
                                               "chatType": "singleChat"})
    assert (refused.ok, refused.error.type) == (False, SERVICE_NOT_ENABLED)


@pytest.mark.rule("chatroom-recall")
def test_room_recall_both_ways_between_the_sdk_and_im_client(sdk_login, login, make_room):
    """The SDK recalls its room message (chatType chatRoom): im_client gets the RECALL; an im_client
    room recall is the SDK's onRecallMessage."""
    alice, bob = sdk_login("alice"), login("bob")
    room = make_room(bob)
    bob.must_join_room(room.id)
    alice.call("joinChatRoom", {"roomId": room.id})
    sent = alice.must_send_text(room.id, "wrong room", chat_type="chatRoom")
    bob.wait_for(match.of(sent))
    alice.call("recallMessage", {"mid": str(sent.server_id), "to": room.id, "chatType": "chatRoom"})
    bob.wait_for(recall_of(sent))
    back = bob.must_send_room_text(room.id, "mine too")
    alice.wait_for(sdk_message(back))
    bob.must_recall(back)
    assert alice.wait_for(sdk_event("onRecallMessage", mid=str(back.server_id)))["from"] == bob.name
