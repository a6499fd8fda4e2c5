"""Queues: NOTICE, UNREAD, pull pages with nextKey, ack by key, redelivery, multi-device copies."""
from __future__ import annotations

import pytest

from im_wire import ErrorCode, Reason, pb
from selftest.sandbox.sandbox_wire import SYNC, msync, user_jid

pytestmark = pytest.mark.selftest

PW = "pw-123"


@pytest.fixture
def pair(api, connect, wire):
    """(alice, bob): two provisioned clients on the same wire."""
    alice, bob = connect(wire), connect(wire)
    alice.provision(api.create_user(), password=PW)
    bob.provision(api.create_user(), password=PW)
    return alice, bob


def test_send_notice_pull_ack(pair):
    alice, bob = pair
    ack = alice.send_text(bob.user, "hello")
    assert ack.status.errorCode == ErrorCode.OK and ack.serverId and ack.timestamp
    notice = bob.notice()
    assert (notice.queue.name, notice.queue.domain) == (alice.user, "easemob.com")
    assert not notice.queue.clientResource
    dl = bob.pull(notice.queue)
    assert dl.status.errorCode == ErrorCode.OK and not dl.isLast
    assert dl.queue == notice.queue
    (meta,) = dl.metas
    assert dl.nextKey == meta.id == ack.serverId
    assert meta.timestamp == ack.timestamp
    assert getattr(meta, "from") == user_jid(alice.appkey, alice.user, alice.resource)
    assert meta.to == user_jid(alice.appkey, bob.user)
    body = pb.MessageBody.FromString(meta.payload)
    assert body.contents[0].text == "hello"
    last = bob.pull(notice.queue, dl.nextKey)
    assert last.isLast and not last.metas and not last.HasField("nextKey") and last.queue == notice.queue
    # acknowledged: nothing comes back
    assert bob.pull(notice.queue).isLast
    assert not bob.unread().unread


def test_payload_bytes_and_envelope_fields_are_preserved(pair):
    alice, bob = pair
    meta = alice.chat_meta(bob.user, "x", routetype=pb.Meta.ROUTE_ALL)
    meta.ext.add(key="k", type=pb.KeyValue.STRING, stringValue="v")
    meta.directedUsers.append("someone")
    alice.send_meta(meta)
    (got,) = bob.drain(bob.notice().queue)
    assert got.payload == meta.payload
    assert list(got.ext) == list(meta.ext) and list(got.directedUsers) == ["someone"]
    assert got.routetype == pb.Meta.ROUTE_ALL and got.ns == pb.Meta.CHAT


def test_unacked_items_are_redelivered(pair):
    alice, bob = pair
    ids = [alice.send_text(bob.user, f"m{i}").serverId for i in range(3)]
    queue = bob.notice().queue
    first = bob.pull(queue)
    assert [m.id for m in first.metas] == ids
    again = bob.pull(queue)  # no key: nothing was acknowledged
    assert [m.id for m in again.metas] == ids
    unread = bob.unread()
    assert [(u.queue.name, u.n) for u in unread.unread] == [(alice.user, 3)]
    # ack only the first two
    partial = bob.pull(queue, ids[1])
    assert [m.id for m in partial.metas] == ids[2:]
    assert bob.drain(queue) == list(partial.metas)
    assert bob.drain(queue) == []


def test_pages_of_fifty(pair):
    alice, bob = pair
    sent = [alice.send_text(bob.user, str(i)).serverId for i in range(120)]
    queue = bob.notice().queue
    sizes, key, got = [], None, []
    while True:
        dl = bob.pull(queue, key)
        if dl.isLast:
            break
        sizes.append(len(dl.metas))
        got += [m.id for m in dl.metas]
        key = dl.nextKey
    assert sizes == [50, 50, 20] and got == sent


def test_notice_is_coalesced_until_pulled(pair):
    alice, bob = pair
    for i in range(3):
        alice.send_text(bob.user, str(i))
    queue = bob.notice().queue
    bob.assert_silent(0.2)
    assert len(bob.drain(queue)) == 3
    alice.send_text(bob.user, "after")
    assert bob.notice().queue == queue


