"""Disabling a group (app token): it carries no messages and refuses users' changes until enabled."""
import pytest

from im_client import ErrorCode, Reason, match

pytestmark = [pytest.mark.group, pytest.mark.owner("jiahao"), pytest.mark.rule("group-disabled-refuses-users")]

DISABLED = "can not operate this group, reason: group is disabled"


def test_disabled_group_refuses_messages_until_enabled(alice, login, make_group, admin):
    """Members hear DISABLE_GROUP, sends are refused `group is disabled`, enable brings speech back."""
    bob = login("bob")
    group = make_group(alice, members=[bob.name])
    assert admin.must_disable_group(group.id) == {"disabled": True}
    bob.wait_for(match.muc("DISABLE_GROUP", group.id))
    assert admin.must_get_group(group.id)[0]["disabled"] is True
    ack = alice.send_group_text(group.id, "anyone?")
    assert (ack.code, ack.reason) == (ErrorCode.FAIL, Reason.GROUP_DISABLED)

    assert admin.must_enable_group(group.id) == {"disabled": False}
    bob.wait_for(match.muc("ABLE_GROUP", group.id))
    sent = alice.must_send_group_text(group.id, "back again")
    bob.wait_for(match.of(sent))


def test_disabled_group_refuses_user_changes_but_not_reads_or_the_app(alice, make_user, make_group, rest_as, admin):
    bob, carol = make_user("bob"), make_user("carol")
    group = make_group(alice, members=[bob])
    admin.must_disable_group(group.id)
    resp = rest_as(alice).update_group(group.id, groupname="renamed")
    assert (resp.status_code, resp.json()["error_description"]) == (403, DISABLED)
    assert rest_as(bob).quit_group(group.id).status_code == 403
    assert rest_as(alice).must_get_group(group.id)[0]["id"] == group.id
    assert rest_as(bob).must_member_attributes(group.id, [bob.name]) == {bob.name: {}}  # a read, over POST
    admin.must_add_group_member(group.id, carol.name)
    assert admin.must_is_group_member(group.id, carol.name) is True


def test_only_the_app_disables(alice, make_group, rest_as, admin):
    group = make_group(alice)
    assert rest_as(alice).disable_group(group.id).status_code == 401
    assert admin.disable_group("404404404").status_code == 404
