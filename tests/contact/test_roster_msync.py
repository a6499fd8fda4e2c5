"""Contact operations over msync (ROSTER namespace upstream, docs/protocol/msync.md §1.4): the same operations
and notices as the REST routes, acked like any meta."""
import pytest

from im_client import ErrorCode, Reason, match

pytestmark = [pytest.mark.contact, pytest.mark.owner("xinbo")]


@pytest.mark.rule("roster-upstream-ops", "contact-notices")
def test_add_accept_and_list_over_msync(alice, bob, admin):
    """ADD reaches bob with its reason, his ACCEPT tells alice, and GET_ROSTER lists each other."""
    alice.must_roster("ADD", bob.name, reason="over msync")
    assert bob.wait_for(match.roster("ADD", alice.name)).payload.reason == "over msync"
    bob.must_roster("ACCEPT", alice.name)
    alice.wait_for(match.roster("REMOTE_ACCEPT", bob.name))
    assert alice.must_roster_list() == [bob.name] and bob.must_roster_list() == [alice.name]
    assert admin.must_contacts(alice.name) == [bob.name]


@pytest.mark.rule("roster-upstream-ops", "block-refuses-fail-blocked")
def test_ban_and_allow_over_msync(alice, bob):
    """BAN puts alice on bob's block list (GET_BLACKLIST) and refuses her; ALLOW lets her through again."""
    bob.must_roster("BAN", alice.name)
    assert bob.must_roster_list("GET_BLACKLIST") == [alice.name]
    assert alice.send_text(bob.name, "blocked?").reason == Reason.BLOCKED
    bob.must_roster("ALLOW", alice.name)
    bob.wait_for(match.of(alice.must_send_text(bob.name, "allowed")))
    assert bob.must_roster_list("GET_BLACKLIST") == []


@pytest.mark.rule("roster-upstream-ops")
def test_remove_and_decline_over_msync(alice, bob, admin):
    """REMOVE ends a friendship (bob hears it); DECLINE answers an application with REMOTE_DECLINE."""
    admin.must_add_contact(alice.name, bob.name)
    alice.must_roster("REMOVE", bob.name)
    bob.wait_for(match.roster("REMOVE", alice.name))
    bob.must_roster("ADD", alice.name)
    alice.wait_for(match.roster("ADD", bob.name))
    alice.must_roster("DECLINE", bob.name)
    bob.wait_for(match.roster("REMOTE_DECLINE", alice.name))
    assert alice.must_roster_list() == []


@pytest.mark.rule("roster-upstream-ops")
def test_bad_roster_metas_are_refused(alice, bob):
    """An unknown user: FAIL "username … doesn't exist!"; no target or a server-only operation:
    WRONG_PARAMETER; accepting without an application: FAIL."""
    ghost = alice.name + "-nobody"
    ack = alice.roster("ADD", ghost)
    assert (ack.code, ack.reason) == (ErrorCode.FAIL, f"username {ghost} doesn't exist!")
    for ack in (alice.roster("ADD"), alice.roster("REMOTE_ACCEPT", bob.name)):
        assert (ack.code, ack.reason) == (ErrorCode.WRONG_PARAMETER, Reason.BAD_PAYLOAD)
    assert alice.roster("ACCEPT", bob.name).code == ErrorCode.FAIL
