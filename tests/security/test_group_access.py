"""An outsider cannot get into a group or at its messages without the group's consent: no joining
a private group, no self-approval, no reading its queue (docs/protocol/rest.md §5.2, docs/protocol/msync.md §5.2)."""
import pytest

from im_client import ErrorCode, Reason, match
from im_wire import CONFERENCE_DOMAIN, make_jid, pb

pytestmark = [pytest.mark.group, pytest.mark.owner("jiahao")]


def _error(resp) -> tuple[int, str, str]:
    body = resp.json()
    assert isinstance(body, dict), body
    return resp.status_code, body["error"], body["error_description"]


def test_private_group_cannot_be_joined_by_application(alice, login, make_group, rest_as, admin):
    """Applying to a private group is 403 `forbidden_op`, and the applicant never becomes a member."""
    mallory = login("mallory")
    group = make_group(alice, public=False)
    status, error, _ = _error(rest_as(mallory).apply_to_group(group.id, "let me in"))
    assert (status, error) == (403, "forbidden_op")
    assert not admin.must_is_group_member(group.id, mallory.name)
    ack = mallory.send_group_text(group.id, "am I in?")
    assert (ack.code, ack.reason) == (ErrorCode.FAIL, Reason.NOT_IN_GROUP)


def test_application_needing_approval_cannot_approve_itself(alice, login, make_group, rest_as, admin):
    """An applicant to an approval group is not a member until an admin approves: adding or approving
    itself is 403, its messages are refused."""
    mallory = login("mallory")
    group = make_group(alice, public=True, approval=True)
    as_mallory = rest_as(mallory)
    assert as_mallory.must_apply_to_group(group.id, "please")["joined"] is False
    alice.wait_for(match.muc("APPLY", group.id, user=mallory.name))
    refusals = [
        as_mallory.answer_group_application(group.id, mallory.name, True),
        as_mallory.add_group_member(group.id, mallory.name),
        as_mallory.invite_to_group(group.id, mallory.name),
    ]
    for resp in refusals:
        assert _error(resp)[:2] == (403, "forbidden_op"), resp.text
    assert not admin.must_is_group_member(group.id, mallory.name)
    ack = mallory.send_group_text(group.id, "sneaking in")
    assert (ack.code, ack.reason) == (ErrorCode.FAIL, Reason.NOT_IN_GROUP)


def test_outsider_pulls_nothing_from_a_group_queue(alice, login, make_user, make_group, transport):
    """Pulling a group's conference queue as a non-member returns none of its messages."""
    bob = make_user("bob")
    mallory = login("mallory")
    group = make_group(alice, members=[bob])
    sent = alice.must_send_group_text(group.id, "members only")
    queue = make_jid(mallory.appkey, group.id, CONFERENCE_DOMAIN)
    mallory.send_sync(pb.CommSyncUL(queue=queue))
    mallory.send_sync(pb.CommSyncUL(queue=queue, key=sent.server_id))
    mallory.ping()
    assert not mallory.received(match.of(sent))
    bob.login(transport).wait_for(match.of(sent))  # mallory's "ack" removed nothing of bob's


def test_plain_member_cannot_manage_the_group(alice, login, make_user, make_group, rest_as, admin):
    """A plain member cannot kick, promote itself, or change the owner: 403 and nothing changes."""
    bob = make_user("bob")
    mallory = login("mallory")
    group = make_group(alice, members=[bob, mallory.name])
    as_mallory = rest_as(mallory)
    for resp in (as_mallory.remove_group_members(group.id, bob.name),
                 as_mallory.add_group_admin(group.id, mallory.name),
                 as_mallory.transfer_group_owner(group.id, mallory.name),
                 as_mallory.destroy_group(group.id)):
        assert _error(resp)[:2] == (403, "forbidden_op"), resp.text
    assert admin.must_is_group_member(group.id, bob.name)
    assert mallory.name not in admin.must_group_admins(group.id)
    alice.must_send_group_text(group.id, "still mine")
