"""What a thread tells besides its messages: `update_msg` to the group after each message, and the
multi-device MUC operations 33–36 and 38 to the operator's other devices (docs/protocol/msync.md §4.6, §5.2)."""
import pytest

from im_client import match

pytestmark = [pytest.mark.thread, pytest.mark.owner("jiahao")]


def thread_muc(operation: str, thread_id: str, group_id: str) -> match.Match:
    """MUC `operation` about a thread of `group_id` (isThread, mucParentId = the group)."""
    from im_wire import pb
    op = pb.MUCBody.Operation.Value(operation)
    return match.notice("MUC", lambda b: b.operation == op and b.mucId.name == thread_id and b.isThread
                        and b.mucParentId.name == group_id, f"{operation} {thread_id}")


@pytest.mark.rule("thread-update-msg-to-group")
def test_a_thread_message_tells_the_group_update_msg_with_the_last_message(alice, login, make_group, rest_as):
    """Every group member, in the thread or not, hears update_msg with the count and the last message."""
    bob, carol = login("bob"), login("carol")
    group = make_group(alice, members=[bob.name, carol.name])
    parent = alice.must_send_group_text(group.id, "start here")
    thread_id = rest_as(alice).must_create_thread(group.id, parent.server_id, "plans")["thread_id"]
    alice.must_send_thread_text(thread_id, "first")
    last = alice.must_send_thread_text(thread_id, "second", ext={"k": "v"})
    for device in (bob, carol):
        notices = device.wait_for_all(match.thread_notify("update_msg", thread_id), 2)
        data = notices[-1].payload["data"]
        assert (data["message_count"], data["muc_parent_id"], data["from"]) == (2, group.id, alice.name)
        assert data["last_message"]["id"] == str(last.server_id)
        assert data["last_message"]["payload"] == {"bodies": [{"type": "txt", "msg": "second"}], "ext": {"k": "v"},
                                                   "from": alice.name, "to": thread_id, "type": "groupchat"}
    alice.ping()
    assert not alice.received(match.thread_notify("update_msg", thread_id))


@pytest.mark.rule("thread-multi-device-muc", "rest-resource-skips-caller-device")
def test_the_operators_other_device_hears_create_rename_and_destroy_as_muc(make_user, make_group, rest_as, transport):
    """Phone creates, renames, destroys: the laptop gets THREAD_CREATE / UPDATE / DESTROY, bob the NOTIFY items."""
    alice, bob = make_user("alice"), make_user("bob")
    phone, laptop = alice.login(transport, resource="py_phone"), alice.login(transport, resource="py_laptop")
    bob_device = bob.login(transport)
    group = make_group(alice, members=[bob])
    parent = phone.must_send_group_text(group.id, "start here")
    as_phone = rest_as(phone)
    thread_id = as_phone.must_create_thread(group.id, parent.server_id, "plans")["thread_id"]
    created = laptop.wait_for(thread_muc("THREAD_CREATE", thread_id, group.id))
    assert (created.payload.mucName, getattr(created.payload, "from").name) == ("plans", alice.name)
    bob_device.wait_for(match.thread_notify("create", thread_id))

    as_phone.must_rename_thread(thread_id, "new plans")
    assert laptop.wait_for(thread_muc("THREAD_UPDATE", thread_id, group.id)).payload.mucName == "new plans"
    bob_device.wait_for(match.thread_notify("update", thread_id))
    as_phone.must_destroy_thread(thread_id)
    laptop.wait_for(thread_muc("THREAD_DESTROY", thread_id, group.id))
    bob_device.wait_for(match.thread_notify("delete", thread_id))

    phone.ping()
    for device in (phone, laptop):
        assert not device.received(match.thread_notify("create", thread_id))
    assert not phone.received(thread_muc("THREAD_CREATE", thread_id, group.id))


@pytest.mark.rule("thread-multi-device-muc")
def test_joining_and_leaving_reach_the_users_other_device(alice, make_user, make_group, rest_as, transport):
    """Bob joins and leaves on his phone; his laptop gets THREAD_JOIN and THREAD_LEAVE, the phone neither."""
    bob = make_user("bob")
    phone, laptop = bob.login(transport, resource="py_phone"), bob.login(transport, resource="py_laptop")
    group = make_group(alice, members=[bob])
    parent = alice.must_send_group_text(group.id, "start here")
    thread_id = rest_as(alice).must_create_thread(group.id, parent.server_id, "plans")["thread_id"]
    rest_as(phone).must_join_thread(thread_id, bob.name)
    laptop.wait_for(thread_muc("THREAD_JOIN", thread_id, group.id))
    rest_as(phone).must_leave_thread(thread_id, bob.name)
    laptop.wait_for(thread_muc("THREAD_LEAVE", thread_id, group.id))
    phone.ping()
    assert not phone.received(thread_muc("THREAD_JOIN", thread_id, group.id))
    assert not phone.received(thread_muc("THREAD_LEAVE", thread_id, group.id))
