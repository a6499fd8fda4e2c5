"""A 500-member group: complete fan-out to the 50 members online, and complete offline delivery to
the other 449 when they log in (members registered in bulk through the REST batch register)."""
import time

import pytest

from im_client import match

pytestmark = [pytest.mark.group, pytest.mark.owner("jiahao")]

MEMBERS = 500
ONLINE = 50
MESSAGES = 10
REST_BATCH = 60


def test_500_member_group_delivers_to_everyone(make_user, make_group, admin, transport, record_property):
    started = time.monotonic()
    owner = make_user("owner")
    members = make_user.many(MEMBERS - 1, prefix="crowd")
    group = make_group(owner, max_users=MEMBERS)
    names = [m.name for m in members]
    for start in range(0, len(names), REST_BATCH):
        admin.must_add_group_members(group.id, names[start:start + REST_BATCH])
    assert admin.must_get_group(group.id)[0]["affiliations_count"] == MEMBERS

    online = [m.login(transport) for m in members[:ONLINE]]
    speaker = owner.login(transport)
    sent = [speaker.must_send_group_text(group.id, f"announcement {n}") for n in range(MESSAGES)]
    expected = [s.server_id for s in sent]
    texts = match.to_conversation(group.id) & match.message("groupchat")
    for device in online:
        assert [m.id for m in device.wait_for_all(texts, MESSAGES)] == expected
    fanned_out = time.monotonic()

    for member in members[ONLINE:]:
        device = member.login(transport)
        assert [m.id for m in device.wait_for_all(texts, MESSAGES)] == expected, member.name
        device.close()
    finished = time.monotonic()
    record_property("setup_s", round(fanned_out - started, 2))
    record_property("total_s", round(finished - started, 2))
    print(f"500-member group over {transport}: online fan-out done after {fanned_out - started:.1f} s, "
          f"offline delivery to {MEMBERS - 1 - ONLINE} members done after {finished - started:.1f} s")
