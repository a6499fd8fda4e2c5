"""One-to-one media between the Web SDK and im_client, both ways: the SDK uploads (`POST /chatfiles` with
restrict-access) and sends image, file, audio, video, location and combined messages; it receives im_client's
with URLs that download with the share-secret they carry."""
import pytest
import requests

from im_client import match
from im_client import media
from im_client.media import content_of, parse_combined, received_url
from im_client.rest_files import ChatFile
from im_client.messages import Content, decode_meta
from im_e2e.interop.sdk_driver import sdk_event
from im_e2e.interop.sdk_media import must_send_combined, must_send_location, must_send_media

from fixtures.media import blob, jpeg, size_of

pytestmark = [pytest.mark.interop, pytest.mark.chat, pytest.mark.owner("caixiangyue")]

# SDK type, Content type, extra create() fields
KINDS = {
    "img": (Content.IMAGE, {"width": 320, "height": 240}),
    "file": (Content.FILE, {}),
    "audio": (Content.VOICE, {"length": 6}),
    "video": (Content.VIDEO, {"length": 8}),
}
EVENTS = {"img": "onImageMessage", "file": "onFileMessage", "audio": "onAudioMessage", "video": "onVideoMessage"}


def _file_of(content: Content) -> ChatFile:
    url = content.remotePath.split("?")[0]
    return ChatFile(url.rsplit("/", 1)[1], content.secretKey, url, content.fileLength, {})


def _as_im_client_builds(kind: str, got: Content, extra: dict) -> Content:
    """The Content im_client builds for the same file and fields."""
    f, name, length = _file_of(got), got.displayName, got.fileLength
    return {"img": lambda: media.image_content(f, name, length, width=extra.get("width", 0),
                                               height=extra.get("height", 0)),
            "file": lambda: media.file_content(f, name, length),
            "audio": lambda: media.audio_content(f, name, length, duration=extra.get("length", 0)),
            "video": lambda: media.video_content(f, name, length, duration=extra.get("length", 0))}[kind]()


@pytest.mark.rule("media-bodies-as-sent", "chatfile-share-secret")
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_sdk_media_reaches_im_client_with_a_downloadable_file(sdk_login, login, kind):
    """The SDK uploads, then sends; bob gets the Content the SDK built and downloads the same bytes with its secret."""
    alice, bob = sdk_login("alice"), login("bob")
    data = jpeg(320, 240) if kind == "img" else blob(5000)
    content_type, extra = KINDS[kind]
    sent = must_send_media(alice, kind, bob.name, data, f"thing.{kind}", "image/jpeg" if kind == "img" else "", **extra)
    got = content_of(bob.wait_for(match.of(sent)))
    assert (got.type, got.displayName, got.fileLength) == (content_type, f"thing.{kind}", len(data))
    assert "/chatfiles/" in got.remotePath and got.secretKey
    assert got == _as_im_client_builds(kind, got, extra)  # im_client lays the Content out field for field alike
    rest = bob.files_rest()
    assert rest.fetch_url(received_url(got)).content == data
    assert rest.download_chatfile(got.remotePath.rsplit("/", 1)[1]).status_code == 403  # restricted: the SDK asked
    if kind == "img":
        assert (got.size.width, got.size.height) == (320, 240)
        assert size_of(rest.fetch_url(received_url(got, thumbnail=True)).content) == (170, 128)
    if kind in ("audio", "video"):
        assert got.duration == extra["length"]
    if kind == "video":
        assert got.thumbnailRemotePath == f"{got.remotePath}?vframe=true"


@pytest.mark.rule("media-bodies-as-sent", "chatfile-thumbnail")
def test_im_client_image_reaches_the_sdk_with_url_and_thumbnail(sdk_login, login):
    """The SDK's onImageMessage has the size, the secret, and url/thumb that download the image and its thumbnail."""
    alice, bob = sdk_login("alice"), login("bob")
    data = jpeg(400, 200)
    sent, f = bob.must_send_image(alice.name, data, "wide.jpg", width=400, height=200, content_type="image/jpeg")
    event = alice.wait_for(sdk_event("onImageMessage", id=str(sent.server_id)))
    assert (event["from"], event["width"], event["height"], event["secret"], event["file_length"]) == (
        bob.name, 400, 200, f.secret, len(data))
    assert requests.get(event["url"], timeout=10).content == data
    assert size_of(requests.get(event["thumb"], timeout=10).content) == (170, 85)


