"""The event log of user status: login, logout, kicks (the seed's "用户的状态")."""
import pytest

pytestmark = [pytest.mark.login, pytest.mark.owner("xinbo")]


def test_login_and_logout_are_logged_with_the_transport(make_user, storage, transport):
    alice = make_user("alice")
    device = alice.login(transport)
    login = storage.wait_for_event(kind="user.login", user=alice.name)
    assert (login["resource"], login["transport"]) == (device.resource, transport)
    device.close()
    storage.wait_for_event(kind="user.logout", user=alice.name, resource=device.resource)


@pytest.mark.rule("password-change-kicks")
def test_kick_by_password_change_is_logged(make_user, admin, storage, transport):
    alice = make_user("alice")
    device = alice.login(transport)
    admin.must_change_password(alice.name, "pw-e2e-changed")
    device.wait_closed()
    kicked = storage.wait_for_event(kind="user.kicked", user=alice.name)
    assert kicked["resource"] == device.resource
    storage.wait_for_event(kind="user.password_changed", user=alice.name)