def test_offline_messages_reach_the_first_device(api, connect, wire):
    sender = connect(wire)
    sender.provision(api.create_user(), password=PW)
    newbie = api.create_user()  # no device yet: pending bucket
    ids = [sender.send_text(newbie, f"off{i}").serverId for i in range(2)]
    assert api.get(f"/users/{newbie}/offline_msg_count").json()["data"] == {newbie: 2}
    device = connect(wire)
    device.provision(newbie, password=PW)
    unread = device.unread()
    assert [(u.queue.name, u.n) for u in unread.unread] == [(sender.user, 2)]
    assert [m.id for m in device.drain(unread.unread[0].queue)] == ids
    assert api.get(f"/users/{newbie}/offline_msg_count").json()["data"] == {newbie: 0}


def test_known_offline_device_gets_items_on_return(api, connect):
    alice, bob = connect(), connect()
    alice.provision(api.create_user(), password=PW)
    bob_name = api.create_user()
    bob.provision(bob_name, password=PW, resource="phone")
    bob.logout()
    sid = alice.send_text(bob_name, "while away").serverId
    back = connect("ws")
    back.provision(bob_name, password=PW, resource="phone")
    (queue,) = back.unread().unread
    assert [m.id for m in back.drain(queue.queue)] == [sid]


def test_multi_device_copies(api, connect):
    alice_name, bob_name = api.create_user(), api.create_user()
    a1, a2, b1 = connect("tcp"), connect("ws"), connect("tcp")
    a1.provision(alice_name, password=PW, resource="a1")
    a2.provision(alice_name, password=PW, resource="a2")
    b1.provision(bob_name, password=PW, resource="b1")
    sid = a1.send_text(bob_name, "to bob").serverId
    copy_notice = a2.notice()
    assert (copy_notice.queue.name, copy_notice.queue.clientResource) == (alice_name, "a1")
    (copy,) = a2.drain(copy_notice.queue)
    assert copy.id == sid and copy.to.name == bob_name
    assert getattr(copy, "from").clientResource == "a1"
    (got,) = b1.drain(b1.notice().queue)
    assert got.id == sid
    a1.assert_silent(0.2)  # a device never receives its own message back
    assert not a1.unread().unread


def test_route_online_skips_offline_devices(api, connect):
    alice, bob = connect(), connect()
    alice.provision(api.create_user(), password=PW)
    bob_name = api.create_user()
    bob.provision(bob_name, password=PW, resource="on")
    offline = connect()
    offline.provision(bob_name, password=PW, resource="off")
    offline.logout()
    sid = alice.send_text(bob_name, "now", routetype=pb.Meta.ROUTE_ONLINE).serverId
    (got,) = bob.drain(bob.notice().queue)
    assert got.id == sid
    back = connect()
    back.provision(bob_name, password=PW, resource="off")
    assert not back.unread().unread


def test_meta_and_queue_in_one_sync(pair):
    alice, bob = pair
    first = alice.send_text(bob.user, "one").serverId
    queue = bob.notice().queue
    reply_meta = bob.chat_meta(alice.user, "reply")
    bob.send_raw(msync(SYNC, pb.CommSyncUL(meta=reply_meta, queue=queue)))
    ack = bob.expect(SYNC)
    assert ack.metaId == reply_meta.id and ack.status.errorCode == ErrorCode.OK
    page = bob.expect(SYNC)
    assert [m.id for m in page.metas] == [first]


def test_pull_of_unknown_domain_is_rejected(pair):
    _, bob = pair
    dl = bob.pull(pb.JID(name="x", domain="example.org"))
    assert (dl.status.errorCode, dl.status.reason) == (ErrorCode.WRONG_PARAMETER, Reason.BAD_PAYLOAD)
    assert bob.unread().status.errorCode == ErrorCode.OK


def test_statistic_meta_is_acked(pair):
    alice, _ = pair
    meta = pb.Meta(id=123456, ns=pb.Meta.STATISTIC,
                   payload=pb.StatisticsBody(operation=pb.StatisticsBody.INFORMATION).SerializeToString())
    ack = alice.send_meta(meta)
    assert ack.metaId == 123456 and ack.status.errorCode == ErrorCode.OK and ack.serverId
