"""Group media and group shared files between the Web SDK and im_client: the SDK's group image reaches im_client
members, im_client's group file reaches the SDK member, and the SDK's shared-file calls (upload, list, download,
delete) work on files either side put there."""
import pytest
import requests

from im_client import match
from im_client.media import content_of, received_url
from im_client.messages import Content
from im_e2e.interop.sdk_driver import sdk_event
from im_e2e.interop.sdk_media import must_send_media, shared_download, shared_upload

from fixtures.media import blob, jpeg

pytestmark = [pytest.mark.interop, pytest.mark.group, pytest.mark.owner("jiahao")]


@pytest.mark.rule("media-bodies-as-sent")
def test_sdk_group_image_reaches_im_client_members(make_user, sdk_login, make_group, transport):
    """The SDK member's image reaches every im_client member as GROUPCHAT IMAGE, and downloads."""
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    group = make_group(alice, members=[bob, carol])
    sdk = sdk_login(alice)
    devices = [bob.login(transport), carol.login(transport)]
    data = jpeg(200, 100)
    sent = must_send_media(sdk, "img", group.id, data, "g.jpg", "image/jpeg", chat_type="groupchat",
                           width=200, height=100)
    for device in devices:
        got = device.wait_for(match.of(sent))
        content = content_of(got)
        assert (got.kind, got.to, content.type, content.size.width) == ("groupchat", group.id, Content.IMAGE, 200)
        assert device.files_rest().fetch_url(received_url(content)).content == data


@pytest.mark.rule("media-bodies-as-sent")
def test_im_client_group_file_reaches_the_sdk_member(make_user, sdk_login, make_group, transport):
    """bob's group file arrives at the SDK's onFileMessage (chatType groupChat) with a URL that downloads it."""
    alice, bob = make_user("alice"), make_user("bob")
    group = make_group(bob, members=[alice])
    sdk, sender = sdk_login(alice), bob.login(transport)
    data = blob(2222)
    sent, f = sender.must_send_file(group.id, data, "minutes.txt", content_type="text/plain", chat_type="groupchat")
    event = sdk.wait_for(sdk_event("onFileMessage", id=str(sent.server_id)))
    assert (event["chatType"], event["to"], event["filename"], event["secret"]) == (
        "groupChat", group.id, "minutes.txt", f.secret)
    assert requests.get(event["url"], timeout=10).content == data


@pytest.mark.rule("shared-files-rules")
def test_sdk_uploads_a_shared_file_that_im_client_lists_and_downloads(make_user, sdk_login, make_group, rest_as,
                                                                      transport):
    """uploadGroupSharedFile answers the file's data; bob (im_client) hears UPLOAD_FILE, lists and downloads it."""
    alice, bob = make_user("alice"), make_user("bob")
    group = make_group(alice, members=[bob])
    sdk, watcher = sdk_login(alice), bob.login(transport)
    data = blob(1800)
    answer = shared_upload(sdk, "uploadGroupSharedFile", groupId=group.id, data=data, name="deck.pdf",
                           content_type="application/pdf")
    assert (answer["data"]["file_name"], answer["data"]["file_size"]) == ("deck.pdf", len(data))
    watcher.wait_for(match.muc("UPLOAD_FILE", group.id))
    listed = rest_as(bob).must_group_files(group.id)
    assert [(f["file_id"], f["file_owner"]) for f in listed] == [(answer["data"]["file_id"], alice.name)]
    assert rest_as(bob).must_download_group_file(group.id, answer["data"]["file_id"]) == data


@pytest.mark.rule("shared-files-rules")
def test_sdk_lists_downloads_and_deletes_a_file_im_client_shared(make_user, sdk_login, make_group, rest_as):
    """getGroupSharedFilelist shows bob's file, downloadGroupSharedFile gives its bytes, deleteGroupSharedFile
    (the SDK user owns the group) removes it, and the SDK hears uploadFile."""
    alice, bob = make_user("alice"), make_user("bob")
    group = make_group(alice, members=[bob])
    sdk = sdk_login(alice)
    data = blob(900)
    file_id = rest_as(bob).must_upload_group_file(group.id, data, "bob.txt", "text/plain")["file_id"]
    sdk.wait_for(sdk_event("onGroupEvent", operation="uploadFile"))
    listed = sdk.call("getGroupSharedFilelist", {"groupId": group.id, "pageNum": 1, "pageSize": 10})
    assert [(f["file_id"], f["file_name"], f["file_owner"], f["file_size"]) for f in listed["data"]] == [
        (file_id, "bob.txt", bob.name, len(data))]
    assert shared_download(sdk, "downloadGroupSharedFile", groupId=group.id, fileId=file_id) == data
    deleted = sdk.call("deleteGroupSharedFile", {"groupId": group.id, "fileId": file_id})
    assert deleted["data"]["result"] is True
    assert rest_as(bob).must_group_files(group.id) == []
