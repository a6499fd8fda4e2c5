"""The contact list: the app-token add, removal, remarks and the paged list (the Web SDK's
getContacts, getAllContacts, getContactsWithCursor, setContactRemark, deleteContact)."""
import pytest

from im_client import match

pytestmark = [pytest.mark.contact, pytest.mark.owner("xinbo")]


@pytest.mark.rule("contact-notices")
def test_admin_add_tells_both_sides(alice, bob, admin):
    """POST /users/{a}/contacts/users/{b} makes a friendship at once; both hear ACCEPT."""
    entity = admin.must_add_contact(alice.name, bob.name)[0]
    assert entity["username"] == bob.name
    alice.wait_for(match.roster("ACCEPT", bob.name))
    bob.wait_for(match.roster("ACCEPT", alice.name))
    assert admin.must_contacts(bob.name) == [alice.name]


@pytest.mark.rule("contact-notices")
def test_removal_reaches_the_contact_and_the_removers_other_devices(alice, bob, login, admin, make_user):
    """The removed contact hears REMOVE, so does the remover's second device, never the acting one."""
    alice_phone = login(alice.user)
    carol = make_user("carol")
    admin.must_add_contact(alice.name, bob.name)
    bob.wait_for(match.roster("ACCEPT", alice.name))
    admin.with_token(alice.user.token()).must_remove_contact(alice.name, bob.name, resource=alice.resource)
    bob.wait_for(match.roster("REMOVE", alice.name))
    alice_phone.wait_for(match.roster("REMOVE", bob.name))
    # the system queue is ordered: once the acting device has the later ACCEPT, a REMOVE would be there
    admin.must_add_contact(alice.name, carol.name)
    alice.wait_for(match.roster("ACCEPT", carol.name))
    assert not alice.received(match.roster("REMOVE"))
    assert admin.must_contacts(alice.name) == [carol.name] and admin.must_contacts(bob.name) == []


@pytest.mark.rule("contact-rest-errors")
def test_removing_a_stranger_is_refused(alice, bob, admin):
    """DELETE of someone who is not a contact answers 400 illegal_argument."""
    resp = admin.with_token(alice.user.token()).remove_contact(alice.name, bob.name)
    assert (resp.status_code, resp.json()["error"]) == (400, "illegal_argument")


@pytest.mark.rule("contact-remark-limit")
def test_remark_is_kept_per_side(alice, bob, admin):
    """Each side keeps its own remark; 100 characters fit, 101 do not, and a stranger has none."""
    admin.must_add_contact(alice.name, bob.name)
    as_alice = admin.with_token(alice.user.token())
    as_alice.must_set_contact_remark(alice.name, bob.name, "b" * 100)
    assert as_alice.must_contact_remarks(alice.name) == {bob.name: "b" * 100}
    assert admin.must_contact_remarks(bob.name) == {alice.name: ""}
    too_long = as_alice.set_contact_remark(alice.name, bob.name, "b" * 101)
    not_typed = as_alice.set_contact_remark(alice.name, bob.name, 7)
    assert (too_long.status_code, not_typed.status_code) == (400, 400)
    admin.must_remove_contact(alice.name, bob.name)
    stranger = as_alice.set_contact_remark(alice.name, bob.name, "gone")
    assert (stranger.status_code, stranger.json()["error"]) == (400, "illegal_argument")


@pytest.mark.rule("contact-page-cursor")
def test_paged_list_walks_every_contact_once(alice, make_user, admin):
    """Pages of 2 over 5 contacts: 2 + 2 + 1, in name order, the last page without a cursor."""
    friends = make_user.many(5, "friend")
    for friend in friends:
        admin.must_add_contact(alice.name, friend.name)
    first = admin.must_contacts_page(alice.name, 2)
    assert len(first["contacts"]) == 2 and first["cursor"]
    assert admin.must_all_contacts_paged(alice.name, 2) == sorted(f.name for f in friends)
    for bad in (0, 51, "x"):
        assert admin.contacts_page(alice.name, bad).status_code == 400


def test_deleted_user_leaves_every_list(alice, bob, admin, make_user):
    """Deleting a user drops it from its contacts' lists and from block lists."""
    carol = make_user("carol")
    admin.must_add_contact(alice.name, carol.name)
    admin.must_block_users(bob.name, [carol.name])
    admin.must_delete_user(carol.name)
    assert admin.must_contacts(alice.name) == [] and admin.must_blocks(bob.name) == []
