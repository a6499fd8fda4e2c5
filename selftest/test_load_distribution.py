"""A distributed load cell: how the master cuts the cell into worker shares, and how it merges what
the workers measured (pure functions of im_e2e.load; no Locust, no sockets). Messages go through
msgpack with the options Locust's RPC uses, as between real processes."""
from collections import Counter

import msgpack
import pytest
from hdrh.histogram import HdrHistogram

from im_e2e.load.ledger import Receipts, Recorder, drained, member_ledger
from im_e2e.load.parts import merge_received, merge_sent, received_part, receipts_from_wire, receipts_to_wire, sent_part
from im_e2e.load.shares import MEMBERS, SENDERS, Assignment, assign, partition

pytestmark = pytest.mark.selftest

ONLINE = [f"m{i}" for i in range(7)]
SENDER_NAMES = ["s0", "s1", "s2"]


def over_the_wire(data):
    return msgpack.loads(msgpack.dumps(data), raw=False, strict_map_key=False)


def test_every_member_and_sender_slot_goes_to_exactly_one_worker():
    running = {"w-b": {MEMBERS: 3, SENDERS: 1}, "w-a": {MEMBERS: 4, SENDERS: 2}}
    shares = partition(ONLINE, SENDER_NAMES, running)
    assert list(shares) == ["w-a", "w-b"]
    for worker, share in shares.items():
        assert (len(share.members), len(share.sender_slots)) == (running[worker][MEMBERS], running[worker][SENDERS])
    members = [name for share in shares.values() for name, _ in share.members]
    slots = [slot for share in shares.values() for slot in share.sender_slots]
    assert sorted(members) == sorted(ONLINE) and len(set(members)) == len(ONLINE)
    assert sorted(slots) == [0, 1, 2]


def test_transports_alternate_over_the_whole_cell():
    """A member's transport depends on its place in the cell, not in its worker's share, so the cell
    stays half TCP, half WS however Locust spread the users."""
    shares = partition(ONLINE, SENDER_NAMES, {"w1": {MEMBERS: 1, SENDERS: 0}, "w2": {MEMBERS: 6, SENDERS: 3}})
    transports = dict(member for share in shares.values() for member in share.members)
    assert [transports[name] for name in ONLINE] == ["tcp", "ws", "tcp", "ws", "tcp", "ws", "tcp"]


def test_a_worker_without_users_gets_an_empty_share():
    """Locust may hand every sender to one worker, or nothing to a worker at all."""
    shares = partition(ONLINE, SENDER_NAMES, {"w1": {MEMBERS: 7, SENDERS: 3}, "w2": {MEMBERS: 0, SENDERS: 0}})
    assert shares["w2"].members == [] and shares["w2"].sender_slots == []
    assert shares["w1"].sender_slots == [0, 1, 2]


@pytest.mark.parametrize("running", [{"w1": {MEMBERS: 6, SENDERS: 3}},
                                     {"w1": {MEMBERS: 7, SENDERS: 2}, "w2": {MEMBERS: 1, SENDERS: 2}}])
def test_user_counts_that_do_not_cover_the_cell_are_refused(running):
    with pytest.raises(ValueError, match="workers run"):
        partition(ONLINE, SENDER_NAMES, running)


def test_an_assignment_carries_only_the_tokens_of_its_share_and_survives_the_wire():
    share = partition(ONLINE, SENDER_NAMES, {"w1": {MEMBERS: 2, SENDERS: 1}, "w2": {MEMBERS: 5, SENDERS: 2}})["w2"]
    tokens = {name: f"token-{name}" for name in ONLINE + SENDER_NAMES}
    assignment = assign(share, worker="worker-1@host", target={"rest_url": "http://h:1"}, group_id="g1",
                        senders=SENDER_NAMES, tokens=tokens, rate=2.0, total=10, ack_wait_s=40.0,
                        drain_wait_s=40.0, send_wait_s=84.0, last=False)
    assert set(assignment.tokens) == {"m2", "m3", "m4", "m5", "m6", "s1", "s2"}
    assert assignment.users == 7
    assert Assignment.from_wire(over_the_wire(assignment.to_wire())) == assignment