@pytest.mark.rule("media-bodies-as-sent")
@pytest.mark.parametrize("kind", ["file", "audio", "video"])
def test_im_client_file_audio_video_reach_the_sdk(sdk_login, login, kind):
    """Each arrives at its SDK event with a URL that downloads the bytes (and the duration for audio and video)."""
    alice, bob = sdk_login("alice"), login("bob")
    data = blob(3000)
    send = {"file": lambda: bob.must_send_file(alice.name, data, "f.bin"),
            "audio": lambda: bob.must_send_audio(alice.name, data, "a.amr", duration=4),
            "video": lambda: bob.must_send_video(alice.name, data, "v.mp4", duration=9)}[kind]
    sent, f = send()
    event = alice.wait_for(sdk_event(EVENTS[kind], id=str(sent.server_id)))
    assert (event["type"], event["filename"], event["secret"]) == (kind, {"file": "f.bin", "audio": "a.amr",
                                                                          "video": "v.mp4"}[kind], f.secret)
    assert requests.get(event["url"], timeout=10).content == data
    if kind != "file":
        assert event["length"] == {"audio": 4, "video": 9}[kind]


@pytest.mark.rule("media-bodies-as-sent")
def test_location_both_ways(sdk_login, login):
    """The SDK's loc reaches bob as LOCATION; bob's LOCATION reaches the SDK's onLocationMessage."""
    alice, bob = sdk_login("alice"), login("bob")
    sent = must_send_location(alice, bob.name, 39.9, 116.4, "Beijing", buildingName="Hall")
    got = content_of(bob.wait_for(match.of(sent)))
    assert (got.type, got.latitude, got.longitude, got.address, got.buildingName) == (
        Content.LOCATION, 39.9, 116.4, "Beijing", "Hall")
    assert got == media.location_content(39.9, 116.4, "Beijing", "Hall")
    back = bob.must_send_location(alice.name, 31.2, 121.5, "Shanghai", "Tower")
    event = alice.wait_for(sdk_event("onLocationMessage", id=str(back.server_id)))
    assert (event["lat"], event["lng"], event["addr"], event["buildingName"]) == (31.2, 121.5, "Shanghai", "Tower")


@pytest.mark.rule("media-bodies-as-sent")
def test_sdk_combined_message_is_read_by_im_client(sdk_login, login):
    """The SDK forwards two messages it got as one combined message; bob parses both out of its file."""
    alice, bob = sdk_login("alice"), login("bob")
    said = [bob.must_send_text(alice.name, "one"), bob.must_send_text(alice.name, "two")]
    received = [alice.wait_for(sdk_event("onTextMessage", id=str(s.server_id))) for s in said]
    sent = must_send_combined(alice, bob.name, received, title="ours", summary="bob: one", compatible_text="[2]")
    got = content_of(bob.wait_for(match.of(sent)))
    assert (got.type, got.subType, got.title, got.summary, got.text, got.combineLevel) == (
        Content.TEXT, Content.SUBTYPE_COMBINE, "ours", "bob: one", "[2]", 1)
    assert got.displayName == str(sent.local_id)  # the SDK names the file after the message
    assert got == media.combined_content(_file_of(got), got.displayName, got.fileLength, title="ours",
                                         summary="bob: one", compatible_text="[2]", level=1)
    inner = [decode_meta(m, "combined") for m in parse_combined(bob.files_rest().fetch_url(received_url(got)).content)]
    assert [(m.sender, m.text) for m in inner] == [(bob.name, "one"), (bob.name, "two")]


@pytest.mark.rule("media-bodies-as-sent")
def test_im_client_combined_message_is_parsed_by_the_sdk(sdk_login, login, make_user, transport):
    """bob forwards carol's messages to the SDK user; the SDK's downloadAndParseCombineMessage gives them back."""
    alice, bob = sdk_login("alice"), login("bob")
    carol = make_user("carol").login(transport)
    said = carol.must_send_text(bob.name, "from carol")
    sent, _ = bob.must_send_combined(alice.name, [bob.wait_for(match.of(said))], title="fw", summary="carol: …")
    event = alice.wait_for(sdk_event("onCombineMessage", id=str(sent.server_id)))
    assert (event["title"], event["summary"], event["combineLevel"]) == ("fw", "carol: …", 1)
    messages = alice.call("downloadAndParseCombineMessage", {"url": event["url"], "secret": event["secret"]})
    assert [(m["from"], m["msg"]) for m in messages] == [(carol.name, "from carol")]
