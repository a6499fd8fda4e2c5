"""Order is kept end to end."""
import pytest

from im_client import match

pytestmark = [pytest.mark.chat, pytest.mark.owner("caixiangyue")]


def test_hundred_messages_arrive_in_send_order(alice, bob):
    futures = [alice.send_meta_async(meta) for meta in (
        alice_meta for alice_meta in _texts(alice, bob.name, 100))]
    acks = [f.result(15) for f in futures]
    assert all(a.ok for a in acks)
    got = bob.wait_for_all(match.sender(alice.name), 100, timeout=20)
    assert [m.text for m in got] == [f"#{n:03d}" for n in range(100)]
    assert [m.id for m in got] == [a.server_id for a in acks]
    assert [m.id for m in got] == sorted(m.id for m in got)


def test_hundred_offline_messages_arrive_in_order(alice, make_user, transport):
    bob = make_user("bob")
    futures = [alice.send_meta_async(meta) for meta in _texts(alice, bob.name, 100)]
    assert all(f.result(15).ok for f in futures)
    device = bob.login(transport)
    got = device.wait_for_all(match.sender(alice.name), 100, timeout=20)
    assert [m.text for m in got] == [f"#{n:03d}" for n in range(100)]


def _texts(sender, to, count):
    from im_client import messages as m
    for n in range(count):
        yield m.chat_meta(sender.appkey, sender.name, to, m.Body.CHAT, m.text_content(f"#{n:03d}"))
