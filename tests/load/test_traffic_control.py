"""Downstream traffic control of group messages (app settings `traffic_control_enabled`,
`traffic_control_ticket_max`, `traffic_control_timeout`): a group message takes one ticket per
connected member device until a pull page carrying it is written to that device; a message that
cannot get its tickets within the timeout is refused to its sender with FAIL "traffic control
happened, retry later", and nothing it refused is delivered. Without traffic control nothing is
refused.

A device holds its tickets by not pulling after a NOTICE (`auto_pull=False`): its items stay
undelivered in flight until it pulls."""
import pytest

from im_client import match
from im_client import messages as m
from im_client.groupchat import group_meta
from im_wire import ErrorCode, Reason, pb

pytestmark = [pytest.mark.group, pytest.mark.owner("jiahao")]

ONE_TICKET = dict(traffic_control_enabled=True, traffic_control_ticket_max=1)
ACK_TIMEOUT = 10.0


def group_texts(group_id: str):
    return match.to_conversation(group_id) & match.message("groupchat")


def send_later(sender, group_id: str, text: str):
    """Send a group text without waiting for its ack: the Future of the ack."""
    return sender.send_meta_async(group_meta(sender, group_id, pb.MessageBody.GROUPCHAT, m.text_content(text)))


@pytest.mark.app_config(**ONE_TICKET, traffic_control_timeout=300)
@pytest.mark.rule("traffic-control-wait")
def test_a_message_without_tickets_is_refused_after_the_timeout(alice, login, make_group, storage):
    """A message that cannot get a ticket within the timeout is refused, never delivered, and the
    refusal is in the event log; once the holder pulls, the next message is accepted."""
    bob = login("bob", auto_pull=False)
    group = make_group(alice, members=[bob.name])
    first = alice.must_send_group_text(group.id, "first")
    notice = bob.wait_for(match.queue_notice(group.id))  # bob does not pull: the only ticket stays in flight

    ack = alice.send_group_text(group.id, "second")
    assert (ack.code, ack.reason) == (ErrorCode.FAIL, Reason.TRAFFIC_CONTROL)
    refused = storage.events("group.message_refused", group=group.id, reason=Reason.TRAFFIC_CONTROL)
    assert [e["sender"] for e in refused] == [alice.name]
    assert refused[0]["waited_ms"] >= 300

    bob.pull(notice.queue)
    bob.wait_for(match.of(first))
    third = alice.must_send_group_text(group.id, "third")
    bob.wait_for_all(match.queue_notice(group.id), 2)
    bob.pull(notice.queue)
    bob.wait_for(match.of(third))
    assert [x.text for x in bob.received(group_texts(group.id))] == ["first", "third"]


@pytest.mark.app_config(**ONE_TICKET)
@pytest.mark.rule("traffic-control-wait", "traffic-tickets-release-on-write")
def test_a_waiting_message_is_accepted_when_the_holder_pulls(alice, login, make_group):
    """A message that waits for tickets is acked only when the page holding the ticket is written
    to its device, then delivered."""
    bob = login("bob", auto_pull=False)
    group = make_group(alice, members=[bob.name])
    alice.must_send_group_text(group.id, "first")
    notice = bob.wait_for(match.queue_notice(group.id))

    second = send_later(alice, group.id, "second")
    alice.ping()  # the server handled "second" before answering: it is waiting, not acked
    assert not second.done()

    bob.pull(notice.queue)
    ack = second.result(ACK_TIMEOUT)
    assert ack.ok
    bob.wait_for(match.text("first"))
    bob.pull(notice.queue)  # "second" may have been queued after that pull loop ended
    assert bob.wait_for(match.text("second")).id == ack.server_id


@pytest.mark.app_config(**ONE_TICKET)
@pytest.mark.rule("traffic-tickets-release-on-write")
def test_an_unacknowledged_delivery_holds_no_ticket(alice, login, make_group):
    """Tickets are not held until devices acknowledge: a member that receives but never acks does
    not hold back the next messages, which it gets once it acknowledges the first."""
    bob = login("bob", auto_ack=False)
    group = make_group(alice, members=[bob.name])
    first = alice.must_send_group_text(group.id, "first")
    bob.wait_for(match.of(first))
    second = alice.must_send_group_text(group.id, "second")  # accepted: the ticket of "first" is free
    bob.ack_held()  # the group queue (and the system queue of the MUC notices)
    bob.wait_for(match.of(second))

@pytest.mark.app_config(**ONE_TICKET)
@pytest.mark.rule("traffic-tickets-release-on-write")
def test_a_disconnecting_holder_frees_its_tickets(alice, make_user, make_group, transport):
    """When the device holding the tickets goes away, the waiting message is accepted and both
    messages wait in its queue for the next login."""
    bob = make_user("bob")
    device = bob.login(transport, auto_pull=False, resource="py_phone")
    group = make_group(alice, members=[bob])
    alice.must_send_group_text(group.id, "first")
    device.wait_for(match.queue_notice(group.id))

    second = send_later(alice, group.id, "second")
    alice.ping()
    assert not second.done()
    device.close()
    assert second.result(ACK_TIMEOUT).ok

    again = bob.login(transport, resource="py_phone")
    assert [x.text for x in again.wait_for_all(group_texts(group.id), 2)] == ["first", "second"]


@pytest.mark.app_config(**ONE_TICKET)
def test_offline_members_take_no_tickets(alice, make_user, make_group, transport):
    """Messages to members that are all offline are stored for pull and never wait for tickets."""
    members = make_user.many(3, prefix="away")
    group = make_group(alice, members=members)
    sent = [alice.must_send_group_text(group.id, f"note {n}") for n in range(5)]
    for member in members:
        device = member.login(transport)
        got = device.wait_for_all(group_texts(group.id), 5)
        assert [x.id for x in got] == [s.server_id for s in sent]


@pytest.mark.app_config(**ONE_TICKET)
@pytest.mark.rule("traffic-control-wait")
def test_a_fan_out_larger_than_the_pool_passes_alone(alice, login, make_group):
    """A message that needs more tickets than the pool holds is admitted into an empty pool, and
    the next one once the members pulled it."""
    bob, carol = login("bob"), login("carol")
    group = make_group(alice, members=[bob.name, carol.name])
    sent = [alice.must_send_group_text(group.id, f"note {n}") for n in range(3)]
    for member in (bob, carol):
        got = member.wait_for_all(group_texts(group.id), 3)
        assert [x.id for x in got] == [s.server_id for s in sent]


def test_without_traffic_control_nothing_is_refused(alice, make_user, make_group, transport):
    """With traffic control off, messages to a member that never acknowledges are all accepted and
    all wait in its queue."""
    bob = make_user("bob")
    device = bob.login(transport, auto_ack=False, resource="py_phone")
    group = make_group(alice, members=[bob])
    sent = [alice.must_send_group_text(group.id, f"note {n}") for n in range(30)]
    device.wait_for(match.of(sent[0]))
    device.close()
    again = bob.login(transport, resource="py_phone")
    got = again.wait_for_all(group_texts(group.id), 30)
    assert [x.id for x in got] == [s.server_id for s in sent]
