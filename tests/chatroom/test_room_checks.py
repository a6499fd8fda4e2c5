"""The SDK's single-user checks of a room's lists: `GET /chatrooms/{r}/white/users/{u}`
(isInChatRoomAllowlist) and `GET /sdk/chatrooms/{r}/mute/{u}` (isInChatRoomMutelist)."""
import pytest


pytestmark = [pytest.mark.chatroom, pytest.mark.owner("yifan")]


def test_allow_list_check_follows_the_list(alice, login, admin, make_room):
    """false before, true once allow-listed, false again after removal."""
    bob = login("bob")
    room = make_room(alice, members=[bob.name])
    assert admin.must_chatroom_allows(room.id, bob.name) is False
    admin.must_allow_chatroom_users(room.id, bob.name)
    assert admin.must_chatroom_allows(room.id, bob.name) is True
    admin.must_disallow_chatroom_users(room.id, bob.name)
    assert admin.must_chatroom_allows(room.id, bob.name) is False


def test_mute_check_gives_the_end_of_the_mute(alice, login, admin, make_room):
    """{userid, mute: false, expire: 0} unmuted; mute: true with the mute's end while muted; -1 when permanent."""
    bob, carol = login("bob"), login("carol")
    room = make_room(alice, members=[bob.name, carol.name])
    assert admin.must_chatroom_mute_of(room.id, bob.name) == {"userid": bob.name, "mute": False, "expire": 0}
    admin.must_mute_chatroom_members(room.id, bob.name, 60_000)
    admin.must_mute_chatroom_members(room.id, carol.name, -1)
    muted = admin.must_chatroom_mute_of(room.id, bob.name)
    assert muted["mute"] is True and muted["expire"] > 0
    assert admin.must_chatroom_mute_of(room.id, carol.name)["expire"] == -1


def test_checks_of_an_unknown_room_are_404(admin, alice):
    for resp in (admin.chatroom_allows("999999999", alice.name), admin.chatroom_mute_of("999999999", alice.name)):
        assert (resp.status_code, resp.json()["error"]) == (404, "resource_not_found")
