"""Joining a group by invitation or by application (docs/protocol/rest.md §5.2, docs/protocol/msync.md §5.2: INVITE,
INVITE_ACCEPT/DECLINE, APPLY, APPLY_ACCEPT/DECLINE, PRESENCE)."""
import pytest

from im_client import match

pytestmark = [pytest.mark.group, pytest.mark.owner("jiahao")]


@pytest.mark.rule("group-invite-apply-bodies")
def test_invitee_accepts_and_joins(alice, login, make_group, rest_as, admin):
    bob, carol = login("bob"), login("carol")
    group = make_group(alice, members=[bob.name], invite_need_confirm=True, groupname="book club")
    rest_as(alice).must_invite_to_group(group.id, carol.name, welcome="join us")
    invite = carol.wait_for(match.muc("INVITE", group.id, user=carol.name))
    assert (invite.payload.reason, invite.payload.mucName) == ("join us", "book club")
    assert not admin.must_is_group_member(group.id, carol.name)
    data = rest_as(carol).must_answer_group_invite(group.id, True, invitee=carol.name)
    assert (data["action"], data["user"]) == ("inviteVerify", carol.name)
    alice.wait_for(match.muc("INVITE_ACCEPT", group.id, user=carol.name))
    bob.wait_for(match.muc("PRESENCE", group.id, user=carol.name))
    assert admin.must_is_group_member(group.id, carol.name)


@pytest.mark.rule("group-invite-apply-bodies")
def test_invitee_declines(alice, login, make_group, rest_as, admin):
    carol = login("carol")
    group = make_group(alice, invite_need_confirm=True)
    rest_as(alice).must_invite_to_group(group.id, carol.name)
    carol.wait_for(match.muc("INVITE", group.id))
    rest_as(carol).must_answer_group_invite(group.id, False, reason="busy")
    assert alice.wait_for(match.muc("INVITE_DECLINE", group.id, user=carol.name)).payload.reason == "busy"
    assert not admin.must_is_group_member(group.id, carol.name)
    resp = rest_as(carol).answer_group_invite(group.id, True)
    assert resp.status_code == 403  # the invitation is used up


def test_invitation_without_confirmation_joins_at_once(alice, login, make_group, rest_as, admin):
    carol = login("carol")
    group = make_group(alice, invite_need_confirm=False)
    rest_as(alice).must_invite_to_group(group.id, carol.name)
    carol.wait_for(match.muc("DIRECT_JOINED", group.id, user=carol.name))
    assert admin.must_is_group_member(group.id, carol.name)


@pytest.mark.rule("group-invite-apply-bodies")
def test_members_may_invite_only_when_the_group_allows_it(alice, make_user, make_group, rest_as):
    bob, carol = make_user("bob"), make_user("carol")
    closed = make_group(alice, members=[bob], allowinvites=False)
    assert rest_as(bob).invite_to_group(closed.id, carol.name).status_code == 403
    open_ = make_group(alice, members=[bob], allowinvites=True)
    assert rest_as(bob).must_invite_to_group(open_.id, carol.name)[0]["result"] is True


@pytest.mark.rule("group-invite-apply-bodies")
def test_application_is_approved(alice, login, make_group, rest_as, admin):
    bob, dave = login("bob"), login("dave")
    group = make_group(alice, members=[bob.name], public=True, approval=True)
    assert rest_as(dave).must_apply_to_group(group.id, "let me in")["joined"] is False
    apply = alice.wait_for(match.muc("APPLY", group.id, user=dave.name))
    assert (apply.payload.reason, getattr(apply.payload, "from").name) == ("let me in", dave.name)
    assert rest_as(bob).answer_group_application(group.id, dave.name, True).status_code == 403
    data = rest_as(alice).must_answer_group_application(group.id, dave.name, True)
    assert (data["action"], data["user"], data["groupid"]) == ("applyVerify", dave.name, group.id)
    dave.wait_for(match.muc("APPLY_ACCEPT", group.id, user=dave.name))
    bob.wait_for(match.muc("PRESENCE", group.id, user=dave.name))
    assert admin.must_is_group_member(group.id, dave.name)


@pytest.mark.rule("group-invite-apply-bodies")
def test_application_is_declined(alice, login, make_group, rest_as, admin):
    dave = login("dave")
    group = make_group(alice, public=True, approval=True)
    rest_as(dave).must_apply_to_group(group.id, "please")
    alice.wait_for(match.muc("APPLY", group.id))
    rest_as(alice).must_answer_group_application(group.id, dave.name, False, reason="full")
    declined = dave.wait_for(match.muc("APPLY_DECLINE", group.id, user=dave.name))
    assert declined.payload.reason == "full"
    assert not admin.must_is_group_member(group.id, dave.name)


def test_open_public_group_takes_applicants_at_once(alice, login, make_group, rest_as, admin):
    dave = login("dave")
    group = make_group(alice, public=True, approval=False)
    assert rest_as(dave).must_apply_to_group(group.id)["joined"] is True
    alice.wait_for(match.muc("PRESENCE", group.id, user=dave.name))
    assert admin.must_is_group_member(group.id, dave.name)


def test_private_group_takes_no_applications(make_user, make_group, rest_as):
    alice, dave = make_user("alice"), make_user("dave")
    group = make_group(alice, public=False)
    assert rest_as(dave).apply_to_group(group.id, "hi").status_code == 403
    resp = rest_as(dave).answer_group_application(group.id, dave.name, True)
    assert resp.status_code == 403


def test_an_application_needs_no_body(alice, login, make_group, rest_as):
    """POST /chatgroups/{g}/apply without a body (no message): an open public group takes the applicant."""
    dave = login("dave")
    group = make_group(alice, public=True, approval=False)
    resp = rest_as(dave).request("POST", f"/chatgroups/{group.id}/apply")
    assert resp.status_code == 200, resp.text
    assert resp.json()["data"]["joined"] is True
