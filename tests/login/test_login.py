"""Logging in with a token and with a password, on each transport."""
import json
import time

import pytest

from im_client import ErrorCode

pytestmark = [pytest.mark.login, pytest.mark.owner("xinbo")]


@pytest.mark.rule("provision-reply-status-resource")
def test_token_login_is_accepted_and_resource_echoed(make_user, transport):
    """PROVISION with a `$t$` token succeeds and the reply echoes the device resource."""
    user = make_user()
    client = user.client(transport, resource=f"py_{transport}_main")
    reply = client.open()
    assert reply.status.errorCode == ErrorCode.OK
    assert reply.resource == f"py_{transport}_main"
    assert not reply.protocolCompressType  # the server must not switch on LZ4 (docs/protocol/msync.md §2.3)


@pytest.mark.rule("authtoken-absolute-expiry")
def test_token_login_reports_absolute_expiry(make_user, transport):
    """When the token expires, authToken carries `expires_in` as an absolute epoch-ms time."""
    user = make_user()
    client = user.client(transport, token=user.token(ttl=3600))
    reply = client.open()
    expires_in = json.loads(reply.authToken)["expires_in"]
    now_ms = time.time() * 1000
    assert now_ms + 3500_000 < expires_in < now_ms + 3700_000


@pytest.mark.rule("credential-order")
def test_password_login(make_user, transport):
    """A plain password in MSync.auth (legacy clients) logs in too."""
    user = make_user()
    client = user.client(transport, password=user.password)
    assert client.open().status.errorCode == ErrorCode.OK


def test_logged_in_user_shows_online_then_offline_after_logout(make_user, admin, transport):
    user = make_user()
    client = user.login(transport)
    assert admin.must_user_status(user.name) == "online"
    client.close()
    from im_client.waiting import wait_until
    wait_until(lambda: admin.must_user_status(user.name) == "offline", "status offline after LOGOUT")
