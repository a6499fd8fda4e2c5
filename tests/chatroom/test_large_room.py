"""A 1,000-member chatroom with 200 members present: presence counts, and fan-out to exactly those present."""
import time

import pytest

from fixtures.chatrooms import assert_nothing_more, join_all, login_many
from im_client import match

pytestmark = [pytest.mark.chatroom, pytest.mark.owner("yifan")]

MEMBERS = 1000
PRESENT = 200
ONLINE_NOT_JOINED = 20
MESSAGES = 5
BATCH = 60
TIME_BUDGET = 30.0  # seconds the scenario may take on the reference machine (2 shared cores)


@pytest.mark.rule("room-presence-count", "chatroom-direct-push")
def test_thousand_member_room_with_two_hundred_present(make_user, admin, make_room, transport):
    """Counts follow presence (200), not membership (1,001); every message reaches each of the other 199
    present members once; members who are connected but never joined get nothing, and nothing waits
    for the offline ones."""
    started = time.monotonic()
    owner = make_user("owner")
    members = make_user.many(MEMBERS, prefix="member")
    names = [m.name for m in members]
    room = make_room(owner, maxusers=MEMBERS + 1)
    for start in range(0, MEMBERS, BATCH):
        admin.must_add_chatroom_members(room.id, names[start:start + BATCH])
    assert admin.must_get_chatroom(room.id)[0]["affiliations_count"] == MEMBERS + 1

    present = login_many(members[:PRESENT], transport)
    bystanders = login_many(members[PRESENT:PRESENT + ONLINE_NOT_JOINED], transport)
    first, others = present[0], present[1:]
    assert first.must_join_room(room.id).member_count == 1
    counts = [info.member_count for info in join_all(others, room.id)]
    assert sorted(counts) == list(range(2, PRESENT + 1))

    # the first to join saw every later join once, each with the count right after it
    presences = first.wait_for_all(match.room_event("PRESENCE", room.id), PRESENT - 1, timeout=20)
    assert [p.payload.mucMemberCount for p in presences] == list(range(2, PRESENT + 1))
    assert sorted(getattr(p.payload, "from").name for p in presences) == sorted(names[1:PRESENT])

    sender = present[-1]
    sent = [sender.must_send_room_text(room.id, f"to everyone present #{n}") for n in range(MESSAGES)]
    expected = [s.server_id for s in sent]
    from_sender = match.in_room(room.id) & match.sender(sender.name)
    for client in present[:-1]:
        client.wait_for_all(from_sender, MESSAGES, timeout=20)
        client.ping()  # answered after any further push: a duplicate would be in the inbox by now
        assert [m.id for m in client.received(from_sender)] == expected
    for client in bystanders + [sender]:
        assert_nothing_more(client, match.in_room(room.id))
    latecomer = members[-1].login(transport)  # offline until now: no room message was stored for it
    latecomer.wait_offline_sync()
    assert_nothing_more(latecomer, match.in_room(room.id))

    leavers = present[100:110]
    for client in leavers:
        client.must_leave_room(room.id)
    first.wait_for(match.room_absence(room.id, leavers[-1].name, count=PRESENT - len(leavers)))

    elapsed = time.monotonic() - started
    print(f"\n{MEMBERS}-member room, {PRESENT} present over {transport}: {elapsed:.1f} s")
    assert elapsed < TIME_BUDGET, f"took {elapsed:.1f} s"
