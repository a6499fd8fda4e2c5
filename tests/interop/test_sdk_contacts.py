"""Contacts and block lists between the Web SDK and im_client: the SDK's contact API (REST) and its
onContactInvited / onContactAgreed / onContactRefuse / onContactDeleted / onContactAdded events
(ROSTER metas, docs/protocol/msync.md §1.4)."""
import pytest

from im_client import Reason, match
from im_e2e.interop.sdk_driver import sdk_event

pytestmark = [pytest.mark.interop, pytest.mark.contact, pytest.mark.owner("xinbo")]

PERMISSION_DENIED = 603  # SDK error type of FAIL "blocked" (docs/protocol/msync.md §6.1)


@pytest.mark.rule("contact-notices")
def test_sdk_invites_and_im_client_accepts(sdk_login, login, admin):
    """addContact reaches the im_client user as ROSTER ADD; its accept fires onContactAgreed."""
    alice, bob = sdk_login("alice"), login("bob")
    alice.call("addContact", bob.name, "from the browser")
    assert bob.wait_for(match.roster("ADD", alice.name)).payload.reason == "from the browser"
    admin.with_token(bob.user.token()).must_accept_contact(bob.name, alice.name)
    alice.wait_for(sdk_event("onContactAgreed", **{"from": bob.name, "to": alice.name}))
    assert alice.call("getContacts")["data"] == [bob.name]


@pytest.mark.rule("contact-notices")
def test_im_client_invites_and_sdk_accepts_or_declines(sdk_login, login, admin):
    """The SDK hears onContactInvited with the reason; acceptContactInvite fires its onContactAdded,
    declineContactInvite reaches the applicant as REMOTE_DECLINE."""
    alice, bob, carol = sdk_login("alice"), login("bob"), login("carol")
    admin.with_token(bob.user.token()).must_apply_contact(bob.name, alice.name, "hello")
    alice.wait_for(sdk_event("onContactInvited", **{"from": bob.name, "status": "hello"}))
    alice.call("acceptContactInvite", bob.name)
    alice.wait_for(sdk_event("onContactAdded", **{"from": bob.name}))
    bob.wait_for(match.roster("REMOTE_ACCEPT", alice.name))
    admin.with_token(carol.user.token()).must_apply_contact(carol.name, alice.name)
    alice.wait_for(sdk_event("onContactInvited", **{"from": carol.name}))
    alice.call("declineContactInvite", carol.name)
    carol.wait_for(match.roster("REMOTE_DECLINE", alice.name))
    assert admin.must_contacts(alice.name) == [bob.name]


def test_sdk_delete_remark_and_lists(sdk_login, login, admin):
    """deleteContact fires the peer's REMOVE; setContactRemark shows in getAllContacts."""
    alice, bob = sdk_login("alice"), login("bob")
    admin.must_add_contact(alice.name, bob.name)
    alice.wait_for(sdk_event("onContactAdded", **{"from": bob.name}))
    alice.call("setContactRemark", {"userId": bob.name, "remark": "Bobby"})
    assert alice.call("getAllContacts")["data"] == [{"userId": bob.name, "remark": "Bobby"}]
    page = alice.call("getContactsWithCursor", {"pageSize": 10})["data"]
    assert page == {"cursor": "", "contacts": [{"userId": bob.name, "remark": "Bobby"}]}
    alice.call("deleteContact", bob.name)
    bob.wait_for(match.roster("REMOVE", alice.name))
    assert admin.must_contacts(bob.name) == []


def test_im_client_removal_fires_on_contact_deleted(sdk_login, login, admin):
    """An im_client user removing the SDK user fires the SDK's onContactDeleted."""
    alice, bob = sdk_login("alice"), login("bob")
    admin.must_add_contact(alice.name, bob.name)
    admin.with_token(bob.user.token()).must_remove_contact(bob.name, alice.name)
    alice.wait_for(sdk_event("onContactDeleted", **{"from": bob.name}))


@pytest.mark.rule("block-refuses-fail-blocked")
def test_sdk_block_list_refuses_and_restores(sdk_login, login):
    """addUsersToBlocklist: the blocked im_client user is refused "blocked"; getBlocklist lists it;
    removeUserFromBlocklist lets the next message through to the SDK."""
    alice, bob = sdk_login("alice"), login("bob")
    alice.call("addUsersToBlocklist", {"name": [bob.name]})
    assert bob.name in alice.call("getBlocklist")["data"]
    assert bob.send_text(alice.name, "let me in").reason == Reason.BLOCKED
    alice.call("removeUserFromBlocklist", {"name": bob.name})
    sent = bob.must_send_text(alice.name, "thanks")
    alice.wait_for(sdk_event("onTextMessage", id=str(sent.server_id)))


@pytest.mark.rule("block-refuses-fail-blocked")
def test_sdk_sender_blocked_by_im_client_user_gets_603(sdk_login, login, admin):
    """The SDK's send to a user who blocked it rejects with PERMISSION_DENIED (603)."""
    alice, bob = sdk_login("alice"), login("bob")
    admin.with_token(bob.user.token()).must_block_users(bob.name, [alice.name])
    refused = alice.send_text(bob.name, "hello?")
    assert (refused.ok, refused.error.type) == (False, PERMISSION_DENIED)
