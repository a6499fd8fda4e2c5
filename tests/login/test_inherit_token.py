"""User tokens on the app token's authority: the `inherit` grant (docs/protocol/rest.md §1.3)."""
import pytest

pytestmark = [pytest.mark.login, pytest.mark.owner("xinbo")]


@pytest.mark.rule("inherit-grant")
def test_inherit_token_logs_in_without_the_password(make_user, admin, transport):
    """A token from grant_type inherit (app token, no password) opens an msync session of that user."""
    user = make_user()
    token = admin.must_inherit_token(user.name)
    assert token.access_token and token.body["user"]["username"] == user.name
    assert not user.login(transport, token=token.access_token).closed


@pytest.mark.rule("inherit-grant")
def test_inherit_token_needs_the_app_token(make_user, rest, transport):
    """Without an app token there is no inherited token; with a user token it is auth_bad_access_token."""
    user = make_user()
    assert rest.inherit_token(user.name).status_code == 401
    rest.token = user.token()
    resp = rest.inherit_token(user.name)
    assert (resp.status_code, resp.json()["error"]) == (401, "auth_bad_access_token")


@pytest.mark.rule("inherit-grant")
def test_inherit_token_for_an_unknown_user_creates_it_only_when_asked(admin, transport, run_id):
    """An unknown username is 404 user not found, unless autoCreateUser creates the user first."""
    name = f"inherit-{run_id}-{transport}"
    resp = admin.inherit_token(name)
    assert (resp.status_code, resp.json()["error"]) == (404, "invalid_grant")
    token = admin.must_inherit_token(name, auto_create=True)
    assert token.body["user"]["username"] == name
    admin.must_delete_user(name)
