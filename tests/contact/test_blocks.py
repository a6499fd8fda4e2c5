"""Block lists (/users/{u}/blocks/users and the Web SDK's /sdk/user/{u}/blocks): a blocked user's
1:1 messages are refused with FAIL "blocked" (docs/protocol/msync.md §6.1, SDK 603) until unblocked."""
import pytest

from im_client import ErrorCode, Reason, match

pytestmark = [pytest.mark.contact, pytest.mark.owner("xinbo")]


@pytest.mark.rule("block-refuses-fail-blocked")
def test_blocked_sender_is_refused_until_unblocked(alice, bob, admin):
    """bob blocks alice: her message is refused and never delivered; after unblocking the next one arrives."""
    as_bob = admin.with_token(bob.user.token())
    assert as_bob.must_block_users(bob.name, [alice.name]) == [alice.name]
    assert as_bob.must_blocks(bob.name) == [alice.name]
    ack = alice.send_text(bob.name, "can you hear me")
    assert (ack.code, ack.reason) == (ErrorCode.FAIL, Reason.BLOCKED)
    assert as_bob.must_unblock_user(bob.name, alice.name)[0]["username"] == alice.name
    after = alice.must_send_text(bob.name, "now?")
    # one queue, in order: had the refused message been queued it would come first
    assert bob.wait_for(match.sender(alice.name)).id == after.server_id
    assert as_bob.must_blocks(bob.name) == []


@pytest.mark.rule("block-one-way")
def test_blocker_may_still_message_the_blocked_user(alice, bob, admin):
    """Blocking stops messages towards the blocker only."""
    admin.must_block_users(bob.name, [alice.name])
    sent = bob.must_send_text(alice.name, "I can still talk to you")
    alice.wait_for(match.of(sent))


@pytest.mark.rule("block-keeps-contact")
def test_blocking_a_contact_keeps_the_contact(alice, bob, admin):
    """A blocked contact stays on the contact list, and is refused all the same."""
    admin.must_add_contact(alice.name, bob.name)
    admin.must_block_users(bob.name, [alice.name])
    assert admin.must_contacts(bob.name) == [alice.name]
    assert alice.send_text(bob.name, "friends?").reason == Reason.BLOCKED


def test_sdk_block_path_blocks_and_unblocks(alice, bob, admin):
    """The SDK's POST/DELETE /sdk/user/{u}/blocks with {"usernames"} act on the same list."""
    as_bob = admin.with_token(bob.user.token())
    assert as_bob.must_sdk_block_users(bob.name, [alice.name]) == [alice.name]
    assert alice.send_text(bob.name, "blocked?").reason == Reason.BLOCKED
    as_bob.must_sdk_unblock_users(bob.name, [alice.name])
    bob.wait_for(match.of(alice.must_send_text(bob.name, "unblocked")))


@pytest.mark.rule("rest-send-bypasses-checks")
def test_rest_send_ignores_the_block_list(alice, bob, admin):
    """REST sends do not check block lists (docs/protocol/rest.md §3.1)."""
    admin.must_block_users(bob.name, [alice.name])
    admin.must_send_text_to_users(bob.name, "by the server", sender=alice.name)
    bob.wait_for(match.text("by the server"))


@pytest.mark.rule("block-keeps-contact", "contact-rest-errors")
def test_bad_block_requests_are_refused(alice, bob, admin):
    """Unknown users 404, oneself or a body without usernames 400, over 500 names 400; the list stays empty."""
    as_bob = admin.with_token(bob.user.token())
    unknown = as_bob.block_users(bob.name, [bob.name + "-nobody"])
    assert (unknown.status_code, unknown.json()["error"]) == (404, "service_resource_not_found")
    assert as_bob.block_users(bob.name, [bob.name]).status_code == 400
    assert as_bob.request("POST", f"/users/{bob.name}/blocks/users", json_body={"usernames": "x"}).status_code == 400
    assert as_bob.block_users(bob.name, [f"u{i}" for i in range(501)]).status_code == 400
    assert as_bob.must_blocks(bob.name) == []
