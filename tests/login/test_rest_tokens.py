"""REST token errors and what they mean for the msync login (docs/protocol/rest.md §1, docs/protocol/msync.md §3.3)."""
import pytest

from im_client import ErrorCode, LoginError, Reason
from im_client.waiting import wait_until

pytestmark = [pytest.mark.login, pytest.mark.owner("xinbo")]


@pytest.mark.rule("wrong-credentials-reason")
def test_wrong_password_gets_no_token_and_no_session(make_user, rest, transport):
    user = make_user()
    resp = rest.user_token(user.name, "wrong")
    body = resp.json()
    assert (resp.status_code, body["error"], body["error_description"]) == (400, "invalid_grant", "invalid password")
    with pytest.raises(LoginError) as login:
        user.client(transport, password="wrong").open()
    assert login.value.reason == Reason.TOKEN_MISMATCH


def test_unknown_user_gets_no_token(make_user, rest, transport):
    user = make_user()
    resp = rest.user_token(f"{user.name}-ghost", "whatever")
    body = resp.json()
    assert (resp.status_code, body["error"], body["error_description"]) == (404, "invalid_grant", "user not found")
    assert not user.login(transport).closed  # the real user is unaffected


def test_bad_client_secret_gets_no_app_token(rest, target, make_user, transport):
    resp = rest.app_token(target.client_id, "not-the-secret")
    assert (resp.status_code, resp.json()["error"]) == (400, "invalid_grant")
    assert "client_secret does not match" in resp.json()["error_description"]
    assert not make_user().login(transport).closed


def test_calls_without_or_with_garbage_token_are_unauthorized(rest, make_user, transport):
    user = make_user()
    for token in (None, "YWMt-garbage"):
        resp = rest.request("GET", f"/users/{user.name}", token=token)
        body = resp.json()
        assert resp.status_code == 401
        assert (body["error"], body["error_description"]) == ("unauthorized", "Unable to authenticate (OAuth)")
    assert not user.login(transport).closed


def test_user_token_is_refused_on_admin_endpoints_but_logs_in(make_user, rest, transport):
    user = make_user()
    token = user.token()
    resp = rest.request("GET", "/users", token=token)
    assert resp.status_code == 401
    assert resp.json()["error"] == "auth_bad_access_token"
    assert not user.login(transport, token=token).closed


@pytest.mark.rule("rest-expired-token-401", "token-expired-fail-reason")
def test_expired_token_is_refused_by_rest_and_msync(make_user, rest, transport):
    user = make_user()
    token = user.token(ttl=1)
    expired = wait_until(lambda: (r := rest.request("GET", f"/sdk/users/{user.name}/token/expires", token=token))
                         .status_code == 401 and r.json(), "the token to expire", timeout=10)
    assert expired["error_description"] == "Unable to authenticate due to expired access token"
    with pytest.raises(LoginError) as login:
        user.client(transport, token=token).open()
    assert (login.value.code, login.value.reason) == (ErrorCode.FAIL, Reason.TOKEN_EXPIRED)
