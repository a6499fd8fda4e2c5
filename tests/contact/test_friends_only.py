"""The console's friend check for 1:1 (app setting friends_only_chat, off by default): a message to
a user who is not a contact is refused with FAIL "nonroster" (docs/protocol/msync.md §6.1, SDK 221)."""
import pytest

from im_client import ErrorCode, Reason, match

pytestmark = [pytest.mark.contact, pytest.mark.owner("xinbo")]


@pytest.mark.rule("friends-only-nonroster")
def test_strangers_may_chat_by_default(alice, bob):
    """Without the friend check, no contact is needed."""
    bob.wait_for(match.of(alice.must_send_text(bob.name, "hello stranger")))


@pytest.mark.rule("friends-only-nonroster")
@pytest.mark.app_config(friends_only_chat=True)
def test_friend_check_refuses_strangers_and_lets_contacts_through(alice, bob, admin):
    """A stranger is refused nonroster; once contacts, the message is delivered; after removal refused again."""
    ack = alice.send_text(bob.name, "hello stranger")
    assert (ack.code, ack.reason) == (ErrorCode.FAIL, Reason.NONROSTER)
    admin.must_add_contact(alice.name, bob.name)
    bob.wait_for(match.of(alice.must_send_text(bob.name, "hello friend")))
    admin.must_remove_contact(bob.name, alice.name)
    assert alice.send_text(bob.name, "still there?").reason == Reason.NONROSTER


@pytest.mark.rule("friends-only-rest")
@pytest.mark.app_config(friends_only_chat=True)
def test_friend_check_holds_for_rest_sends_from_a_user(alice, bob, make_user, admin):
    """A REST send from alice reaches her contact carol; bob's entry says nonroster and he gets nothing;
    the default sender admin is not a user and is not checked."""
    carol = make_user("carol")
    admin.must_add_contact(alice.name, carol.name)
    ids = admin.must_send_text_to_users([bob.name, carol.name], "from the server", sender=alice.name)
    assert ids[bob.name] == Reason.NONROSTER and ids[carol.name].isdigit()
    from_admin = admin.must_send_text_to_users(bob.name, "notice")
    # alice's message, had it been queued, was queued and announced to bob before the admin's
    bob.wait_for(match.message_id(int(from_admin[bob.name])))
    assert not bob.received(match.sender(alice.name))


@pytest.mark.rule("friends-only-rest")
def test_rest_sends_need_no_contact_by_default(alice, bob, admin):
    ids = admin.must_send_text_to_users(bob.name, "hello", sender=alice.name)
    bob.wait_for(match.message_id(int(ids[bob.name])))
