"""History (roaming) as the Web SDK fetches it: both directions of a conversation, newest first."""
import pytest

from im_client import match
from im_e2e.interop.sdk_driver import sdk_message

pytestmark = [pytest.mark.interop, pytest.mark.chat, pytest.mark.owner("caixiangyue")]


def test_sdk_history_holds_what_both_sides_sent(sdk_login, login):
    """`conn.getHistoryMessages` decodes the REST roaming page (base64 Meta protobufs) into messages."""
    alice, bob = sdk_login("alice"), login("bob")
    first = bob.must_send_text(alice.name, "one")
    alice.wait_for(sdk_message(first))
    second = alice.must_send_text(bob.name, "two", ext={"k": 1})
    bob.wait_for(match.of(second))
    page = alice.call("getHistoryMessages", {"targetId": bob.name, "chatType": "singleChat", "pageSize": 20})
    assert [(m["id"], m["from"], m["msg"]) for m in page["messages"]] == [
        (str(second.server_id), alice.name, "two"), (str(first.server_id), bob.name, "one")]
    assert page["messages"][0]["ext"] == {"k": 1}
    assert page["isLast"] is True


@pytest.mark.rule("history-carries-reactions")
def test_sdk_history_shows_reactions_with_is_added_by_self(sdk_login, login, admin):
    """A message's reactions come with it in getHistoryMessages: reaction, count, isAddedBySelf."""
    alice, bob = sdk_login("alice"), login("bob")
    sent = bob.must_send_text(alice.name, "react to this")
    alice.wait_for(sdk_message(sent))
    admin.must_add_reaction(bob.name, sent.server_id, "👍")
    admin.must_add_reaction(alice.name, sent.server_id, "🎉")
    page = alice.call("getHistoryMessages", {"targetId": bob.name, "chatType": "singleChat", "pageSize": 20})
    (message,) = [m for m in page["messages"] if m["id"] == str(sent.server_id)]
    assert [(r["reaction"], r["count"], r["isAddedBySelf"]) for r in message["reactions"]] == [
        ("👍", 1, False), ("🎉", 1, True)]
