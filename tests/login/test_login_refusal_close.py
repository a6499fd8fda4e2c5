"""After a refused login the server closes the connection (docs/protocol/msync.md §3.3): the refusal comes back
first, then the socket is closed; a new login needs a new connection."""
import pytest

from im_client import ErrorCode

pytestmark = [pytest.mark.login, pytest.mark.owner("xinbo")]


@pytest.mark.rule("provision-refusal-closes-socket")
def test_refused_login_is_answered_then_closed_by_the_server(make_user, transport):
    """A wrong password: the PROVISION reply carries the refusal, then the server closes."""
    user = make_user()
    client = user.client(transport, password="not-the-password")
    reply = client.try_open()
    assert reply.status.errorCode != ErrorCode.OK and not reply.resource
    client.wait_server_close()


@pytest.mark.rule("provision-refusal-closes-socket", "multi-device-4")
def test_login_over_the_device_limit_is_answered_then_closed(make_user, transport):
    """TOO_MANY_DEVICES is a refusal like any other: answered, then the connection is closed."""
    user = make_user()
    for n in range(4):
        user.login(transport, resource=f"py_dev{n}")
    client = user.client(transport, resource="py_dev4")
    assert client.try_open().status.errorCode == ErrorCode.TOO_MANY_DEVICES
    client.wait_server_close()
