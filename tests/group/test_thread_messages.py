"""Messages in threads (docs/protocol/msync.md §4.2, §5.6): GROUPCHAT to the thread id with MessageBody.meta
`{"thread":{}}` upstream; thread members receive them with the thread filled in downstream."""
import pytest

from fixtures.groups import assert_not_delivered
from im_client import ErrorCode, Reason, match

pytestmark = [pytest.mark.thread, pytest.mark.owner("jiahao")]


@pytest.fixture
def thread(alice, make_group, rest_as):
    """`thread(*members)`: a group of alice and those members, and a thread alice started in it;
    returns (group, parent message, thread id)."""
    def _thread(*members, name="the thread"):
        group = make_group(alice, members=members)
        parent = alice.must_send_group_text(group.id, "start here")
        thread_id = rest_as(alice).must_create_thread(group.id, parent.server_id, name)["thread_id"]
        return group, parent, thread_id
    return _thread


@pytest.mark.rule("thread-annotation")
def test_thread_members_get_thread_messages_with_the_thread_filled_in(alice, login, thread, rest_as):
    bob, carol = login("bob"), login("carol")
    group, parent, thread_id = thread(bob, carol, name="lunch")
    rest_as(bob).must_join_thread(thread_id, bob.name)
    sent = alice.must_send_thread_text(thread_id, "pizza?")
    got = bob.wait_for(match.of(sent))
    assert (got.kind, got.to, got.text, got.queue) == ("groupchat", thread_id, "pizza?",
                                                       f"{thread_id}@conference.easemob.com")
    assert got.body_meta == {"thread": {"msg_parent_id": str(parent.server_id), "muc_parent_id": group.id,
                                        "thread_name": "lunch"}}
    assert_not_delivered(carol, match.of(sent), thread_id)  # a group member outside the thread


@pytest.mark.rule("thread-annotation")
def test_plain_group_messages_carry_no_thread(alice, login, thread):
    bob = login("bob")
    group, _, _ = thread(bob)
    sent = alice.must_send_group_text(group.id, "not in the thread")
    assert bob.wait_for(match.of(sent)).body_meta is None


def test_offline_thread_member_gets_thread_messages_on_login(alice, make_user, thread, rest_as, transport):
    bob = make_user("bob")
    _, _, thread_id = thread(bob)
    rest_as(bob).must_join_thread(thread_id, bob.name)
    sent = alice.must_send_thread_text(thread_id, "while you were away")
    got = bob.login(transport).wait_for(match.of(sent))
    assert got.body_meta["thread"]["thread_name"] == "the thread"


@pytest.mark.rule("thread-membership", "group-send-check-order")
def test_only_thread_members_may_write_in_a_thread(alice, login, make_user, thread):
    bob, mallory = login("bob"), login("mallory")
    _, _, thread_id = thread(bob)
    for outsider in (bob, mallory):  # bob is in the group but not in the thread
        ack = outsider.send_thread_text(thread_id, "let me in")
        assert (ack.code, ack.reason) == (ErrorCode.FAIL, Reason.NOT_IN_GROUP)


@pytest.mark.rule("mute-survives-rejoin", "group-send-check-order")
def test_group_mute_applies_in_its_threads(alice, login, thread, rest_as):
    bob = login("bob")
    group, _, thread_id = thread(bob)
    rest_as(bob).must_join_thread(thread_id, bob.name)
    rest_as(alice).must_mute_group_members(group.id, bob.name, 60_000)
    ack = bob.send_thread_text(thread_id, "muted here too?")
    assert (ack.code, ack.reason) == (ErrorCode.USER_MUTED, Reason.USER_MUTED)


def test_last_message_of_a_thread(alice, login, thread, rest_as):
    bob = login("bob")
    _, _, thread_id = thread(bob)
    alice.must_send_thread_text(thread_id, "first")
    last = alice.must_send_thread_text(thread_id, "second")
    entries = rest_as(bob).must_thread_last_messages([thread_id])
    # the shape of a REST history message, which the Web SDK parses (rule thread-update-msg-to-group)
    assert [(e["thread_id"], e["last_message"]["id"], e["last_message"]["payload"]["bodies"]) for e in entries] == [
        (thread_id, str(last.server_id), [{"type": "txt", "msg": "second"}])]
    assert rest_as(bob).must_get_thread(thread_id)["message_count"] == 2


@pytest.mark.recall
def test_thread_message_is_recalled(alice, login, thread, rest_as):
    bob = login("bob")
    _, _, thread_id = thread(bob)
    rest_as(bob).must_join_thread(thread_id, bob.name)
    sent = alice.must_send_thread_text(thread_id, "take it back")
    bob.wait_for(match.of(sent))
    alice.must_recall(sent)
    assert bob.wait_for(match.recall_of(sent)).to == thread_id
