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
