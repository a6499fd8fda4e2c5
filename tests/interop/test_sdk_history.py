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
