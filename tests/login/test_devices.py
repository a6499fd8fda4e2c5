"""Several devices of one user: coexistence, kicks, the device limit."""
import pytest

from im_client import ConnectionClosed, ErrorCode, LoginError, match

pytestmark = [pytest.mark.login, pytest.mark.owner("xinbo")]


@pytest.mark.rule("same-resource-login-kicks-older", "kick-statistic-system-queue")
def test_second_login_with_same_resource_kicks_the_first(make_user, transport):
    """The old device gets the STATISTIC kick meta (SDK 206) and its socket is closed."""
    user = make_user()
    first = user.login(transport, resource="py_phone")
    second = user.login(transport, resource="py_phone")
    first.wait_for(match.kicked("USER_LOGIN_ANOTHER_DEVICE"))
    first.wait_closed()
    assert not second.closed
    assert second.ping().status.errorCode == ErrorCode.OK


def test_devices_with_different_resources_coexist(make_user, login, transport):
    user = make_user()
    phone = user.login(transport, resource="py_phone")
    laptop = user.login(transport, resource="py_laptop")
    sender = login("sender")
    sent = sender.must_send_text(user.name, "to both devices")
    phone.wait_for(match.of(sent))
    laptop.wait_for(match.of(sent))
    assert not phone.closed and not laptop.closed


@pytest.mark.rule("same-resource-login-kicks-older")
def test_kicked_by_another_transport(make_user, transport):
    """A kick works across transports: a TCP device is replaced by a WS login and vice versa."""
    user = make_user()
    other = "ws" if transport == "tcp" else "tcp"
    first = user.login(transport, resource="py_shared")
    user.login(other, resource="py_shared")
    first.wait_for(match.kicked("USER_LOGIN_ANOTHER_DEVICE"))


@pytest.mark.rule("password-change-kicks")
def test_password_change_kicks_connected_devices(make_user, admin, transport):
    user = make_user()
    device = user.login(transport)
    admin.must_change_password(user.name, "a-new-password")
    device.wait_for(match.kicked("USER_KICKED_BY_CHANGE_PASSWORD"))
    with pytest.raises(LoginError):
        user.client(transport, token=user.token()).open()  # the cached token was revoked
    user.password = "a-new-password"
    user._token = None
    assert not user.login(transport).closed


@pytest.mark.rule("forced-logout-kicks-217")
def test_admin_disconnect_of_one_device(make_user, admin, transport):
    user = make_user()
    phone = user.login(transport, resource="py_phone")
    laptop = user.login(transport, resource="py_laptop")
    admin.must_disconnect_user(user.name, "py_phone")
    phone.wait_closed()
    assert laptop.ping().status.errorCode == ErrorCode.OK


@pytest.mark.rule("multi-device-4", "device-limit-counts-connected")
def test_device_limit(make_user, transport):
    """Four devices may be online at once; a fifth is refused with TOO_MANY_DEVICES (SDK 214)."""
    user = make_user()
    for n in range(4):
        user.login(transport, resource=f"py_dev{n}")
    with pytest.raises(LoginError) as info:
        user.login(transport, resource="py_dev4")
    assert info.value.code == ErrorCode.TOO_MANY_DEVICES


def test_closed_client_refuses_to_send(make_user, transport):
    user = make_user()
    client = user.login(transport)
    client.close()
    with pytest.raises(ConnectionClosed):
        client.send_text("nobody", "after logout")
