"""The multiplex member engine (im_e2e.load.multiplex) against a real sandbox, small sizes: members
on both transports log in on one event loop, receive group messages live and acknowledge them by
key, catch up on a backlog in pages at login, and report refused logins with the server's reason."""
import time
import uuid

import pytest

from im_client import Client, RestClient, Target
from im_client import messages as m
from im_client.groupchat import group_meta
from im_e2e.load.ledger import Receipts, Recorder
from im_e2e.load.multiplex import MemberSpec, Multiplexer
from im_wire import pb
from selftest.sandbox.sandbox_wire import start_sandbox

pytestmark = pytest.mark.selftest

PASSWORD = "pw-mux"
WAIT = 10.0


@pytest.fixture(scope="module")
def target(tmp_path_factory):
    handle = start_sandbox(tmp_path_factory.mktemp("sandbox"), log_level="INFO")
    yield Target.from_info(handle.info)
    handle.stop()


@pytest.fixture
def group(target):
    """A group of a sender and four members (tokens for all), made through REST."""
    admin = RestClient(target)
    admin.token = admin.must_app_token().access_token
    names = [f"mux{uuid.uuid4().hex[:6]}-{n}" for n in range(5)]
    admin.must_register_users([{"username": n, "password": PASSWORD} for n in names])
    group_id = admin.must_create_group(names[0], public=True, maxusers=10)["groupid"]
    admin.must_add_group_members(group_id, names[1:])
    users = RestClient(target)
    return group_id, {n: users.must_user_token(n, PASSWORD).access_token for n in names}


@pytest.fixture
def mux(target):
    opened = []

    def factory(group_id: str) -> Multiplexer:
        opened.append(Multiplexer(target, Recorder(group_id)).start())
        return opened[-1]

    yield factory
    for loop in opened:
        loop.close()
        assert loop.done and loop.error is None


def wait_until(condition, what: str, timeout: float = WAIT):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"within {timeout:g} s: {what}"
        time.sleep(0.01)  # polling the loop thread's counters; each check is the event itself


def send_group(target, name, token, group_id, seqs):
    sender = Client(target, name, token=token, transport="tcp")
    sender.open()
    try:
        for seq in seqs:
            meta = group_meta(sender, group_id, pb.MessageBody.GROUPCHAT, m.text_content(f"m{seq}"),
                              ext={"seq": seq, "sent_at": time.time() * 1000})
            assert sender.must_send_meta(meta).ok
    finally:
        sender.close()


def members_of(tokens, names, transports=("tcp", "ws"), phase="live"):
    return {n: Receipts(n, transports[i % len(transports)], phase) for i, n in enumerate(names)}


def unread_of(target, name, token) -> list:
    probe = Client(target, name, token=token, transport="tcp", auto_pull=False)
    probe.open()
    try:
        return [(mq.queue.name, mq.n) for mq in probe.ping().unread]
    finally:
        probe.close()


@pytest.mark.parametrize("wire", ["tcp", "ws"])
def test_members_receive_group_messages_live_and_acknowledge_them(target, group, mux, wire):
    """Four members on one loop get every message once, with seq and latency; the pulls with key
    acknowledged them, so none is left unread on the server."""
    group_id, tokens = group
    sender, *names = tokens
    loop = mux(group_id)
    receipts = members_of(tokens, names, (wire,))
    loop.add(MemberSpec(n, r.transport, tokens[n], r) for n, r in receipts.items())
    wait_until(lambda: loop.settled == len(names), "every member logged in")
    assert loop.stats.failures == []

    send_group(target, sender, tokens[sender], group_id, range(12))
    wait_until(lambda: all(len(r.seen) == 12 for r in receipts.values()), "12 messages at every member")
    assert all(set(r.seen.values()) == {1} for r in receipts.values())  # no duplicates
    assert loop.recorder.latency.get_total_count() == 12 * len(names)
    wait_until(lambda: all(not q.pulling for mem in loop.members.values() for q in mem.queues.values()),
               "every pull loop at rest")
    assert unread_of(target, names[0], tokens[names[0]]) == []


def test_a_backlog_is_pulled_in_pages_at_login_on_both_transports(target, group, mux):
    """60 messages queued while the members were offline (more than one page of 50) arrive at login,
    through the UNREAD listing and the pull loop, and the members report their offline sync done."""
    group_id, tokens = group
    sender, *names = tokens
    send_group(target, sender, tokens[sender], group_id, range(60))
    loop = mux(group_id)
    receipts = members_of(tokens, names, phase="pulled")
    loop.add(MemberSpec(n, r.transport, tokens[n], r) for n, r in receipts.items())
    wait_until(lambda: all(len(r.seen) == 60 for r in receipts.values()), "60 backlog messages at every member")
    wait_until(lambda: all(mem.synced for mem in loop.members.values()), "offline sync finished")
    assert {r.transport for r in receipts.values()} == {"tcp", "ws"}
    assert loop.recorder.latency.get_total_count() == 0  # pulled, not live: no latency recorded


def test_a_refused_login_is_a_failure_with_the_servers_reason(target, group, mux):
    group_id, tokens = group
    good, bad = list(tokens)[1:3]
    loop = mux(group_id)
    loop.add([MemberSpec(good, "ws", tokens[good], Receipts(good, "ws", "live")),
              MemberSpec(bad, "tcp", "not-a-token", Receipts(bad, "tcp", "live"))])
    wait_until(lambda: loop.settled == 2, "both logins settled")
    assert loop.stats.logged_in == 1
    [failure] = loop.stats.failures
    assert failure.startswith(f"{bad}: login refused: ") and "token" in failure


def test_members_answer_a_heartbeat_round_and_log_out_on_close(target, group, mux):
    """An UNREAD from every member is answered (what the heartbeat relies on); close() logs them out."""
    group_id, tokens = group
    names = list(tokens)[1:]
    loop = mux(group_id)
    loop.add(MemberSpec(n, r.transport, tokens[n], r) for n, r in members_of(tokens, names).items())
    wait_until(lambda: loop.stats.logged_in == len(names), "every member logged in")
    asked = time.monotonic()
    loop.call(lambda: [mem.heartbeat(asked + 3600, 1) for mem in loop.members.values()])
    wait_until(lambda: all(mem.last_inbound > asked for mem in loop.members.values()), "every UNREAD answered")
    assert all(mem.heartbeats == 1 for mem in loop.members.values())
    loop.close()
    assert loop.done and all(mem.state == "closed" for mem in loop.members.values())


def test_a_slow_uplink_sends_every_pull_late(target, group, mux):
    """With pull_delay every queue pull leaves that much later: a message sent to an idle member
    arrives no earlier than one delay after it was sent (the pull after its NOTICE waited), and
    messages that ride a later pull still arrive exactly once."""
    group_id, tokens = group
    sender, member = list(tokens)[:2]
    loop = mux(group_id)
    receipts = Receipts(member, "ws", "live")
    loop.add([MemberSpec(member, "ws", tokens[member], receipts, pull_delay=0.3)])
    wait_until(lambda: loop.stats.logged_in == 1, "the member logged in")
    send_group(target, sender, tokens[sender], group_id, [0])
    wait_until(lambda: len(receipts.seen) == 1, "the first message through a late pull")
    # µs; the histogram keeps 3 significant digits, so 300 ms may read as 299.776
    assert loop.recorder.latency.get_min_value() >= 299_000
    # these may ride the acknowledging pull of the first one, which also leaves late
    send_group(target, sender, tokens[sender], group_id, [1, 2])
    wait_until(lambda: len(receipts.seen) == 3, "3 messages through the late pulls")
    assert set(receipts.seen.values()) == {1}
