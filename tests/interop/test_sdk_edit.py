"""Message edit between the Web SDK and im_client: `modifyMessage` and `onModifiedMessage`."""
import pytest

from im_client import match
from im_e2e.interop.sdk_driver import sdk_event, sdk_message

pytestmark = [pytest.mark.interop, pytest.mark.chat, pytest.mark.owner("caixiangyue")]


@pytest.mark.rule("edit-rules")
def test_sdk_modify_message_reaches_im_client_and_resolves_with_modified_info(sdk_login, login):
    """modifyMessage resolves with modifiedInfo (operator, count 1); the im_client peer gets the EDIT."""
    alice, bob = sdk_login("alice"), login("bob")
    sent = alice.must_send_text(bob.name, "helo")
    bob.wait_for(match.of(sent))
    done = alice.must_modify_text(sent.server_id, bob.name, "hello")
    info = done["message"]["modifiedInfo"]
    assert (info["operatorId"], info["operationCount"]) == (alice.name, 1)
    assert done["message"]["id"] == str(sent.server_id)
    bob.wait_for(match.edit_of(sent, "hello"))


@pytest.mark.rule("edit-rules")
def test_im_client_edit_is_the_sdks_on_modified_message(sdk_login, login):
    """An im_client edit fires onModifiedMessage on the SDK with the message id, the new text and modifiedInfo."""
    alice, bob = sdk_login("alice"), login("bob")
    sent = bob.must_send_text(alice.name, "see you at 10")
    alice.wait_for(sdk_message(sent))
    bob.must_edit_text(sent, "see you at 11")
    got = alice.wait_for(sdk_event("onModifiedMessage", id=str(sent.server_id)))
    assert (got["msg"], got["from"], got["chatType"]) == ("see you at 11", bob.name, "singleChat")
    assert (got["modifiedInfo"]["operatorId"], got["modifiedInfo"]["operationCount"]) == (bob.name, 1)
