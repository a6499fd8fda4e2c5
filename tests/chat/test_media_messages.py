"""1:1 media messages over msync (docs/protocol/msync.md §4.2): the file is uploaded, the message names it, the
peer gets the Content exactly as the SDK builds it and downloads the file from the URL it carries."""
import pytest

from im_client import match
from im_client.media import content_of, parse_combined, received_url
from im_client.messages import Body, Content, decode_meta
from im_client.rest_storage import conversation_queue

from fixtures.media import blob, jpeg, png, size_of

pytestmark = [pytest.mark.chat, pytest.mark.owner("caixiangyue")]


@pytest.mark.rule("media-bodies-as-sent", "chatfile-share-secret")
def test_image_reaches_the_peer_with_its_file_and_thumbnail(alice, bob):
    """bob gets IMAGE with name, URL, secret, length and size; the URL gives him the image and its thumbnail."""
    data = jpeg(400, 300)
    sent, f = alice.must_send_image(bob.name, data, "cat.jpg", width=400, height=300, content_type="image/jpeg")
    got = content_of(bob.wait_for(match.of(sent)))
    assert (got.type, got.displayName, got.remotePath, got.secretKey, got.fileLength) == (
        Content.IMAGE, "cat.jpg", f.url, f.secret, len(data))
    assert (got.size.width, got.size.height, got.thumbnailDisplayName) == (400, 300, "cat.jpg")
    rest = bob.files_rest()
    assert rest.fetch_url(received_url(got)).content == data
    assert size_of(rest.fetch_url(received_url(got, thumbnail=True)).content) == (170, 128)


@pytest.mark.rule("media-bodies-as-sent")
def test_file_audio_and_video_carry_their_fields(alice, bob):
    """FILE, VOICE (duration) and VIDEO (duration, vframe thumbnail) arrive as sent, and their bytes download."""
    doc, voice, clip = blob(1500), blob(800), blob(4000)
    file_sent, _ = alice.must_send_file(bob.name, doc, "notes.pdf", content_type="application/pdf")
    audio_sent, _ = alice.must_send_audio(bob.name, voice, "hello.amr", duration=3)
    video_sent, vf = alice.must_send_video(bob.name, clip, "clip.mp4", duration=7)
    got_file = content_of(bob.wait_for(match.of(file_sent)))
    got_audio = content_of(bob.wait_for(match.of(audio_sent)))
    got_video = content_of(bob.wait_for(match.of(video_sent)))
    assert (got_file.type, got_file.displayName, got_file.fileLength) == (Content.FILE, "notes.pdf", len(doc))
    assert (got_audio.type, got_audio.duration, got_audio.fileLength) == (Content.VOICE, 3, len(voice))
    assert (got_video.type, got_video.duration) == (Content.VIDEO, 7)
    assert (got_video.thumbnailRemotePath, got_video.thumbnailSecretKey) == (f"{vf.url}?vframe=true", vf.secret)
    rest = bob.files_rest()
    for content, data in ((got_file, doc), (got_audio, voice), (got_video, clip)):
        assert rest.fetch_url(received_url(content)).content == data


@pytest.mark.rule("media-bodies-as-sent")
def test_location_arrives_with_coordinates_and_building(alice, bob):
    """LOCATION carries latitude, longitude, address and building name."""
    sent = alice.must_send_location(bob.name, 39.9042, 116.4074, "Tiananmen", "Gate 1")
    got = content_of(bob.wait_for(match.of(sent)))
    assert (got.type, got.latitude, got.longitude, got.address, got.buildingName) == (
        Content.LOCATION, 39.9042, 116.4074, "Tiananmen", "Gate 1")


