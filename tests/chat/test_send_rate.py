"""Per-user send rate (docs/protocol/msync.md §6.1, docs/protocol/rest.md §8.1): more than `user_send_rate` messages of one
user within a second are refused with PERMISSION_DENIED "traffic limit"."""
import pytest

from im_client import ErrorCode, Reason, match
from im_client import messages as m
from im_client.waiting import wait_until

pytestmark = [pytest.mark.chat, pytest.mark.owner("caixiangyue"), pytest.mark.app_config(user_send_rate=2)]


def burst(client, to: str, count: int):
    """`count` texts written back to back without waiting for acks; the acks, in order."""
    metas = [m.chat_meta(client.appkey, client.name, to, m.Body.CHAT, m.text_content(f"burst {n}"))
             for n in range(count)]
    futures = [client.send_meta_async(meta) for meta in metas]
    return [f.result(15) for f in futures]


@pytest.mark.rule("send-rate-window")
def test_messages_over_the_rate_are_refused(alice, bob):
    """With a rate of 2/s the third message of a burst is refused; the first two arrive in order."""
    acks = burst(alice, bob.name, 3)
    assert [(a.code, a.reason) for a in acks] == [(ErrorCode.OK, ""), (ErrorCode.OK, ""),
                                                  (ErrorCode.PERMISSION_DENIED, Reason.TRAFFIC_LIMIT)]
    got = bob.wait_for_all(match.sender(alice.name), 2)
    assert [g.id for g in got] == [a.server_id for a in acks[:2]]


@pytest.mark.rule("send-rate-window")
def test_the_limit_is_per_user(alice, bob, login):
    """One user at the limit does not slow another down."""
    carol = login("carol")
    assert burst(alice, carol.name, 3)[-1].reason == Reason.TRAFFIC_LIMIT
    bob.must_send_text(carol.name, "I am not alice")


@pytest.mark.rule("send-rate-window")
def test_sending_resumes_within_a_second(alice, bob):
    """Refused messages do not count: once the second is over the next message goes through."""
    assert burst(alice, bob.name, 3)[-1].reason == Reason.TRAFFIC_LIMIT
    ack = wait_until(lambda: (a := alice.send_text(bob.name, "again")).ok and a, "a send to be accepted",
                     timeout=5)
    bob.wait_for(match.message_id(ack.server_id))


@pytest.mark.rule("send-rate-window")
def test_receipts_are_not_rate_limited(alice, bob):
    """Receipts do not count towards the send rate."""
    sent = burst(alice, bob.name, 2)
    got = bob.wait_for(match.message_id(sent[0].server_id))
    for _ in range(3):
        bob.must_send_read_ack(got)
    assert bob.send_text(alice.name, "bob has his own budget").ok
