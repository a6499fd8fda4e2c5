"""Session ends the Web SDK reports: kicked by another device (206), token expired (56)."""
import pytest

from im_client import ErrorCode, LoginError, Reason, match
from im_client.waiting import wait_until
from im_e2e.interop.sdk_driver import sdk_event, sdk_message

pytestmark = [pytest.mark.interop, pytest.mark.login, pytest.mark.owner("xinbo")]

# SDK error types (docs/protocol/msync.md §3.3, §3.9)
LOGGED_IN_ON_ANOTHER_DEVICE = 206
USER_REMOVED = 207
KICKED_BY_CHANGE_PASSWORD = 216
KICKED_BY_OTHER_DEVICE = 217
TOKEN_EXPIRED = 56


def test_im_client_login_with_the_sdk_resource_kicks_the_sdk(make_user, sdk_login, admin, transport):
    """The SDK tab gets the STATISTIC kick as onError 206 and disconnects; the im_client device holds the resource."""
    user = make_user("alice")
    tab = sdk_login(user, device="tab1")
    phone = user.login(transport, resource=tab.resource)
    kicked = tab.wait_for(sdk_event("onError", type=LOGGED_IN_ON_ANOTHER_DEVICE))
    assert kicked["message"] == "the user is already logged on another device"
    tab.wait_for(sdk_event("onDisconnected"))
    assert phone.ping().status.errorCode == ErrorCode.OK
    assert [d["res"] for d in admin.must_user_resources(user.name)] == [tab.resource]  # only the phone holds it


def test_sdk_login_with_the_resource_of_an_im_client_device_kicks_that_device(make_user, websdk, transport):
    """The kicked device gets USER_LOGIN_ANOTHER_DEVICE carrying the SDK's loginInfoCustomExt."""
    user = make_user("alice")
    phone = user.login(transport, resource="webim_node_shared")
    tab = websdk.connection(user.name, device="shared")
    tab.call("setLoginInfoCustomExt", "opened in a browser")
    tab.open(token=user.token())
    kick = phone.wait_for(match.kicked("USER_LOGIN_ANOTHER_DEVICE"))
    assert kick.payload.reason == "opened in a browser"
    phone.wait_closed()


def test_sdk_kicked_by_another_sdk_tab_gets_the_new_tab_login_ext(make_user, websdk):
    """A second SDK tab with the same resource kicks the first: 206 with the new tab's loginInfoCustomExt."""
    user = make_user("alice")
    first = websdk.connection(user.name, device="tab")
    first.open(token=user.token())
    second = websdk.connection(user.name, device="tab")
    second.call("setLoginInfoCustomExt", "second tab")
    second.open(token=user.token())
    kicked = first.wait_for(sdk_event("onError", type=LOGGED_IN_ON_ANOTHER_DEVICE))
    assert kicked["data"] == {"loginInfoCustomExt": "second tab"}


@pytest.mark.parametrize("how,sdk_type", [
    ("change_password", KICKED_BY_CHANGE_PASSWORD), ("disconnect", KICKED_BY_OTHER_DEVICE), ("delete", USER_REMOVED),
], ids=["password-changed", "admin-disconnect", "user-deleted"])
def test_admin_actions_kick_the_sdk_with_their_own_error_type(make_user, sdk_login, admin, how, sdk_type):
    """Password change, admin disconnect and user deletion kick the SDK with 216, 217 and 207."""
    user = make_user("alice")
    tab = sdk_login(user)
    if how == "change_password":
        admin.must_change_password(user.name, "a-new-password")
    elif how == "disconnect":
        admin.must_disconnect_user(user.name, tab.resource)
    else:
        admin.must_delete_user(user.name)
    tab.wait_for(sdk_event("onError", type=sdk_type))
    tab.wait_for(sdk_event("onDisconnected"))


def _expired_token(user, rest) -> str:
    token = user.token(ttl=1)
    wait_until(lambda: rest.request("GET", f"/sdk/users/{user.name}/token/expires", token=token).status_code == 401,
               "the one-second token to expire")
    return token


def test_expired_token_is_refused_with_56_by_the_sdk_and_token_expired_for_im_client(make_user, websdk, rest,
                                                                                    transport):
    """PROVISION FAIL `Sorry, token expired`: the SDK's open() rejects with 56, im_client with the same status."""
    user = make_user("alice")
    token = _expired_token(user, rest)
    refused = websdk.connection(user.name).try_open(token=token)
    assert (refused.ok, refused.error.type) == (False, TOKEN_EXPIRED)
    with pytest.raises(LoginError) as info:
        user.client(transport, token=token).open()
    assert (info.value.code, info.value.reason) == (ErrorCode.FAIL, Reason.TOKEN_EXPIRED)


def test_sdk_session_ends_when_its_token_expires(make_user, websdk, admin):
    """From the PROVISION reply's absolute `expires_in` the SDK warns at 80 %, then logs out at expiry."""
    user = make_user("alice")
    tab = websdk.connection(user.name)
    tab.open(token=user.token(ttl=5))
    tab.wait_for(sdk_event("onTokenWillExpire"))
    tab.wait_for(sdk_event("onTokenExpired"))
    wait_until(lambda: admin.must_user_status(user.name) == "offline", "the SDK's logout after its token expired")


def test_sdk_reconnects_after_a_lost_connection_and_gets_what_it_missed(make_user, sdk_login, login, admin):
    """The SDK re-provisions with the same resource and pulls the message sent while it was away."""
    user, bob = make_user("alice"), login("bob")
    tab = sdk_login(user, device="tab1")
    tab.drop()
    sent = bob.must_send_text(user.name, "sent while your network was down")
    got = tab.wait_for(sdk_event("onTextMessage", id=str(sent.server_id)), timeout=20)
    assert got["msg"] == "sent while your network was down"
    assert tab.events().count("onConnected") == 2
    assert [d["res"] for d in admin.must_user_resources(user.name)] == ["webim_node_tab1"]


def test_sdk_renews_its_token_through_the_expiry_endpoint(make_user, sdk_login, rest):
    """`conn.renewToken(token)` reads GET /sdk/users/{me}/token/expires: an absolute epoch-ms expiry."""
    user = make_user("alice")
    tab = sdk_login(user)
    fresh = user.token(ttl=3600)
    renewed = tab.call("renewToken", fresh)
    expected = rest.with_token(fresh).must_token_expiry(user.name)["expire_timestamp"]
    assert (renewed["status"], renewed["token"], renewed["expire"]) == (True, fresh, expected)


@pytest.mark.rule("server-metas-carry-envelope", "same-resource-login-kicks-older")
def test_second_login_with_the_same_device_id_signs_the_first_out_for_good(make_user, websdk, login):
    """Two logins of one fixed device id: the first gets 206 and stays out (no kick back and forth);
    the second receives what is sent from then on."""
    user, bob = make_user("alice"), login("bob")
    first = websdk.connection(user.name, device="fixed")
    first.open(token=user.token())
    second = websdk.connection(user.name, device="fixed")
    second.open(token=user.token())
    first.wait_for(sdk_event("onError", type=LOGGED_IN_ON_ANOTHER_DEVICE))
    first.wait_for(sdk_event("onDisconnected"))
    sent = bob.must_send_text(user.name, "who has the device now?")
    second.wait_for(sdk_message(sent))
    assert not first.received(sdk_message(sent))
    assert not second.received(sdk_event("onError", type=LOGGED_IN_ON_ANOTHER_DEVICE))
    assert first.events().count("onConnected") == 1