def test_sent_and_acks_of_two_workers_merge_and_a_seq_sent_twice_is_an_error():
    part_a = over_the_wire(sent_part({0: ("s0", 1000.0, 1001.5), 2: ("s0", 2000.0, 2000.2)},
                                     {0: (200, None, 77, 1003.0)}, cpu_sending=0.1))
    part_b = over_the_wire(sent_part({1: ("s1", 1500.0, 1500.1)}, {1: (200, None, 78, 1502.0)}))
    sent, acks = merge_sent([part_a, part_b])
    assert sent == {0: ("s0", 1000.0, 1001.5), 1: ("s1", 1500.0, 1500.1), 2: ("s0", 2000.0, 2000.2)}
    assert acks == {0: (200, None, 77, 1003.0), 1: (200, None, 78, 1502.0)}
    with pytest.raises(ValueError, match="seq 1 sent by two workers"):
        merge_sent([part_b, part_b])


def test_receipts_survive_the_wire_with_duplicates_and_worker():
    receipts = Receipts("m1", "ws", "live", Counter({0: 1, 1: 2, 5: 1}), 1234.5, "worker-0@host")
    back = receipts_from_wire(over_the_wire(receipts_to_wire(receipts)))
    assert back == receipts
    assert member_ledger(back, {0, 1, 5}, set())["duplicates"] == 1


def _recorder(values_us: list[int], seconds: list[int]) -> Recorder:
    recorder = Recorder("g1")
    for value in values_us:
        recorder.latency.record_value(value)
    recorder.per_second.update(seconds)
    return recorder


def test_two_workers_parts_merge_into_what_one_process_would_have_measured():
    a_values, b_values = [1000, 2000, 3000, 250_000], [1500, 90_000]
    parts = [over_the_wire(received_part([Receipts("m0", "tcp", "live", Counter({0: 1, 1: 1}), 10.0, "w0")],
                                         _recorder(a_values, [0, 0, 1, 1]), drained=True)),
             over_the_wire(received_part([Receipts("m1", "ws", "live", Counter({0: 1}), 20.0, "w1")],
                                         _recorder(b_values, [1, 2]), drained=False))]
    receipts, latency, per_second = merge_received(parts, unreported={})
    one = HdrHistogram(1, 3_600_000_000, 3)
    for value in a_values + b_values:
        one.record_value(value)
    assert latency.get_total_count() == one.get_total_count() == 6
    for percentile in (50, 95, 99, 99.9, 100):
        assert latency.get_value_at_percentile(percentile) == one.get_value_at_percentile(percentile)
    assert per_second == Counter({0: 2, 1: 3, 2: 1})
    assert {name: r.worker for name, r in receipts.items()} == {"m0": "w0", "m1": "w1"}
    assert receipts["m1"].seen == Counter({0: 1}) and receipts["m1"].last_at == 20.0


def test_members_of_a_worker_that_never_reported_count_as_lost():
    part = over_the_wire(received_part([Receipts("m0", "tcp", "live", Counter({0: 1}), 1.0, "w0")], Recorder("g1")))
    receipts, latency, _ = merge_received([part], unreported={"m1": ("w1", "ws"), "s0": ("w1", "tcp")})
    assert (receipts["m1"].worker, receipts["m1"].transport, receipts["m1"].phase) == ("w1", "ws", "live")
    assert member_ledger(receipts["m1"], {0, 1}, set())["lost"] == 2
    assert latency.get_total_count() == 0


def test_a_member_reported_by_two_workers_is_an_error():
    part = over_the_wire(received_part([Receipts("m0", "tcp", "live")], Recorder("g1")))
    with pytest.raises(ValueError, match="m0 reported by two workers"):
        merge_received([part, part], unreported={})


def test_drained_means_every_accepted_message_but_ones_own():
    sender = Receipts("s0", "tcp", "live", Counter({1: 1}))
    member = Receipts("m0", "ws", "live", Counter({0: 1}))
    accepted_from = {0: "s0", 1: "s1"}
    assert not drained([sender, member], accepted_from)
    member.seen[1] += 1
    assert drained([sender, member], accepted_from)
