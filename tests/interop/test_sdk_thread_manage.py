"""Managing threads from the Web SDK with im_client group members: lists, detail, members, rename,
leave, kick, destroy, last messages, and the update notices of new thread messages."""
import pytest

from im_client import match
from im_e2e.interop.sdk_driver import sdk_event

pytestmark = [pytest.mark.interop, pytest.mark.thread, pytest.mark.owner("jiahao")]


def _thread(tab, group, name):
    parent = tab.must_send_text(group.id, "start here", chat_type="groupChat")
    created = tab.call("createChatThread", {"parentId": group.id, "name": name, "messageId": str(parent.server_id)})
    return parent, created["data"]["chatThreadId"]


@pytest.mark.rule("thread-update-msg-to-group")
def test_sdk_hears_thread_messages_as_updates_and_reads_the_last_one(make_user, sdk_login, make_group, rest_as,
                                                                     transport):
    """An im_client thread message is the SDK's onChatThreadChange update with lastMessage, and
    getChatThreadLastMessage returns it parsed."""
    alice, bob = make_user("alice"), make_user("bob")
    group = make_group(alice, members=[bob])
    tab = sdk_login(alice)
    device = bob.login(transport)
    _, thread_id = _thread(tab, group, "plans")
    rest_as(bob).must_join_thread(thread_id, bob.name)
    sent = device.must_send_thread_text(thread_id, "what about friday")
    update = tab.wait_for(sdk_event("onChatThreadChange", operation="update", id=thread_id,
                                    pred=lambda d: bool(d.get("lastMessage"))))
    assert (update["messageCount"], update["lastMessage"]["id"], update["lastMessage"]["msg"]) == (
        1, str(sent.server_id), "what about friday")
    last = tab.call("getChatThreadLastMessage", {"chatThreadIds": [thread_id]})["entities"]
    assert [(e["chatThreadId"], e["lastMessage"]["id"], e["lastMessage"]["msg"], e["lastMessage"]["from"])
            for e in last] == [(thread_id, str(sent.server_id), "what about friday", bob.name)]


def test_sdk_lists_describes_and_renames_a_thread(make_user, sdk_login, make_group, rest_as, transport):
    """getChatThreads, getJoinedChatThreads, getChatThreadDetail, getChatThreadMembers, changeChatThreadName;
    the rename reaches the im_client member as NOTIFY thread update."""
    alice, bob = make_user("alice"), make_user("bob")
    group = make_group(alice, members=[bob])
    tab = sdk_login(alice)
    device = bob.login(transport)
    parent, thread_id = _thread(tab, group, "plans")
    rest_as(bob).must_join_thread(thread_id, bob.name)
    listed = tab.call("getChatThreads", {"parentId": group.id, "pageSize": 20})["entities"]
    assert [(t["id"], t["name"], t["parentId"], t["messageId"]) for t in listed] == [
        (thread_id, "plans", group.id, str(parent.server_id))]
    assert [t["id"] for t in tab.call("getJoinedChatThreads", {"pageSize": 20})["entities"]] == [thread_id]
    detail = tab.call("getChatThreadDetail", {"chatThreadId": thread_id})["data"]
    assert (detail["name"], detail["owner"], detail["parentId"], detail["affiliationsCount"]) == (
        "plans", alice.name, group.id, 2)
    members = tab.call("getChatThreadMembers", {"chatThreadId": thread_id, "pageSize": 20})["data"]["affiliations"]
    assert sorted(members) == sorted([alice.name, bob.name])

    tab.call("changeChatThreadName", {"chatThreadId": thread_id, "name": "new plans"})
    notice = device.wait_for(match.thread_notify("update", thread_id))
    assert notice.payload["data"]["name"] == "new plans"


def test_sdk_kicks_leaves_and_destroys_threads(make_user, sdk_login, make_group, rest_as, transport):
    """removeChatThreadMember (THREAD_KICK at the im_client member), leaveChatThread, destroyChatThread
    (NOTIFY thread delete)."""
    alice, bob = make_user("alice"), make_user("bob")
    group = make_group(alice, members=[bob])
    tab = sdk_login(alice)
    device = bob.login(transport)
    _, thread_id = _thread(tab, group, "plans")
    rest_as(bob).must_join_thread(thread_id, bob.name)
    tab.call("removeChatThreadMember", {"chatThreadId": thread_id, "username": bob.name})
    device.wait_for(match.muc("THREAD_KICK", thread_id, user=bob.name))
    assert rest_as(bob).must_thread_members(thread_id)["affiliations"] == [alice.name]

    _, second = _thread(tab, group, "second")
    rest_as(bob).must_join_thread(second, bob.name)
    tab.call("leaveChatThread", {"chatThreadId": second})
    assert rest_as(bob).must_thread_members(second)["affiliations"] == [bob.name]
    tab.call("destroyChatThread", {"chatThreadId": second})
    device.wait_for(match.thread_notify("delete", second))
    assert rest_as(bob).get_thread(second).status_code == 404
