"""Room media messages over msync (docs/protocol/msync.md §4.2): the members present get the file, location or
combined message as sent, with the room's priority tag, and download the file from its URL."""
import pytest

from im_client import match
from im_client.media import content_of, parse_combined, received_url
from im_client.messages import Content, decode_meta

from fixtures.media import blob, png, size_of

pytestmark = [pytest.mark.chatroom, pytest.mark.owner("yifan")]


def _present(room, *members):
    for member in members:
        member.must_join_room(room.id)


@pytest.mark.rule("media-bodies-as-sent", "chatfile-thumbnail")
def test_room_image_reaches_present_members(alice, login, make_room):
    """bob gets the IMAGE alice posts in the room, downloads it, and its thumbnail is the image itself (it is small)."""
    bob = login("bob")
    room = make_room(alice)
    _present(room, alice, bob)
    data = png(60, 40)
    sent, f = alice.must_send_image(room.id, data, "s.png", width=60, height=40, chat_type="chatroom")
    got = bob.wait_for(match.of(sent))
    content = content_of(got)
    assert (got.kind, content.type, content.remotePath, content.size.width) == ("chatroom", Content.IMAGE, f.url, 60)
    rest = bob.files_rest()
    assert rest.fetch_url(received_url(content)).content == data
    assert size_of(rest.fetch_url(received_url(content, thumbnail=True)).content) == (60, 40)


@pytest.mark.rule("media-bodies-as-sent")
def test_room_file_audio_video_location_keep_their_priority(alice, login, make_room):
    """Each kind arrives as sent, tagged with the priority it was sent at."""
    bob = login("bob")
    room = make_room(alice)
    _present(room, alice, bob)
    kw = {"chat_type": "chatroom", "priority": "high"}
    sends = [alice.must_send_file(room.id, blob(300), "r.txt", content_type="text/plain", **kw)[0],
             alice.must_send_audio(room.id, blob(300), "r.amr", duration=4, **kw)[0],
             alice.must_send_video(room.id, blob(900), "r.mp4", duration=9, **kw)[0],
             alice.must_send_location(room.id, 22.54, 114.05, "Futian", **kw)]
    got = [bob.wait_for(match.of(s)) for s in sends]
    assert [content_of(m).type for m in got] == [Content.FILE, Content.VOICE, Content.VIDEO, Content.LOCATION]
    assert {m.meta_ext.get("chatroom_msg_tag").value for m in got} == {0}
    assert content_of(got[2]).duration == 9 and content_of(got[3]).address == "Futian"


@pytest.mark.rule("media-bodies-as-sent")
def test_room_combined_message(alice, login, make_room):
    """A combined message posted in the room carries the forwarded message in its file."""
    bob, carol = login("bob"), login("carol")
    room = make_room(alice)
    _present(room, alice, carol)
    said = bob.must_send_text(alice.name, "see you")
    sent, _ = alice.must_send_combined(room.id, [alice.wait_for(match.of(said))], title="t", summary="s",
                                       chat_type="chatroom")
    got = content_of(carol.wait_for(match.of(sent)))
    (inner,) = parse_combined(carol.files_rest().fetch_url(received_url(got)).content)
    assert decode_meta(inner, "combined").text == "see you"
