"""Every kick notice carries the envelope an SDK reads of any incoming message (docs/protocol/msync.md §3.9):
id, timestamp, from (the app's `admin`), to (the kicked user and device); an SDK build that reads
the sender of every message would otherwise fail on the kick and reconnect instead of logging out."""
import pytest

from fixtures.notices import assert_envelope
from im_client import match

pytestmark = [pytest.mark.login, pytest.mark.owner("xinbo")]

KICKS = {
    "same-resource-login": "USER_LOGIN_ANOTHER_DEVICE",
    "forced-logout": "USER_KICKED_BY_OTHER_DEVICE",
    "deactivated": "USER_KICKED_BY_OTHER_DEVICE",
    "password-changed": "USER_KICKED_BY_CHANGE_PASSWORD",
    "user-removed": "USER_REMOVED",
}


def _kick(how, user, admin, transport):
    if how == "same-resource-login":
        user.login(transport, resource="py_phone")
    elif how == "forced-logout":
        admin.must_disconnect_user(user.name, "py_phone")
    elif how == "deactivated":
        admin.must_deactivate_user(user.name)
    elif how == "password-changed":
        admin.must_change_password(user.name, "a-new-password")
    else:
        admin.must_delete_user(user.name)


@pytest.mark.rule("server-metas-carry-envelope", "kick-statistic-system-queue")
@pytest.mark.parametrize("how", list(KICKS))
def test_kick_notice_carries_sender_recipient_time_and_id(make_user, admin, transport, how):
    """The STATISTIC kick is from `admin`, to the kicked device, with an id and a timestamp."""
    user = make_user()
    device = user.login(transport, resource="py_phone")
    _kick(how, user, admin, transport)
    kick = device.wait_for(match.kicked(KICKS[how]))
    assert_envelope(kick, to=user.name, sender="admin")
    assert kick.meta.to.clientResource == "py_phone"
    device.wait_closed()
