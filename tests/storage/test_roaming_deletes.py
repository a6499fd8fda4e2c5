"""One-way deletes of roaming history (docs/protocol/rest.md §3.9): gone for one user, kept for the peer."""
import time

import pytest

from im_client import match
from im_client.waiting import wait_until

pytestmark = [pytest.mark.chat, pytest.mark.owner("caixiangyue")]


def _after(ts: int) -> None:
    """Wait until the clock is in a later millisecond than `ts` (server timestamps are whole
    milliseconds), so a time-based delete can split two messages."""
    wait_until(lambda: time.time_ns() // 1_000_000 > ts, f"the clock to pass {ts}", timeout=2)


@pytest.mark.rule("one-way-delete-per-user")
def test_delete_by_id_is_one_way(alice, make_user, admin, storage):
    bob = make_user("bob")
    first = alice.must_send_text(bob.name, "delete me for bob")
    second = alice.must_send_text(bob.name, "keep me")
    answer = admin.must_delete_roaming_messages(bob.name, [first.server_id], peer=alice.name)
    assert answer["requestStatusCode"] == "ok"
    assert [m.id for m in storage.history(bob, alice)] == [second.server_id]
    assert [m.id for m in storage.history(alice, bob)] == [first.server_id, second.server_id]


def test_clear_before_a_time(alice, make_user, admin, storage):
    """Messages up to and including delTime leave the user's history; later ones stay."""
    bob = make_user("bob")
    old = alice.must_send_text(bob.name, "old")
    _after(old.timestamp)
    new = alice.must_send_text(bob.name, "new")
    admin.must_clear_roaming_before(bob.name, old.timestamp, peer=alice.name)
    assert [m.id for m in storage.history(bob, alice)] == [new.server_id]
    assert len(storage.history(alice, bob)) == 2


def test_clear_everything_of_a_user(alice, make_user, admin, storage):
    bob, carol = make_user("bob"), make_user("carol")
    alice.must_send_text(bob.name, "to bob")
    alice.must_send_text(carol.name, "to carol")
    admin.must_clear_roaming(alice.name)
    assert storage.history(alice, bob) == [] and storage.history(alice, carol) == []
    assert len(storage.history(bob, alice)) == 1


def test_deleting_the_conversation_with_its_roaming(alice, make_user, admin, storage):
    bob = make_user("bob")
    alice.must_send_text(bob.name, "forget this chat")
    assert admin.must_delete_conversation(alice.name, bob.name, "chat", delete_roam=True)["data"] == {"result": "ok"}
    assert storage.history(alice, bob) == []
    later = alice.must_send_text(bob.name, "a new start")
    assert [m.id for m in storage.history(alice, bob)] == [later.server_id]


def test_the_owners_devices_are_told(alice, bob, admin):
    """isNotify (the default) sends a NOTIFY `roaming_delete` to the owner's devices (docs/protocol/msync.md §4.6)."""
    sent = alice.must_send_text(bob.name, "delete on every device")
    bob.wait_for(match.of(sent))
    admin.must_delete_roaming_messages(bob.name, [sent.server_id], peer=alice.name)
    notice = bob.wait_for(match.notice("NOTIFY", lambda p: p.get("type") == "roaming_delete"))
    assert notice.payload["data"] == {"resource": "", "to": alice.name, "chatType": "chat"}


def test_more_than_fifty_ids_are_refused(alice, make_user, admin):
    bob = make_user("bob")
    refused = admin.delete_roaming_messages(bob.name, range(1, 52), peer=alice.name)
    body = refused.json()
    assert (refused.status_code, body["error"], body["error_description"]) == (
        400, "param exception", "delete msg list limit can not greater than 50")


def test_deletes_need_the_app_token(alice, make_user, admin):
    bob = make_user("bob")
    refused = admin.with_token(bob.token()).clear_roaming(bob.name)
    assert (refused.status_code, refused.json()["error"]) == (401, "auth_bad_access_token")


def _by_id(admin, owner, sent, **conv):
    return admin.must_delete_roaming_messages(owner, [sent.server_id], **conv)


def _before(admin, owner, sent, **conv):
    return admin.must_clear_roaming_before(owner, sent.timestamp, **conv)


# how the delete is asked -> the REST call
DELETES = {"by-id": _by_id, "before-a-time": _before}


@pytest.mark.parametrize("how", list(DELETES))
@pytest.mark.parametrize("kind", ["chat", "groupChat"])
def test_each_one_way_delete_removes_the_message_and_names_its_conversation_to_the_owners_devices(
        kind, how, alice, bob, make_group, admin, storage):
    """A 1:1 or group message deleted by id or by time: gone from bob's history only, and his devices get a
    NOTIFY `roaming_delete` naming the peer or the group (not the group's internal conversation key)."""
    group = make_group(alice, members=[bob.name]) if kind == "groupChat" else None
    if group is None:
        sent, conv, told = alice.must_send_text(bob.name, "one-way"), {"peer": alice.name}, alice.name
    else:
        sent, conv, told = alice.must_send_group_text(group.id, "one-way"), {"group": group.id}, group.id
    bob.wait_for(match.of(sent))
    assert DELETES[how](admin, bob.name, sent, **conv)["requestStatusCode"] == "ok"
    notice = bob.wait_for(match.notice("NOTIFY", lambda p: p.get("type") == "roaming_delete"))
    assert notice.payload["data"] == {"resource": "", "to": told, "chatType": kind}
    of_bob = storage.history(bob, alice) if group is None else storage.history(bob, group=group.id)
    of_alice = storage.history(alice, bob) if group is None else storage.history(alice, group=group.id)
    assert of_bob == []
    assert [m.id for m in of_alice] == [sent.server_id]
