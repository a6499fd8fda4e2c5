"""Blocking a group's messages for oneself (`shield`, the Web SDK's blockGroupMessage): the member
gets none of them, the rest of the group is unchanged."""
import pytest

from fixtures.groups import assert_not_delivered
from im_client import match

pytestmark = [pytest.mark.group, pytest.mark.owner("jiahao"), pytest.mark.rule("group-shield-drops")]


def test_shielded_member_receives_none_of_the_groups_messages(alice, login, make_group, rest_as):
    """After shield bob gets nothing of the group while carol still does; after unshield he gets new ones."""
    bob, carol = login("bob"), login("carol")
    group = make_group(alice, members=[bob.name, carol.name])
    answer = rest_as(bob).must_shield_group(group.id)
    assert answer == {"result": True, "groupid": group.id, "user": bob.name, "action": "shield"}
    quiet = alice.must_send_group_text(group.id, "bob does not hear this")
    carol.wait_for(match.of(quiet))
    assert_not_delivered(bob, match.of(quiet), f"{group.id}@conference.easemob.com")

    rest_as(bob).must_unshield_group(group.id)
    loud = alice.must_send_group_text(group.id, "bob hears this")
    assert bob.wait_for(match.of(loud)).text == "bob hears this"
    assert not bob.received(match.of(quiet))  # what was sent meanwhile is not kept for him


def test_shielded_member_still_speaks_is_a_member_and_misses_rest_sends(alice, login, make_group, rest_as, admin):
    """Shield is about receiving: bob still sends, stays listed, and a REST send skips him too."""
    bob = login("bob")
    group = make_group(alice, members=[bob.name])
    rest_as(bob).must_shield_group(group.id)
    said = bob.must_send_group_text(group.id, "I can still talk")
    alice.wait_for(match.of(said))
    assert admin.must_is_group_member(group.id, bob.name) is True
    ids = admin.must_send_text_to_groups(group.id, "from the server", sender=alice.name)
    alice.wait_for(match.text("from the server"))
    assert_not_delivered(bob, match.text("from the server"), f"{group.id}@conference.easemob.com")
    assert ids[group.id].isdigit()


def test_shield_needs_a_member_token(alice, make_user, make_group, rest_as, admin):
    stranger = make_user("stranger")
    group = make_group(alice)
    resp = rest_as(stranger).shield_group(group.id)
    assert (resp.status_code, resp.json()["error_description"]) == (
        403, f"users [{stranger.name}] are not members of this group!")
    assert admin.shield_group(group.id).status_code == 400


def test_shield_covers_threads_and_leaves_notifications(alice, login, make_group, rest_as):
    """A shielded thread member gets none of the thread's messages, but still hears of the group's changes."""
    bob, carol = login("bob"), login("carol")
    group = make_group(alice, members=[bob.name, carol.name])
    parent = alice.must_send_group_text(group.id, "start here")
    thread_id = rest_as(alice).must_create_thread(group.id, parent.server_id, "side talk")["thread_id"]
    for member in (bob, carol):
        rest_as(member).must_join_thread(thread_id, member.name)
    rest_as(bob).must_shield_group(group.id)
    sent = alice.must_send_thread_text(thread_id, "in the thread")
    carol.wait_for(match.of(sent))
    assert_not_delivered(bob, match.of(sent), f"{thread_id}@conference.easemob.com")
    rest_as(alice).must_set_group_announcement(group.id, "still told")
    assert bob.wait_for(match.muc("UPDATE_ANNOUNCEMENT", group.id)).payload.reason == "still told"