@pytest.mark.rule("media-bodies-as-sent")
def test_combined_message_forwards_the_messages_in_its_file(alice, bob, make_user, transport):
    """alice forwards two messages she got to carol as one combined message; carol reads both out of its file."""
    carol = make_user("carol").login(transport)
    first = bob.must_send_text(alice.name, "first")
    second = bob.must_send_location(alice.name, 1.5, 2.5, "here")
    forwarded = [alice.wait_for(match.of(first)), alice.wait_for(match.of(second))]
    sent, f = alice.must_send_combined(carol.name, forwarded, title="bob and alice", summary="bob: first")
    got = content_of(carol.wait_for(match.of(sent)))
    assert (got.type, got.subType, got.title, got.summary, got.combineLevel) == (
        Content.TEXT, Content.SUBTYPE_COMBINE, "bob and alice", "bob: first", 1)
    inner = [decode_meta(meta, "combined") for meta in parse_combined(carol.files_rest().fetch_url(received_url(got)).content)]
    assert [(m.sender, m.id) for m in inner] == [(bob.name, first.server_id), (bob.name, second.server_id)]
    assert inner[0].text == "first" and content_of(inner[1]).address == "here"


@pytest.mark.rule("media-bodies-as-sent")
def test_offline_peer_and_history_get_the_image(alice, make_user, admin, transport):
    """An image sent while bob is away reaches his later login, and both histories hold it unchanged."""
    bob = make_user("bob")
    sent, f = alice.must_send_image(bob.name, png(), "dot.png", width=64, height=48)
    device = bob.login(transport)
    assert content_of(device.wait_for(match.of(sent))).remotePath == f.url
    for owner, peer in ((alice.name, bob.name), (bob.name, alice.name)):
        (stored,) = [m for m in admin.must_history(owner, conversation_queue(peer)) if m.id == sent.server_id]
        assert content_of(stored) == Body.FromString(sent.meta.payload).contents[0]


@pytest.mark.rule("media-bodies-as-sent")
def test_senders_other_device_gets_the_media_copy(make_user, login, transport):
    """alice's second device gets a copy of the file message sent from her first."""
    alice = make_user("alice")
    phone, laptop = alice.login(transport, resource="py_phone"), alice.login(transport, resource="py_laptop")
    bob = login("bob")
    sent, f = phone.must_send_file(bob.name, blob(64), "a.txt", content_type="text/plain")
    assert content_of(laptop.wait_for(match.of(sent))).remotePath == f.url
    bob.wait_for(match.of(sent))


@pytest.mark.rule("media-bodies-as-sent")
def test_rest_sent_image_and_video_name_the_uploaded_files(admin, bob, make_user):
    """POST /messages/users with img and video bodies naming uploaded files: bob gets IMAGE and VIDEO that download."""
    alice = make_user("alice")
    picture, clip = jpeg(100, 50), blob(1234)
    image_file = admin.must_upload_chatfile(picture, "r.jpg", "image/jpeg")
    video_file = admin.must_upload_chatfile(clip, "r.mp4", "video/mp4")
    image_id = admin.must_send_to_users(bob.name, "img", {"url": image_file.url, "filename": "r.jpg",
                                                          "secret": image_file.secret,
                                                          "size": {"width": 100, "height": 50}}, sender=alice.name)
    video_id = admin.must_send_to_users(bob.name, "video", {"url": video_file.url, "filename": "r.mp4",
                                                            "secret": video_file.secret, "length": 3,
                                                            "file_length": len(clip),
                                                            "thumb": f"{video_file.url}?vframe=true",
                                                            "thumb_secret": video_file.secret}, sender=alice.name)
    image = content_of(bob.wait_for(match.message_id(int(image_id[bob.name]))))
    video = content_of(bob.wait_for(match.message_id(int(video_id[bob.name]))))
    assert (image.type, image.displayName, image.size.width, image.size.height) == (Content.IMAGE, "r.jpg", 100, 50)
    assert (video.type, video.duration, video.fileLength, video.thumbnailSecretKey) == (
        Content.VIDEO, 3, len(clip), video_file.secret)
    rest = bob.files_rest()
    assert rest.fetch_url(received_url(image)).content == picture
    assert rest.fetch_url(received_url(video)).content == clip
