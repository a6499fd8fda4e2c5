"""Muting in groups (docs/protocol/msync.md §5.3, docs/protocol/rest.md §4.2): member mute with a duration (USER_MUTED
"user muted"), mute-all (BAN_GROUP) and its allow-list, the app-level mute of the groupchat scope."""
import json

import pytest

from im_client import ErrorCode, Reason, match
from im_client.waiting import wait_until

pytestmark = [pytest.mark.group, pytest.mark.owner("jiahao")]

SHORT_MUTE_MS = 1500


def refused_as_muted(ack) -> bool:
    return (ack.code, ack.reason) == (ErrorCode.USER_MUTED, Reason.USER_MUTED)


def refused_by_mute_all(ack) -> bool:
    """Mute-all: FAIL `not in group or chatroom white list` (SDK 506), not USER_MUTED (507, member mute)."""
    return (ack.code, ack.reason) == (ErrorCode.FAIL, Reason.NOT_IN_WHITE_LIST)


@pytest.mark.rule("member-mute-user-muted")
def test_muted_member_cannot_speak_but_still_hears(alice, login, make_group, rest_as):
    bob, carol = login("bob"), login("carol")
    group = make_group(alice, members=[bob.name, carol.name])
    data = rest_as(alice).must_mute_group_members(group.id, bob.name, 60_000)
    assert data[0]["user"] == bob.name and data[0]["result"] is True
    notice = bob.wait_for(match.muc("ADD_MUTE", group.id, user=bob.name))
    assert json.loads(notice.payload.ext)["user_mute_time"] == data[0]["expire"]
    assert refused_as_muted(bob.send_group_text(group.id, "can you hear me?"))
    sent = carol.must_send_group_text(group.id, "bob is muted, not deaf")
    bob.wait_for(match.of(sent))
    assert rest_as(carol).must_group_mutes(group.id) == [{"expire": data[0]["expire"], "user": bob.name}]


def test_mute_ends_by_itself_after_its_duration(alice, login, make_group, rest_as):
    bob = login("bob")
    group = make_group(alice, members=[bob.name])
    rest_as(alice).must_mute_group_members(group.id, bob.name, SHORT_MUTE_MS)
    assert refused_as_muted(bob.send_group_text(group.id, "too early"))
    wait_until(lambda: rest_as(alice).must_group_mutes(group.id) == [], "the mute to run out")
    sent = bob.must_send_group_text(group.id, "I am back")
    alice.wait_for(match.of(sent))


def test_unmute_restores_speech(alice, login, make_group, rest_as):
    bob = login("bob")
    group = make_group(alice, members=[bob.name])
    rest_as(alice).must_mute_group_members(group.id, bob.name, -1)
    assert rest_as(bob).must_group_mute_of(group.id, bob.name)["mute"] is True
    assert refused_as_muted(bob.send_group_text(group.id, "muted for ever?"))
    rest_as(alice).must_unmute_group_members(group.id, bob.name)
    bob.wait_for(match.muc("REMOVE_MUTE", group.id, user=bob.name))
    bob.must_send_group_text(group.id, "not for ever")


def test_mute_refusals(alice, make_user, make_group, rest_as):
    bob, stranger = make_user("bob"), make_user("stranger")
    group = make_group(alice, members=[bob])
    resp = rest_as(alice).mute_group_members(group.id, alice.name, 1000)
    assert (resp.status_code, resp.json()["error_description"]) == (403, "forbidden operation on group owner!")
    resp = rest_as(alice).mute_group_members(group.id, stranger.name, 1000)
    assert (resp.status_code, resp.json()["error_description"]) == (
        403, f"users [{stranger.name}] are not members of this group!")
    assert rest_as(bob).mute_group_members(group.id, alice.name, 1000).status_code == 403


