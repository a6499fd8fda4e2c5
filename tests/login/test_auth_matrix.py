"""Every way in, with every kind of bad credential, as tables (docs/protocol/rest.md §0.3, §1; docs/protocol/msync.md §3.2):
a user token that was revoked (password changed), expired, malformed or issued by another app
opens neither the user's REST endpoints nor an msync session; app-token grants check the client
id and the secret."""
import pytest

from im_client import ErrorCode, LoginError, Reason
from im_client.waiting import wait_until
from im_e2e.sandbox_process import SandboxProcess

pytestmark = [pytest.mark.login, pytest.mark.owner("xinbo")]

OAUTH = (401, "unauthorized", "Unable to authenticate (OAuth)")
EXPIRED = (401, "unauthorized", "Unable to authenticate due to expired access token")
MISMATCH = (ErrorCode.FAIL, Reason.TOKEN_MISMATCH)


@pytest.fixture(scope="module")
def foreign_token():
    """A well-formed user token issued by another app (a sandbox of its own, other appkey)."""
    with SandboxProcess("--appkey", "other#app", "--client-secret", "other-secret") as other:
        import requests

        base = f"{other.info['rest_url']}/other/app"
        app = requests.post(f"{base}/token", json={"grant_type": "client_credentials", "client_id": other.info[
            "client_id"], "client_secret": "other-secret"}, timeout=10).json()["access_token"]
        requests.post(f"{base}/users", json=[{"username": "stranger", "password": "pw"}],
                      headers={"Authorization": f"Bearer {app}"}, timeout=10).raise_for_status()
        yield requests.post(f"{base}/token", json={"grant_type": "password", "username": "stranger",
                                                   "password": "pw"}, timeout=10).json()["access_token"]


def _revoked(user, admin, rest):
    token = user.token()
    admin.must_change_password(user.name, "a-new-password")
    return token


def _expired(user, admin, rest):
    token = user.token(ttl=1)
    wait_until(lambda: rest.request("GET", f"/sdk/users/{user.name}/token/expires", token=token).status_code == 401,
               "the token to expire", timeout=10)
    return token


def _malformed(user, admin, rest):
    return "YWMt" + "not-a-token"


# kind -> (how the test gets such a token, REST answer, msync refusal)
TOKENS = {
    "revoked": (_revoked, OAUTH, MISMATCH),
    "expired": (_expired, EXPIRED, (ErrorCode.FAIL, Reason.TOKEN_EXPIRED)),
    "malformed": (_malformed, OAUTH, MISMATCH),
    "foreign": (None, OAUTH, MISMATCH),
}


def _token(kind, user, admin, rest, foreign_token):
    make = TOKENS[kind][0]
    return foreign_token if make is None else make(user, admin, rest)


@pytest.mark.parametrize("kind", list(TOKENS))
def test_bad_user_token_opens_no_rest_endpoint(kind, make_user, admin, rest, transport, foreign_token):
    user = make_user()
    token = _token(kind, user, admin, rest, foreign_token)
    for method, path in (("GET", f"/sdk/users/{user.name}/token/expires"), ("GET", f"/users/{user.name}"),
                         ("GET", f"/users/{user.name}/joined_chatrooms")):
        resp = rest.request(method, path, token=token)
        body = resp.json()
        assert (resp.status_code, body.get("error"), body.get("error_description")) == TOKENS[kind][1], path


@pytest.mark.parametrize("kind", list(TOKENS))
def test_bad_user_token_opens_no_msync_session(kind, make_user, admin, rest, transport, foreign_token):
    user = make_user()
    token = _token(kind, user, admin, rest, foreign_token)
    with pytest.raises(LoginError) as refused:
        user.client(transport, token=token).open()
    assert (refused.value.code, refused.value.reason) == TOKENS[kind][2]


def test_the_new_password_works_after_a_change(make_user, admin, rest, transport):
    """The control cell of `revoked`: the change itself took, and a fresh token logs in."""
    user = make_user()
    admin.must_change_password(user.name, "a-new-password")
    token = rest.must_user_token(user.name, "a-new-password").access_token
    user.client(transport, token=token).open()


# app-token grant: which credential is wrong -> (status, error, error_description)
GRANTS = {
    "wrong-secret": ({"client_secret": "not-the-secret"}, (400, "invalid_grant", "client_secret does not match")),
    "wrong-client-id": ({"client_id": "not-the-client"}, (400, "invalid_grant", "client_id does not match")),
    "other-app-secret": ({"client_secret": "other-secret"}, (400, "invalid_grant", "client_secret does not match")),
}


@pytest.mark.parametrize("case", list(GRANTS))
def test_app_token_grant_checks_every_credential(case, rest, target, transport):
    wrong, expected = GRANTS[case]
    body = {"grant_type": "client_credentials", "client_id": target.client_id,
            "client_secret": target.client_secret, **wrong}
    resp = rest.request("POST", "/token", json_body=body, token=None)
    got = resp.json()
    assert (resp.status_code, got.get("error"), got.get("error_description")) == expected
    assert "access_token" not in got


# grant_type values POST /token does not serve, on both sides of "inherit" in string order
@pytest.mark.parametrize("grant", ["authorization_code", "implicit", "refresh_token", "Inherit", "inherit "])
def test_an_unsupported_grant_type_is_refused_by_name(grant, rest, make_user):
    user = make_user()
    body = {"grant_type": grant, "username": user.name, "password": user.password}
    resp = rest.request("POST", "/token", json_body=body, token=None)
    got = resp.json()
    assert (resp.status_code, got.get("error"), got.get("error_description")) == (
        400, "unsupported_grant_type", f"unsupported grant_type {grant}")
    assert "access_token" not in got


@pytest.mark.parametrize("grant", ["absent", "", None], ids=["absent", "empty", "null"])
def test_a_missing_grant_type_is_refused(grant, rest, make_user):
    user = make_user()
    body = {"username": user.name, "password": user.password, **({} if grant == "absent" else {"grant_type": grant})}
    resp = rest.request("POST", "/token", json_body=body, token=None)
    got = resp.json()
    assert (resp.status_code, got.get("error"), got.get("error_description")) == (
        400, "illegal_argument", "grant_type must be provided.")
