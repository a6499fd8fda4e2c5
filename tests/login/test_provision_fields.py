"""The PROVISION fields one at a time (docs/protocol/msync.md §3.2–§3.3): where the token may travel,
every malformed Provision.authToken, a guid of another appKey, and the device name the login records."""
import json

import pytest

from im_client import ErrorCode, LoginError, Reason
from im_wire import pb

pytestmark = [pytest.mark.login, pytest.mark.owner("xinbo")]

MISMATCH = (ErrorCode.FAIL, Reason.TOKEN_MISMATCH)


def _frame(client, *, auth: str, auth_token: str | None = None, password: str = "") -> pb.MSync:
    """The client's own PROVISION frame with MSync.auth, Provision.authToken and Provision.password replaced."""
    frame = client.provision_frame()
    prov = pb.Provision.FromString(frame.payload)
    prov.ClearField("authToken")
    if auth_token is not None:
        prov.authToken = auth_token
    prov.password = password
    frame.auth = auth
    frame.payload = prov.SerializeToString()
    return frame


def _outcome(client, frame: pb.MSync) -> tuple[int, str]:
    reply = client.try_open(frame=frame)
    return reply.status.errorCode, reply.status.reason


@pytest.mark.rule("credential-order")
def test_a_token_only_in_provision_auth_token_logs_in(make_user, transport):
    """No MSync.auth at all: the `$t$` token in the authToken JSON is the credential."""
    user = make_user()
    client = user.client(transport)
    frame = _frame(client, auth="", auth_token=json.dumps({"token": f"$t${user.token()}"}))
    assert _outcome(client, frame) == (ErrorCode.OK, "")
    assert client.ping().status.errorCode == ErrorCode.OK


@pytest.mark.rule("credential-order")
def test_the_auth_token_json_comes_before_a_password_in_msync_auth(make_user, transport):
    """A wrong plain password in MSync.auth does not matter when authToken carries a good token."""
    user = make_user()
    client = user.client(transport)
    frame = _frame(client, auth="not-the-password", auth_token=json.dumps({"token": f"$t${user.token()}"}))
    assert _outcome(client, frame) == (ErrorCode.OK, "")


# Provision.authToken that carries no usable token -> how to build it from a good token
MALFORMED_AUTH_TOKENS = {
    "not-json": lambda t: "token=$t$" + t,
    "json-array": lambda t: json.dumps([f"$t${t}"]),
    "json-string": lambda t: json.dumps(f"$t${t}"),
    "json-number": lambda t: "5",
    "json-null": lambda t: "null",
    "no-token-key": lambda t: json.dumps({"access_token": f"$t${t}"}),
    "token-not-a-string": lambda t: json.dumps({"token": 5}),
    "token-null": lambda t: json.dumps({"token": None}),
    "token-list": lambda t: json.dumps({"token": [f"$t${t}"]}),
    "token-without-prefix": lambda t: json.dumps({"token": t}),
    "absurdly-nested": lambda t: "[" * 5000 + "]" * 5000,
}


@pytest.mark.rule("credential-order", "wrong-credentials-reason")
@pytest.mark.parametrize("shape", list(MALFORMED_AUTH_TOKENS))
def test_a_malformed_auth_token_without_other_credentials_is_refused(shape, make_user, transport):
    """Nothing else to try: the login is refused as a credential mismatch (not an internal error)."""
    user = make_user()
    client = user.client(transport)
    frame = _frame(client, auth="", auth_token=MALFORMED_AUTH_TOKENS[shape](user.token()))
    assert _outcome(client, frame) == MISMATCH
    client.wait_server_close()


@pytest.mark.rule("credential-order")
@pytest.mark.parametrize("shape", ["json-array", "token-not-a-string", "token-without-prefix"])
def test_a_malformed_auth_token_falls_through_to_the_provision_password(shape, make_user, transport):
    """The control cells: past an authToken without a token, Provision.password still logs in."""
    user = make_user()
    client = user.client(transport)
    frame = _frame(client, auth="", auth_token=MALFORMED_AUTH_TOKENS[shape](user.token()), password=user.password)
    assert _outcome(client, frame) == (ErrorCode.OK, "")


# guid.appKey -> how to derive it from the target's appkey, and whether the login is accepted
APP_KEYS = {
    "sorts-before": (lambda key: key[:-1], False),
    "sorts-after": (lambda key: key + "x", False),
    "other-app": (lambda key: key.split("#")[0] + "#other", False),
    "upper-case": (lambda key: key.upper(), True),
    "as-is": (lambda key: key, True),
}


@pytest.mark.rule("unknown-user-login-reason")
@pytest.mark.parametrize("case", list(APP_KEYS))
def test_a_guid_of_another_app_key_is_refused(case, make_user, target, transport):
    """The appKey in the guid must be the app's (case aside), whichever way another key sorts."""
    derive, accepted = APP_KEYS[case]
    user = make_user()
    client = user.client(transport)
    frame = client.provision_frame()
    frame.guid.appKey = derive(target.appkey)
    expected = (ErrorCode.OK, "") if accepted else (ErrorCode.FAIL, Reason.USER_NOT_FOUND)
    assert _outcome(client, frame) == expected


def test_the_resource_list_shows_the_provisioned_device_name(make_user, admin, transport):
    """Provision.deviceName and deviceUuid are what GET /users/{u}/resources reports for the device."""
    user = make_user()
    client = user.login(transport, resource=f"py_{transport}_named", device_name="py-phone-of-the-test")
    devices = admin.must_user_resources(user.name)
    assert devices == [{"res": client.resource, "device_uuid": client.resource, "device_name": "py-phone-of-the-test"}]


def test_a_login_without_a_device_name_lists_an_empty_one(make_user, admin, transport):
    user = make_user()
    client = user.login(transport, resource=f"py_{transport}_unnamed", device_name="")
    devices = admin.must_user_resources(user.name)
    assert devices == [{"res": client.resource, "device_uuid": client.resource, "device_name": ""}]
