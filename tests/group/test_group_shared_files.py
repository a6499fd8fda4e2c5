"""Group shared files (docs/protocol/rest.md §5.4): members upload, list, download; the uploader, owner and admins
delete; the other members are told UPLOAD_FILE and DELETE_FILE."""
import pytest

from im_client import match

from fixtures.media import blob

pytestmark = [pytest.mark.group, pytest.mark.owner("jiahao"), pytest.mark.rule("shared-files-rules")]


def test_member_uploads_and_everyone_lists_and_downloads(make_user, make_group, rest_as, transport):
    """bob's upload answers its file data; alice is told UPLOAD_FILE, lists it and downloads the same bytes."""
    alice, bob = make_user("alice"), make_user("bob")
    group = make_group(alice, members=[bob])
    watcher = alice.login(transport)
    data = blob(2500)
    shared = rest_as(bob).must_upload_group_file(group.id, data, "plan.txt", "text/plain")
    assert (shared["group_id"], shared["file_name"], shared["file_size"]) == (group.id, "plan.txt", len(data))
    assert shared["file_url"].endswith(f"/chatgroups/{group.id}/share_files/{shared['file_id']}")
    watcher.wait_for(match.muc("UPLOAD_FILE", group.id))
    listed = rest_as(alice).must_group_files(group.id)
    assert [(f["file_id"], f["file_name"], f["file_owner"], f["file_size"]) for f in listed] == [
        (shared["file_id"], "plan.txt", bob.name, len(data))]
    assert rest_as(alice).must_download_group_file(group.id, shared["file_id"]) == data


def test_list_pages_oldest_first(admin, make_user, make_group):
    """pagenum/pagesize page the files in upload order."""
    alice = make_user("alice")
    group = make_group(alice)
    ids = [admin.must_upload_group_file(group.id, blob(10), f"f{n}.bin")["file_id"] for n in range(3)]
    assert [f["file_id"] for f in admin.must_group_files(group.id, pagenum=1, pagesize=2)] == ids[:2]
    assert [f["file_id"] for f in admin.must_group_files(group.id, pagenum=2, pagesize=2)] == ids[2:]


def test_stranger_may_not_upload_list_or_download(make_user, make_group, rest_as, admin):
    """A non-member is refused 403 forbidden_op everywhere."""
    alice, mallory = make_user("alice"), make_user("mallory")
    group = make_group(alice)
    file_id = admin.must_upload_group_file(group.id, blob(10), "x.bin")["file_id"]
    stranger = rest_as(mallory)
    for resp in (stranger.upload_group_file(group.id, b"x", "y.bin"), stranger.group_files(group.id),
                 stranger.download_group_file(group.id, file_id), stranger.delete_group_file(group.id, file_id)):
        assert resp.status_code == 403 and resp.json()["error"] == "forbidden_op", resp.text


def test_uploader_and_owner_delete_others_may_not(make_user, make_group, rest_as, transport):
    """carol may not delete bob's file; bob deletes his own, alice (the owner) carol's; members hear DELETE_FILE."""
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    group = make_group(alice, members=[bob, carol])
    watcher = alice.login(transport)
    bobs = rest_as(bob).must_upload_group_file(group.id, blob(10), "b.bin")["file_id"]
    carols = rest_as(carol).must_upload_group_file(group.id, blob(10), "c.bin")["file_id"]
    refused = rest_as(carol).delete_group_file(group.id, bobs)
    assert refused.status_code == 403 and refused.json()["error"] == "forbidden_op"
    assert rest_as(bob).must_delete_group_file(group.id, bobs) == {"group_id": group.id, "file_id": bobs, "result": True}
    rest_as(alice).must_delete_group_file(group.id, carols)
    watcher.wait_for(match.muc("DELETE_FILE", group.id))
    assert rest_as(alice).must_group_files(group.id) == []
    gone = rest_as(alice).download_group_file(group.id, bobs)
    assert gone.status_code == 404 and gone.json()["error"] == "entity_not_found"


@pytest.mark.rule("chatfile-not-found")
def test_shared_file_is_not_served_as_a_chat_file(admin, make_user, make_group):
    """GET /chatfiles/{file_id} of a group's shared file answers 404: it is read through its group."""
    group = make_group(make_user("alice"))
    file_id = admin.must_upload_group_file(group.id, blob(10), "x.bin")["file_id"]
    assert admin.download_chatfile(file_id).status_code == 404


def _assert_gone(admin, storage, group_id: str, file_ids: list[str]) -> None:
    """Each file's row and bytes were deleted with the group; neither download path finds it."""
    for file_id in file_ids:
        storage.wait_for_event(kind="group.file_deleted", group=group_id, file=file_id, why="destroyed")
        through_group = admin.download_group_file(group_id, file_id)
        assert (through_group.status_code, through_group.json()["error"]) == (404, "resource_not_found")
        direct = admin.download_chatfile(file_id)
        assert (direct.status_code, direct.json()["error"], direct.json()["error_description"]) == (
            404, "entity_not_found", "file may not exists")


@pytest.mark.rule("shared-files-end-with-their-holder")
def test_destroying_the_group_deletes_its_shared_files(make_user, make_group, rest_as, admin, storage):
    """Two files of a destroyed group are gone: deleted, and 404 on every download path."""
    alice, bob = make_user("alice"), make_user("bob")
    group = make_group(alice, members=[bob])
    ids = [rest_as(user).must_upload_group_file(group.id, blob(50), f"{user.name}.bin")["file_id"]
           for user in (alice, bob)]
    rest_as(alice).must_destroy_group(group.id)
    _assert_gone(admin, storage, group.id, ids)


@pytest.mark.rule("shared-files-end-with-their-holder")
def test_deleting_the_owner_deletes_the_shared_files_of_the_groups_it_owned(make_user, make_group, rest_as, admin,
                                                                             storage):
    """alice's group ends with her account, and its files with it; the group she only joined keeps its own."""
    alice, bob = make_user("alice"), make_user("bob")
    owned, joined = make_group(alice, members=[bob]), make_group(bob, members=[alice])
    owned_file = rest_as(bob).must_upload_group_file(owned.id, blob(50), "x.bin")["file_id"]
    kept = rest_as(alice).must_upload_group_file(joined.id, blob(50), "y.bin")["file_id"]
    admin.must_delete_user(alice.name)
    _assert_gone(admin, storage, owned.id, [owned_file])
    assert [f["file_id"] for f in admin.must_group_files(joined.id)] == [kept]
