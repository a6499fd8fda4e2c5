"""Refused logins carry the exact status and reason of docs/protocol/msync.md §3.3."""
import pytest

from im_client import ErrorCode, LoginError, Reason

pytestmark = [pytest.mark.login, pytest.mark.owner("xinbo")]


def refused(client) -> LoginError:
    with pytest.raises(LoginError) as info:
        client.open()
    return info.value


@pytest.mark.rule("wrong-credentials-reason")
def test_wrong_password_is_refused(make_user, transport):
    user = make_user()
    err = refused(user.client(transport, password="not-the-password"))
    assert (err.code, err.reason) == (ErrorCode.FAIL, Reason.TOKEN_MISMATCH)


@pytest.mark.rule("wrong-credentials-reason")
def test_invalid_token_is_refused(make_user, transport):
    user = make_user()
    err = refused(user.client(transport, token="YWMt-not-a-real-token"))
    assert (err.code, err.reason) == (ErrorCode.FAIL, Reason.TOKEN_MISMATCH)


@pytest.mark.rule("wrong-credentials-reason")
@pytest.mark.parametrize("owner", ["aaron", "zoe"], ids=["owner-sorts-before", "owner-sorts-after"])
def test_token_of_another_user_is_refused(owner, make_user, transport):
    """Whether the token's owner sorts before or after the user logging in: the name must match."""
    mallory, other = make_user("mallory"), make_user(owner)
    err = refused(mallory.client(transport, token=other.token()))
    assert (err.code, err.reason) == (ErrorCode.FAIL, Reason.TOKEN_MISMATCH)


@pytest.mark.rule("unknown-user-login-reason")
def test_unknown_user_is_refused(make_user, transport):
    user = make_user()
    ghost = user.client(transport)
    ghost.name = f"{user.name}-ghost"
    err = refused(ghost)
    assert (err.code, err.reason) == (ErrorCode.FAIL, Reason.USER_NOT_FOUND)


@pytest.mark.rule("deactivated-login-unauthorized")
def test_deactivated_user_cannot_log_in(make_user, admin, transport):
    user = make_user()
    token = user.token()
    admin.must_deactivate_user(user.name)
    err = refused(user.client(transport, token=token))
    assert err.code != ErrorCode.OK
    admin.must_activate_user(user.name)
    assert user.login(transport).closed is False
