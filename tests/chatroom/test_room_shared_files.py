"""Chatroom shared files (docs/protocol/rest.md §6.4): members upload, list, download; the uploader, owner and
admins delete; the members present are told UPLOAD_FILE and DELETE_FILE."""
import pytest

from im_client import match

from fixtures.media import blob

pytestmark = [pytest.mark.chatroom, pytest.mark.owner("yifan"), pytest.mark.rule("shared-files-rules")]


def test_member_upload_is_listed_downloaded_and_announced(alice, login, make_room, admin):
    """bob's upload answers chatroom_id and file data; alice (present) hears UPLOAD_FILE; both list and download it."""
    bob = login("bob")
    room = make_room(alice, members=[bob])
    alice.must_join_room(room.id)
    data = blob(1200)
    shared = bob.files_rest().must_upload_chatroom_file(room.id, data, "slides.pdf", "application/pdf")
    assert (shared["chatroom_id"], shared["file_name"], shared["file_size"]) == (room.id, "slides.pdf", len(data))
    alice.wait_for(match.room_event("UPLOAD_FILE", room.id, by=bob.name))
    listed = alice.files_rest().must_chatroom_files(room.id)
    assert [(f["file_id"], f["file_owner"], f["file_size"]) for f in listed] == [(shared["file_id"], bob.name, len(data))]
    assert alice.files_rest().must_download_chatroom_file(room.id, shared["file_id"]) == data


def test_stranger_is_refused(alice, login, make_room, admin):
    """A user who is not in the room may not upload, list, download or delete."""
    mallory = login("mallory")
    room = make_room(alice)
    file_id = admin.must_upload_chatroom_file(room.id, blob(10), "x.bin")["file_id"]
    rest = mallory.files_rest()
    for resp in (rest.upload_chatroom_file(room.id, b"x", "y.bin"), rest.chatroom_files(room.id),
                 rest.download_chatroom_file(room.id, file_id), rest.delete_chatroom_file(room.id, file_id)):
        assert resp.status_code == 403 and resp.json()["error"] == "forbidden_op", resp.text


def test_delete_by_uploader_or_owner_and_not_by_others(alice, login, make_room):
    """carol may not delete bob's file; bob may; alice (owner) deletes carol's; DELETE_FILE reaches the present."""
    bob, carol = login("bob"), login("carol")
    room = make_room(alice, members=[bob, carol])
    alice.must_join_room(room.id)
    bobs = bob.files_rest().must_upload_chatroom_file(room.id, blob(10), "b.bin")["file_id"]
    carols = carol.files_rest().must_upload_chatroom_file(room.id, blob(10), "c.bin")["file_id"]
    assert carol.files_rest().delete_chatroom_file(room.id, bobs).status_code == 403
    assert bob.files_rest().must_delete_chatroom_file(room.id, bobs) == {"chatroom_id": room.id, "file_id": bobs,
                                                                         "result": True}
    alice.wait_for(match.room_event("DELETE_FILE", room.id, by=bob.name))
    alice.files_rest().must_delete_chatroom_file(room.id, carols)
    assert alice.files_rest().must_chatroom_files(room.id) == []


@pytest.mark.rule("chatfile-size-limit")
@pytest.mark.app_config(chatfile_max_size=1000)
def test_shared_file_over_the_limit_is_refused(alice, make_room, admin):
    """The file service's size limit holds for shared files: 413, and nothing is listed."""
    room = make_room(alice)
    resp = admin.upload_chatroom_file(room.id, blob(1001), "big.bin")
    assert resp.status_code == 413 and resp.json()["error"] == "file_too_large"
    assert admin.must_chatroom_files(room.id) == []


def _assert_gone(admin, storage, room_id: str, file_id: str) -> None:
    """The file's row and bytes were deleted with the room; neither download path finds it."""
    storage.wait_for_event(kind="chatroom.file_deleted", room=room_id, file=file_id, why="destroyed")
    through_room = admin.download_chatroom_file(room_id, file_id)
    assert (through_room.status_code, through_room.json()["error"]) == (404, "resource_not_found")
    direct = admin.download_chatfile(file_id)
    assert (direct.status_code, direct.json()["error"], direct.json()["error_description"]) == (
        404, "entity_not_found", "file may not exists")


@pytest.mark.rule("shared-files-end-with-their-holder")
def test_destroying_the_room_deletes_its_shared_files(alice, make_room, admin, storage):
    room = make_room(alice)
    file_id = alice.files_rest().must_upload_chatroom_file(room.id, blob(50), "slides.pdf")["file_id"]
    admin.must_delete_chatroom(room.id)
    _assert_gone(admin, storage, room.id, file_id)


@pytest.mark.rule("shared-files-end-with-their-holder")
def test_deleting_the_owner_deletes_the_shared_files_of_the_rooms_it_owned(make_user, make_room, admin, storage):
    owner = make_user("owner")
    room = make_room(owner)
    file_id = admin.must_upload_chatroom_file(room.id, blob(50), "notes.txt")["file_id"]
    admin.must_delete_user(owner.name)
    _assert_gone(admin, storage, room.id, file_id)
