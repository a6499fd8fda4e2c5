"""An online-only 1:1 message (Meta.routetype ROUTE_ONLINE, REST `routetype`) to a user without a connected
device: kept for no device (rule one-to-one-routetype) and, like an online-only group message, not pushed
either: no `push.offline` record (rule push-offline-record). An ordinary message sent next is recorded,
which also shows the record of the first would have come by then (the event log keeps their order)."""
import pytest

from im_wire import pb

pytestmark = [pytest.mark.chat, pytest.mark.owner("caixiangyue")]


def _by_msync(alice, admin, bob, text: str, online_only: bool) -> int:
    route = pb.Meta.ROUTE_ONLINE if online_only else None
    return alice.must_send_text(bob.name, text, routetype=route).server_id


def _by_rest(alice, admin, bob, text: str, online_only: bool) -> int:
    route = {"routetype": "ROUTE_ONLINE"} if online_only else {}
    return int(admin.must_send_text_to_users(bob.name, text, sender=alice.name, **route)[bob.name])


@pytest.mark.rule("push-offline-record", "one-to-one-routetype")
@pytest.mark.parametrize("send", [_by_msync, _by_rest], ids=["msync", "rest"])
def test_an_online_only_message_to_a_user_without_a_device_is_not_pushed(send, alice, make_user, admin, storage):
    bob = make_user("bob")
    now_only = send(alice, admin, bob, "now or never", online_only=True)
    kept = send(alice, admin, bob, "for later", online_only=False)
    storage.wait_for_event(kind="push.offline", id=kept)
    assert storage.events("push.offline", id=now_only) == []
