"""Contact applications (the Web SDK's addContact / acceptContactInvite / declineContactInvite over
REST) and the ROSTER notices both sides get (docs/protocol/msync.md §1.4; who gets what: rule contact-notices)."""
import pytest

from im_client import match

pytestmark = [pytest.mark.contact, pytest.mark.owner("xinbo")]


@pytest.mark.rule("contact-notices")
def test_accepted_application_makes_both_contacts(alice, bob, admin):
    """bob is asked with the reason, alice hears the accept, and both list each other."""
    admin.with_token(alice.user.token()).must_apply_contact(alice.name, bob.name, "let us talk")
    invite = bob.wait_for(match.roster("ADD", alice.name))
    assert invite.payload.reason == "let us talk" and invite.payload.to[0].name == bob.name
    admin.with_token(bob.user.token()).must_accept_contact(bob.name, alice.name)
    alice.wait_for(match.roster("REMOTE_ACCEPT", bob.name))
    bob.wait_for(match.roster("ACCEPT", alice.name))
    assert admin.must_contacts(alice.name) == [bob.name]
    assert admin.must_contacts(bob.name) == [alice.name]


@pytest.mark.rule("contact-notices")
def test_declined_application_leaves_no_contact(alice, bob, admin):
    """The applicant hears REMOTE_DECLINE and neither side lists the other."""
    admin.with_token(alice.user.token()).must_apply_contact(alice.name, bob.name)
    bob.wait_for(match.roster("ADD", alice.name))
    admin.with_token(bob.user.token()).must_decline_contact(bob.name, alice.name, resource=bob.resource)
    alice.wait_for(match.roster("REMOTE_DECLINE", bob.name))
    assert admin.must_contacts(alice.name) == [] and admin.must_contacts(bob.name) == []


@pytest.mark.rule("contact-rest-errors")
def test_accept_without_application_is_refused(alice, bob, admin):
    """Accepting or declining someone who never asked is 400; so is asking oneself."""
    as_bob = admin.with_token(bob.user.token())
    for resp in (as_bob.accept_contact(bob.name, alice.name), as_bob.decline_contact(bob.name, alice.name),
                 as_bob.apply_contact(bob.name, bob.name)):
        assert (resp.status_code, resp.json()["error"]) == (400, "illegal_argument")
    assert admin.must_contacts(bob.name) == []


@pytest.mark.rule("contact-rest-errors")
def test_application_to_unknown_user_is_not_found(alice, admin):
    """Asking a user who does not exist answers 404 service_resource_not_found."""
    resp = admin.with_token(alice.user.token()).apply_contact(alice.name, alice.name + "-nobody")
    assert (resp.status_code, resp.json()["error"]) == (404, "service_resource_not_found")


@pytest.mark.rule("contact-notices")
def test_offline_invitee_gets_the_application_at_login(alice, make_user, admin, transport):
    """An application to a user with no device waits on the system queue until the first login."""
    bob = make_user("bob")
    admin.with_token(alice.user.token()).must_apply_contact(alice.name, bob.name, "when you are back")
    device = bob.login(transport)
    assert device.wait_for(match.roster("ADD", alice.name)).payload.reason == "when you are back"


def test_other_user_cannot_answer_for_the_invitee(alice, bob, login, admin):
    """Only the invitee's own token (or the app token) may accept its applications."""
    mallory = login("mallory")
    admin.with_token(alice.user.token()).must_apply_contact(alice.name, bob.name)
    resp = admin.with_token(mallory.user.token()).accept_contact(bob.name, alice.name)
    assert resp.status_code == 401
    assert admin.must_contacts(alice.name) == []
