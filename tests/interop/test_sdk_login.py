"""Logging in with the official Web SDK: by password and by token, and tokens shared with im_client."""
import pytest

from im_client import ErrorCode, match
from im_e2e.interop.sdk_driver import sdk_message

pytestmark = [pytest.mark.interop, pytest.mark.login, pytest.mark.owner("xinbo")]

# SDK error types (docs/protocol/msync.md §3.3, §6.2)
OPEN_ERROR = 1
INVALID_TOKEN = 28


def test_sdk_password_login_chats_with_an_im_client_user(sdk_login, login):
    """After `open({user, pwd})` (REST /token, then PROVISION) the SDK user chats both ways."""
    alice = sdk_login("alice", password=True)
    bob = login("bob")
    assert alice.access_token  # what POST /token answered
    sent = bob.must_send_text(alice.name, "hello from im_client")
    alice.wait_for(sdk_message(sent))
    back = alice.must_send_text(bob.name, "hello from the SDK")
    bob.wait_for(match.of(back))


def test_sdk_token_login_keeps_the_resource_it_chose(make_user, websdk, login, admin):
    """`open({user, accessToken})` logs in with the REST token; the server echoes the SDK's resource."""
    user = make_user("alice")
    alice = websdk.connection(user.name, device="tab1")
    alice.open(token=user.token())
    assert alice.resource == "webim_node_tab1"
    assert [d["res"] for d in admin.must_user_resources(user.name)] == ["webim_node_tab1"]
    bob = login("bob")
    sent = bob.must_send_text(user.name, "to the tab")
    alice.wait_for(sdk_message(sent))


def test_token_from_the_sdk_password_login_opens_an_im_client_device(sdk_login, make_user, transport):
    """The token the SDK got from its password login is a token like any other for im_client."""
    user = make_user("alice")
    tab = sdk_login(user, password=True)
    phone = user.login(transport, token=tab.access_token)
    assert phone.ping().status.errorCode == ErrorCode.OK


def test_sdk_login_with_a_wrong_password_is_refused(make_user, websdk):
    """POST /token answers 400 invalid_grant; the SDK's open() rejects with WEBIM_CONNCTION_OPEN_ERROR."""
    user = make_user("alice")
    alice = websdk.connection(user.name)
    refused = alice.try_open(password="not-the-password")
    assert not refused.ok
    assert refused.error.type == OPEN_ERROR
    assert "invalid password" in str(refused.error.message)


def test_sdk_login_with_an_invalid_token_is_refused(make_user, websdk):
    """PROVISION refused with FAIL `Sorry, token or password does not match login info` is SDK 28."""
    user = make_user("alice")
    alice = websdk.connection(user.name)
    refused = alice.try_open(token="YWMt-not-a-real-token")
    assert (refused.ok, refused.error.type) == (False, INVALID_TOKEN)
