"""Room media and room shared files between the Web SDK and im_client: the SDK's room image and location reach
im_client members, im_client's room image reaches the SDK member, and the SDK's room shared-file calls work."""
import pytest
import requests

from im_client import match
from im_client.media import content_of, received_url
from im_client.messages import Content
from im_e2e.interop.sdk_driver import sdk_event
from im_e2e.interop.sdk_media import must_send_location, must_send_media, shared_upload

from fixtures.media import blob, png

pytestmark = [pytest.mark.interop, pytest.mark.chatroom, pytest.mark.owner("yifan")]


@pytest.mark.rule("media-bodies-as-sent")
def test_sdk_room_image_and_location_reach_im_client(sdk_login, login, make_room):
    """The SDK member's image and location reach bob in the room as sent; the image downloads."""
    alice, bob = sdk_login("alice"), login("bob")
    room = make_room(bob)
    bob.must_join_room(room.id)
    alice.call("joinChatRoom", {"roomId": room.id})
    data = png(30, 20)
    image = must_send_media(alice, "img", room.id, data, "r.png", "image/png", chat_type="chatroom", width=30, height=20)
    place = must_send_location(alice, room.id, 1.25, 103.8, "Marina", chat_type="chatroom")
    got_image, got_place = content_of(bob.wait_for(match.of(image))), content_of(bob.wait_for(match.of(place)))
    assert (got_image.type, got_place.type, got_place.address) == (Content.IMAGE, Content.LOCATION, "Marina")
    assert bob.files_rest().fetch_url(received_url(got_image)).content == data


@pytest.mark.rule("media-bodies-as-sent")
def test_im_client_room_image_reaches_the_sdk(sdk_login, login, make_room):
    """bob's room image arrives at the SDK's onImageMessage (chatType chatRoom), and its url downloads it."""
    alice, bob = sdk_login("alice"), login("bob")
    room = make_room(bob)
    bob.must_join_room(room.id)
    alice.call("joinChatRoom", {"roomId": room.id})
    data = png(40, 40)
    sent, f = bob.must_send_image(room.id, data, "b.png", width=40, height=40, chat_type="chatroom")
    event = alice.wait_for(sdk_event("onImageMessage", id=str(sent.server_id)))
    assert (event["chatType"], event["to"], event["secret"], event["width"]) == ("chatRoom", room.id, f.secret, 40)
    assert requests.get(event["url"], timeout=10).content == data


@pytest.mark.rule("shared-files-rules")
def test_sdk_room_shared_files_upload_list_delete(sdk_login, login, make_room):
    """uploadChatRoomSharedFile, then getChatRoomSharedFilelist lists it for bob too, deleteChatRoomSharedFile
    removes it; bob (present) hears UPLOAD_FILE and DELETE_FILE."""
    alice, bob = sdk_login("alice"), login("bob")
    room = make_room(alice.user, members=[bob.name])
    bob.must_join_room(room.id)
    alice.call("joinChatRoom", {"roomId": room.id})
    data = blob(600)
    answer = shared_upload(alice, "uploadChatRoomSharedFile", roomId=room.id, data=data, name="r.txt")
    file_id = answer["data"]["file_id"]
    bob.wait_for(match.room_event("UPLOAD_FILE", room.id, by=alice.name))
    listed = alice.call("getChatRoomSharedFilelist", {"roomId": room.id})
    assert [(f["file_id"], f["file_owner"], f["file_size"]) for f in listed["data"]] == [(file_id, alice.name, len(data))]
    assert bob.files_rest().must_download_chatroom_file(room.id, file_id) == data
    alice.call("deleteChatRoomSharedFile", {"roomId": room.id, "fileId": file_id})
    bob.wait_for(match.room_event("DELETE_FILE", room.id, by=alice.name))
    assert bob.files_rest().must_chatroom_files(room.id) == []
