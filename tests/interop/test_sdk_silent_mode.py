"""Do-not-disturb and push language through the Web SDK: setSilentModeForAll, getSilentModeForAll,
setSilentModeForConversation, getSilentModeForConversations, clearRemindTypeForConversation,
setPushPerformLanguage / getPushPerformLanguage, and the onMultiDeviceEvent of changes made elsewhere."""
import pytest

from im_client import match
from im_client.waiting import wait_until
from im_e2e.interop.sdk_driver import sdk_event

pytestmark = [pytest.mark.interop, pytest.mark.push, pytest.mark.owner("xinbo")]


@pytest.mark.rule("silent-mode-fields")
def test_sdk_user_wide_setting_is_stored_and_told_to_the_im_client_device(sdk_login, login, admin):
    """setSilentModeForAll(remindType NONE): the server keeps it, alice's im_client device hears it."""
    alice = sdk_login("alice")
    desk = login(alice.user)
    alice.call("setSilentModeForAll", {"options": {"paramType": 0, "remindType": "NONE"}})
    assert admin.must_silent_mode(alice.name) == {"type": "NONE"}
    desk.wait_for(match.silent_mode_notice(lambda v: v["data"].get("type") == "NONE"))
    alice.call("setSilentModeForAll", {"options": {"paramType": 2, "startTime": {"hours": 22, "minutes": 30},
                                                    "endTime": {"hours": 7, "minutes": 15}}})
    assert alice.call("getSilentModeForAll")["data"] == {"type": "NONE", "ignoreInterval": "22:30-7:15"}


@pytest.mark.rule("silent-mode-fields")
def test_sdk_conversation_settings_are_read_back_and_cleared(sdk_login, login, admin):
    """A duration for bob's conversation and a remind type for a group; clearRemindTypeForConversation
    takes the group's away."""
    alice, bob = sdk_login("alice"), login("bob")
    alice.call("setSilentModeForConversation", {"conversationId": bob.name, "type": "singleChat",
                                                "options": {"paramType": 1, "duration": 600_000}})
    alice.call("setSilentModeForConversation", {"conversationId": "777", "type": "groupChat",
                                                "options": {"paramType": 0, "remindType": "AT"}})
    got = alice.call("getSilentModeForConversations", {"conversationList": [
        {"id": bob.name, "type": "singleChat"}, {"id": "777", "type": "groupChat"}]})["data"]
    assert got["user"][bob.name]["ignoreDuration"] > 0 and got["group"] == {"777": {"type": "AT"}}
    alice.call("clearRemindTypeForConversation", {"conversationId": "777", "type": "groupChat"})
    assert admin.must_silent_mode(alice.name, group="777") == {}


@pytest.mark.rule("silent-mode-fields")
def test_im_client_changes_fire_the_sdks_multi_device_events(sdk_login, login, admin):
    """A user-wide change and a conversation change from alice's im_client device reach her SDK."""
    alice, bob = sdk_login("alice"), login("bob")
    desk = login(alice.user)
    as_alice = admin.with_token(alice.user.token())
    as_alice.must_set_silent_mode(alice.name, ignoreInterval="1:00-2:00", resource=desk.resource)
    event = alice.wait_for(sdk_event("onMultiDeviceEvent", operation="setSilentModeForUser"))
    assert (event["resource"], event["data"]["ignoreInterval"]) == (desk.resource, "1:00-2:00")
    as_alice.must_set_silent_mode(alice.name, bob.name, type="NONE", resource=desk.resource)
    alice.wait_for(sdk_event("onMultiDeviceEvent", operation="setSilentModeForConversation",
                             conversationId=bob.name, type="singleChat"))
    as_alice.must_set_silent_mode(alice.name, bob.name, type="DEFAULT", resource=desk.resource)
    alice.wait_for(sdk_event("onMultiDeviceEvent", operation="removeSilentModeForConversation",
                             conversationId=bob.name))


def test_sdk_push_language(sdk_login, admin):
    alice = sdk_login("alice")
    alice.call("setPushPerformLanguage", {"language": "fr"})
    assert alice.call("getPushPerformLanguage")["data"] == {"language": "fr"}
    assert admin.must_push_language(alice.name) == {"language": "fr"}


@pytest.mark.rule("push-offline-record")
def test_sdk_silence_holds_back_the_offline_push_of_an_im_client_message(sdk_login, login, admin, storage):
    """alice silences bob from the SDK and goes offline: bob's message is recorded as not pushed."""
    alice, bob = sdk_login("alice"), login("bob")
    alice.call("setSilentModeForConversation", {"conversationId": bob.name, "type": "singleChat",
                                                "options": {"paramType": 0, "remindType": "NONE"}})
    alice.close()
    wait_until(lambda: admin.must_user_status(alice.name) == "offline", "the SDK connection to close")
    sent = bob.must_send_text(alice.name, "you will not be woken")
    record = storage.wait_for_event(kind="push.offline", id=sent.server_id)
    assert (record["user"], record["pushed"], record["why"]) == (alice.name, False, "conversation_type")
