"""Groups, their members, mutes and offline group messages survive a sandbox restart."""
import pytest

from im_client import ErrorCode, match

pytestmark = [pytest.mark.group, pytest.mark.owner("jiahao")]


@pytest.fixture
def target(restartable_sandbox):
    return restartable_sandbox.target


def test_group_members_mutes_and_offline_messages_survive(make_user, make_group, restartable_sandbox, admin,
                                                          transport):
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    group = make_group(alice, members=[bob, carol])
    admin.must_mute_group_members(group.id, carol.name, 600_000)
    sent = alice.login(transport).must_send_group_text(group.id, "kept for bob")
    restartable_sandbox.restart()
    bob.login(transport).wait_for(match.of(sent))
    ack = carol.login(transport).send_group_text(group.id, "still muted")
    assert ack.code == ErrorCode.USER_MUTED
