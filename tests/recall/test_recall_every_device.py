"""What a recall removes on every device, by table (docs/protocol/msync.md §4.4, rule
`recall-removes-everywhere`): in a 1:1, group and thread conversation, alice's phone sends and
recalls while bob's phone is online and both users' laptops are offline. Every device ends with the
RECALL notice and without the original: the online ones got the notice, the offline ones get the
notice at login and never the message; history keeps neither (tests/storage/test_history_keeps.py)."""
import pytest

from im_client import match
from im_client.match import recall_of

pytestmark = [pytest.mark.recall, pytest.mark.owner("caixiangyue")]


def _chat(phone, bob, make_group, admin):
    return lambda text: phone.must_send_text(bob.name, text)


def _group(phone, bob, make_group, admin):
    group = make_group(phone.name, members=[bob.name])
    return lambda text: phone.must_send_group_text(group.id, text)


def _thread(phone, bob, make_group, admin):
    group = make_group(phone.name, members=[bob.name])
    parent = admin.must_send_text_to_groups(group.id, "parent", sender=phone.name)[group.id]
    thread = admin.must_create_thread(group.id, parent, "recalls", owner=phone.name)["thread_id"]
    admin.must_add_thread_members(thread, [bob.name])
    return lambda text: phone.must_send_thread_text(thread, text)


# conversation -> how to set it up; returns a sender of alice's phone
CONVERSATIONS = {"chat": _chat, "group": _group, "thread": _thread}
ROWS = [pytest.param("chat", id="chat"),
        pytest.param("group", id="group", marks=pytest.mark.group),
        pytest.param("thread", id="thread", marks=pytest.mark.thread)]


@pytest.mark.parametrize("where", ROWS)
@pytest.mark.rule("recall-removes-everywhere")
def test_recall_reaches_every_device_and_the_original_none_that_missed_it(make_user, make_group, admin, transport,
                                                                           where):
    alice, bob = make_user("alice"), make_user("bob")
    alice.login(transport, resource="py_laptop").close()
    bob.login(transport, resource="py_laptop").close()
    phone = alice.login(transport, resource="py_phone")
    bob_phone = bob.login(transport, resource="py_phone")
    send = CONVERSATIONS[where](phone, bob, make_group, admin)
    kept = send("this one stays")
    gone = send("taken back")
    bob_phone.wait_for(match.of(gone))
    phone.must_recall(gone)
    bob_phone.wait_for(recall_of(gone))
    for user in (alice, bob):
        laptop = user.login(transport, resource="py_laptop")
        laptop.wait_for(recall_of(gone))
        laptop.wait_for(match.of(kept))
        laptop.wait_offline_sync()
        assert not laptop.received(match.of(gone)), f"{user.name}'s laptop got the recalled message"
    bob_phone.close()
    again = bob.login(transport, resource="py_phone")
    again.wait_offline_sync()
    assert not again.received(match.of(gone)) and not again.received(recall_of(gone)), "acked items came back"
