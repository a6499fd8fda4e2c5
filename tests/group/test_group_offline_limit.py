"""The offline limit of group messages (app setting `group_offline_limit`, default 200): a member
device that is offline keeps the newest N messages of a group; older ones are evicted, and each
eviction is written to the event log as `message.evicted` (so load checks count it as eviction,
not as loss)."""
import pytest

from fixtures.groups import assert_not_delivered
from im_client import match

pytestmark = [pytest.mark.group, pytest.mark.owner("jiahao")]

DEFAULT_LIMIT = 200


def group_texts(group_id: str):
    return match.to_conversation(group_id) & match.message("groupchat")


@pytest.mark.rule("group-offline-limit")
def test_offline_member_keeps_the_newest_200_messages(alice, make_user, make_group, transport):
    bob = make_user("bob")
    group = make_group(alice, members=[bob])
    sent = [alice.must_send_group_text(group.id, f"note {n}") for n in range(DEFAULT_LIMIT + 5)]
    device = bob.login(transport)
    got = device.wait_for_all(group_texts(group.id), DEFAULT_LIMIT)
    assert [m.id for m in got] == [s.server_id for s in sent[5:]]
    device.wait_offline_sync()
    assert len(device.received(group_texts(group.id))) == DEFAULT_LIMIT


@pytest.mark.app_config(group_offline_limit=3)
@pytest.mark.rule("group-offline-limit")
def test_evicted_messages_are_reported_as_evictions(alice, make_user, make_group, storage, transport):
    bob = make_user("bob")
    group = make_group(alice, members=[bob])
    bob.login(transport, resource="py_phone").close()
    sent = [alice.must_send_group_text(group.id, f"note {n}") for n in range(5)]
    evicted = storage.events("message.evicted", owner=bob.name)
    assert sorted(e["id"] for e in evicted) == [s.server_id for s in sent[:2]]
    assert {(e["device"], e["queue"]) for e in evicted} == {("py_phone", f"{group.id}@conference.easemob.com")}
    device = bob.login(transport, resource="py_phone")
    got = device.wait_for_all(group_texts(group.id), 3)
    assert [m.id for m in got] == [s.server_id for s in sent[2:]]
    assert_not_delivered(device, match.of(sent[0]), group.id)


@pytest.mark.app_config(group_offline_limit=3)
@pytest.mark.rule("group-offline-limit")
def test_online_members_are_not_limited(alice, login, make_group):
    bob = login("bob")
    group = make_group(alice, members=[bob.name])
    sent = [alice.must_send_group_text(group.id, f"live {n}") for n in range(6)]
    got = bob.wait_for_all(group_texts(group.id), 6)
    assert [m.id for m in got] == [s.server_id for s in sent]