@pytest.mark.rule("group-mute-all-not-in-white-list")
def test_mute_all_leaves_only_owner_admins_and_allow_list_speaking(alice, login, make_group, rest_as):
    bob, carol, dave = login("bob"), login("carol"), login("dave")
    group = make_group(alice, members=[bob.name, carol.name, dave.name])
    rest_as(alice).must_add_group_admin(group.id, bob.name)
    rest_as(alice).must_allow_group_members(group.id, carol.name)
    assert rest_as(alice).must_mute_all_group(group.id) == {"mute": True}
    dave.wait_for(match.muc("BAN_GROUP", group.id))
    assert refused_by_mute_all(dave.send_group_text(group.id, "hello?"))
    for speaker in (alice, bob, carol):
        sent = speaker.must_send_group_text(group.id, f"{speaker.name} may speak")
        dave.wait_for(match.of(sent))
    assert rest_as(dave).must_get_group(group.id)[0]["mute"] is True


@pytest.mark.rule("group-mute-all-not-in-white-list")
def test_unmute_all_lets_everyone_speak_again(alice, login, make_group, rest_as):
    bob = login("bob")
    group = make_group(alice, members=[bob.name])
    rest_as(alice).must_mute_all_group(group.id)
    assert refused_by_mute_all(bob.send_group_text(group.id, "muted"))
    assert rest_as(alice).must_unmute_all_group(group.id) == {"mute": False}
    bob.wait_for(match.muc("REMOVE_BAN_GROUP", group.id))
    bob.must_send_group_text(group.id, "free again")


@pytest.mark.rule("mute-survives-rejoin", "group-send-check-order")
def test_allow_list_does_not_override_a_member_mute(alice, login, make_group, rest_as):
    bob = login("bob")
    group = make_group(alice, members=[bob.name])
    rest_as(alice).must_allow_group_members(group.id, [bob.name])
    bob.wait_for(match.muc("ADD_USER_WHITE_LIST", group.id, user=bob.name))
    rest_as(alice).must_mute_group_members(group.id, bob.name, 60_000)
    assert refused_as_muted(bob.send_group_text(group.id, "I am on the list"))
    assert rest_as(alice).must_group_allow_list(group.id) == [bob.name]
    rest_as(alice).must_disallow_group_members(group.id, bob.name)
    bob.wait_for(match.muc("REMOVE_USER_WHITE_LIST", group.id, user=bob.name))
    assert rest_as(alice).must_group_allow_list(group.id) == []


def test_allow_list_takes_members_only(alice, make_user, make_group, rest_as):
    stranger = make_user("stranger")
    group = make_group(alice)
    resp = rest_as(alice).allow_group_members(group.id, stranger.name)
    assert (resp.status_code, resp.json()["error_description"]) == (
        403, f"users [{stranger.name}] are not members of this group!")


@pytest.mark.rule("global-mute-permission-denied", "group-send-check-order")
def test_global_groupchat_mute_applies_in_groups(alice, login, make_group, admin):
    """The app-level mute of the groupchat scope: PERMISSION_DENIED "user is mute" (SDK 219)."""
    bob = login("bob")
    group = make_group(alice, members=[bob.name])
    admin.must_mute_user(bob.name, groupchat=60)
    ack = bob.send_group_text(group.id, "muted by the app")
    assert (ack.code, ack.reason) == (ErrorCode.PERMISSION_DENIED, Reason.GLOBAL_MUTE)
    bob.must_send_text(alice.name, "1:1 is another scope")
    admin.must_unmute_user(bob.name)
    bob.must_send_group_text(group.id, "unmuted by the app")


def test_a_members_mute_state_reads_back_with_its_expiry(make_user, make_group, rest_as):
    """GET /sdk/chatgroups/{g}/mute/{u} (the SDK's isInGroupMutelist): a muted member's answer carries the
    mute's end, as the mute call answered it; an unmuted member's is mute false, expire 0."""
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    group = make_group(alice, members=[bob, carol])
    as_alice = rest_as(alice)
    (muted,) = as_alice.must_mute_group_members(group.id, bob.name, 60_000)

    def state(name: str) -> dict:
        return as_alice.must_request("GET", f"/sdk/chatgroups/{group.id}/mute/{name}")["data"]

    assert state(bob.name) == {"userid": bob.name, "mute": True, "expire": muted["expire"]}
    assert state(carol.name) == {"userid": carol.name, "mute": False, "expire": 0}
