"""Thread messages between the Web SDK and im_client; a thread the SDK started over REST."""
import pytest

from im_client import match
from im_e2e.interop.sdk_driver import sdk_event, sdk_message

pytestmark = [pytest.mark.interop, pytest.mark.thread, pytest.mark.owner("jiahao")]


def _sdk_thread(tab, group, name):
    """The SDK user posts in the group and starts a thread on that message (REST, user token)."""
    parent = tab.must_send_text(group.id, "start here", chat_type="groupChat")
    created = tab.call("createChatThread", {"parentId": group.id, "name": name, "messageId": str(parent.server_id)})
    return parent, created["data"]["chatThreadId"]


def test_thread_started_by_the_sdk_carries_messages_both_ways(make_user, sdk_login, make_group, rest_as, transport):
    """A thread created by the SDK (REST) carries messages both ways, with the thread filled in downstream."""
    alice, bob = make_user("alice"), make_user("bob")
    group = make_group(alice, members=[bob])
    tab = sdk_login(alice)
    parent, thread_id = _sdk_thread(tab, group, "lunch")
    rest_as(bob).must_join_thread(thread_id, bob.name)
    device = bob.login(transport)

    sent = tab.must_send_text(thread_id, "pizza?", chat_type="groupChat", isChatThread=True)
    got = device.wait_for(match.of(sent))
    assert (got.kind, got.to, got.text) == ("groupchat", thread_id, "pizza?")
    assert got.body_meta == {"thread": {"msg_parent_id": str(parent.server_id), "muc_parent_id": group.id,
                                        "thread_name": "lunch"}}

    back = device.must_send_thread_text(thread_id, "pasta!")
    heard = tab.wait_for(sdk_message(back))
    assert (heard["chatType"], heard["to"], heard["msg"]) == ("groupChat", thread_id, "pasta!")
    assert heard["chatThread"] == {"messageId": str(parent.server_id), "parentId": group.id,
                                   "chatThreadName": "lunch"}


def test_sdk_member_hears_of_a_thread_started_by_im_client_and_joins_it(make_user, sdk_login, make_group,
                                                                        rest_as, transport):
    """The SDK member hears of a new thread (onChatThreadChange create), joins it and gets its messages."""
    alice, bob = make_user("alice"), make_user("bob")
    group = make_group(bob, members=[alice])
    tab = sdk_login(alice)
    device = bob.login(transport)
    parent = device.must_send_group_text(group.id, "start here")
    thread_id = rest_as(bob).must_create_thread(group.id, parent.server_id, "plans")["thread_id"]
    change = tab.wait_for(sdk_event("onChatThreadChange", id=thread_id))
    assert (change["operation"], change["parentId"], change["name"]) == ("create", group.id, "plans")
    tab.call("joinChatThread", {"chatThreadId": thread_id})
    sent = device.must_send_thread_text(thread_id, "welcome")
    assert tab.wait_for(sdk_message(sent))["chatThread"]["chatThreadName"] == "plans"
