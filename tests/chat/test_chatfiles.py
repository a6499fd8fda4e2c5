"""The file service behind media messages (docs/protocol/rest.md §3.3): upload, download with the share-secret,
thumbnails, size limits and unknown files."""
import pytest

from fixtures.media import blob, format_of, jpeg, size_of

pytestmark = [pytest.mark.chat, pytest.mark.owner("caixiangyue")]


@pytest.mark.rule("chatfile-upload-answer")
def test_upload_answers_uuid_secret_and_metadata(make_user):
    """A user's upload answers one chatfile entity with a share-secret and the file's length and type."""
    alice = make_user("alice")
    data = jpeg(32, 24)
    f = alice.rest.with_token(alice.token()).must_upload_chatfile(data, "cat.jpg", "image/jpeg")
    entity = f.body["entities"][0]
    assert (entity["type"], entity["file-metadata"]) == ("chatfile", {"content-type": "image/jpeg",
                                                                      "content-length": len(data)})
    assert f.uuid and f.secret and f.url.endswith(f"/chatfiles/{f.uuid}")


def test_upload_needs_a_token(admin):
    """Without a token the upload is refused with 401 and stores nothing."""
    resp = admin.with_token(None).upload_chatfile(b"x", "x.bin")
    assert resp.status_code == 401 and resp.json()["error"] == "unauthorized"


@pytest.mark.rule("chatfile-upload-answer")
def test_upload_without_a_file_part_is_refused(admin):
    """A multipart body with no `file` part answers 400 illegal_argument."""
    resp = admin.request("POST", "/chatfiles", files=[("other", (None, "nothing"))])
    assert resp.status_code == 400 and resp.json()["error"] == "illegal_argument"


@pytest.mark.rule("chatfile-share-secret")
def test_restricted_file_needs_its_share_secret(admin, make_user):
    """bob downloads alice's restricted file with the secret (header or query), never without or with a wrong one."""
    alice, bob = make_user("alice"), make_user("bob")
    data = blob(3000)
    f = alice.rest.with_token(alice.token()).must_upload_chatfile(data, "a.bin")
    reader = bob.rest.with_token(bob.token())
    assert reader.must_download_chatfile(f, secret=f.secret) == data
    assert reader.must_download_chatfile(f, secret=f.secret, secret_in="query") == data
    for secret in (None, "wrong" + f.secret):
        resp = reader.download_chatfile(f, secret=secret, token=True)
        assert resp.status_code == 403, resp.text
        assert resp.json()["error_description"] == "chatfile no permission"


@pytest.mark.rule("chatfile-share-secret")
def test_unrestricted_file_is_open_to_anyone(admin):
    """A file uploaded without restrict-access downloads without secret or token."""
    data = blob(100)
    f = admin.must_upload_chatfile(data, "open.bin", restricted=False)
    assert admin.with_token(None).must_download_chatfile(f) == data


@pytest.mark.rule("chatfile-share-secret")
def test_a_received_url_with_its_secret_downloads_the_file(admin):
    """The URL the SDK makes of a received message (`?em-redirect=true&share-secret=`) fetches the file without a token."""
    data = blob(500)
    f = admin.must_upload_chatfile(data, "u.bin")
    resp = admin.fetch_url(f"{f.url}?em-redirect=true&share-secret={f.secret}")
    assert resp.status_code == 200 and resp.content == data


@pytest.mark.rule("chatfile-thumbnail")
def test_image_thumbnail_is_a_smaller_image_of_the_same_kind(admin):
    """The thumbnail of a 640 × 480 JPEG is a JPEG within 170 × 170, keeping 4:3, and fewer bytes."""
    data = jpeg(640, 480)
    f = admin.must_upload_chatfile(data, "big.jpg", "image/jpeg")
    thumb = admin.must_download_chatfile(f, secret=f.secret, thumbnail=True)
    assert format_of(thumb) == "JPEG" and size_of(thumb) == (170, 128)
    assert len(thumb) < len(data)
    assert admin.must_download_chatfile(f, secret=f.secret) == data  # the original is kept as it was


@pytest.mark.rule("chatfile-thumbnail")
def test_thumbnail_fits_the_box_the_upload_asks_for(admin):
    """thumbnail-width/-height form fields (as the SDK sends them) set the thumbnail's box."""
    f = admin.must_upload_chatfile(jpeg(400, 400), "sq.jpg", "image/jpeg", thumbnail_width=50, thumbnail_height=80)
    assert size_of(admin.must_download_chatfile(f, secret=f.secret, thumbnail=True)) == (50, 50)


@pytest.mark.rule("chatfile-thumbnail")
def test_video_frame_and_query_thumbnail_follow_the_same_rule(admin):
    """`?thumbnail=true` and `?vframe=true` serve the thumbnail; a non-image serves itself there."""
    image = admin.must_upload_chatfile(jpeg(300, 200), "p.jpg", "image/jpeg")
    for flag in ("thumbnail", "vframe"):
        resp = admin.fetch_url(f"{image.url}?share-secret={image.secret}&{flag}=true")
        assert resp.status_code == 200 and size_of(resp.content) == (170, 113)
    clip = blob(2048)
    video = admin.must_upload_chatfile(clip, "v.mp4", "video/mp4")
    assert admin.must_download_chatfile(video, secret=video.secret, thumbnail=True) == clip


@pytest.mark.rule("chatfile-size-limit")
@pytest.mark.app_config(chatfile_max_size=10_000)
def test_a_file_over_the_limit_is_refused_with_413(admin):
    """Past chatfile_max_size the upload answers 413 file_too_large; a file at the limit is kept."""
    resp = admin.upload_chatfile(blob(10_001), "big.bin")
    assert resp.status_code == 413, resp.text
    assert (resp.json()["error"], resp.json()["error_description"]) == (
        "file_too_large", "file size exceeds the limit of 10000 bytes")
    data = blob(10_000)
    f = admin.must_upload_chatfile(data, "edge.bin")
    assert admin.must_download_chatfile(f, secret=f.secret) == data


@pytest.mark.rule("chatfile-not-found")
def test_unknown_file_is_404(admin):
    """An unknown uuid answers 404 entity_not_found `file may not exists`."""
    resp = admin.download_chatfile("00000000-0000-0000-0000-000000000000")
    assert resp.status_code == 404
    assert (resp.json()["error"], resp.json()["error_description"]) == ("entity_not_found", "file may not exists")


@pytest.mark.parametrize("content_type, body", [
    ("multipart/form-data; boundary=xyz", b"garbage"),
    ("multipart/form-data; boundary=xyz", b'--xyz\r\nContent-Disposition: form-data; name="file"\r\n\r\nabc'),
    ("application/json", b"{}"),
], ids=["no-parts", "unterminated", "not-multipart"])
def test_malformed_upload_is_a_400_and_the_service_stays_up(admin, content_type, body):
    """A body that is not a readable multipart form answers 400 illegal_argument; the next upload works."""
    resp = admin.request("POST", "/chatfiles", data=body, headers={"Content-Type": content_type})
    assert resp.status_code == 400 and resp.json()["error"] == "illegal_argument", resp.text
    assert admin.must_upload_chatfile(b"ok", "ok.txt").uuid
