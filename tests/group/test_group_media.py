"""Group media messages over msync (docs/protocol/msync.md §4.2): every member gets the file, location or combined
message as sent and downloads the file from the URL it carries."""
import pytest

from im_client import match
from im_client.media import content_of, parse_combined, received_url
from im_client.messages import Content, decode_meta
from im_client.rest_storage import conversation_queue

from fixtures.media import blob, jpeg, size_of

pytestmark = [pytest.mark.group, pytest.mark.owner("jiahao")]


@pytest.mark.rule("media-bodies-as-sent", "chatfile-thumbnail")
def test_group_image_reaches_every_member_with_its_thumbnail(make_user, make_group, transport):
    """bob and carol get the IMAGE; each downloads the image and a 170-px thumbnail with the message's secret."""
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    group = make_group(alice, members=[bob, carol])
    sender, devices = alice.login(transport), [bob.login(transport), carol.login(transport)]
    data = jpeg(340, 340)
    sent, f = sender.must_send_image(group.id, data, "g.jpg", width=340, height=340, content_type="image/jpeg",
                                     chat_type="groupchat")
    for device in devices:
        got = device.wait_for(match.of(sent))
        content = content_of(got)
        assert (got.kind, content.type, content.remotePath, content.secretKey) == (
            "groupchat", Content.IMAGE, f.url, f.secret)
        rest = device.files_rest()
        assert rest.fetch_url(received_url(content)).content == data
        assert size_of(rest.fetch_url(received_url(content, thumbnail=True)).content) == (170, 170)


@pytest.mark.rule("media-bodies-as-sent")
def test_group_file_audio_video_and_location(make_user, make_group, transport):
    """Each kind arrives with its own fields; the group's history keeps them."""
    alice, bob = make_user("alice"), make_user("bob")
    group = make_group(alice, members=[bob])
    sender, receiver = alice.login(transport), bob.login(transport)
    kw = {"chat_type": "groupchat"}
    sends = [sender.must_send_file(group.id, blob(900), "spec.txt", content_type="text/plain", **kw)[0],
             sender.must_send_audio(group.id, blob(700), "v.amr", duration=2, **kw)[0],
             sender.must_send_video(group.id, blob(2000), "c.mp4", duration=5, **kw)[0],
             sender.must_send_location(group.id, 31.23, 121.47, "The Bund", **kw)]
    kinds = [content_of(receiver.wait_for(match.of(s))).type for s in sends]
    assert kinds == [Content.FILE, Content.VOICE, Content.VIDEO, Content.LOCATION]
    history = {m.id: content_of(m) for m in receiver.files_rest().must_history(bob.name, conversation_queue(group=group.id))}
    assert [history[s.server_id].type for s in sends] == kinds
    assert history[sends[2].server_id].duration == 5 and history[sends[3].server_id].address == "The Bund"


@pytest.mark.rule("media-bodies-as-sent")
def test_group_combined_message_forwards_a_conversation(make_user, make_group, transport):
    """A combined message forwarded into the group carries the 1:1 messages in its file."""
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    group = make_group(alice, members=[carol])
    alice_device, bob_device, carol_device = alice.login(transport), bob.login(transport), carol.login(transport)
    said = bob_device.must_send_text(alice.name, "meet at 5")
    forwarded = alice_device.wait_for(match.of(said))
    sent, _ = alice_device.must_send_combined(group.id, [forwarded], title="from bob", summary="bob: meet at 5",
                                              chat_type="groupchat")
    got = content_of(carol_device.wait_for(match.of(sent)))
    (inner,) = parse_combined(carol_device.files_rest().fetch_url(received_url(got)).content)
    message = decode_meta(inner, "combined")
    assert (message.sender, message.text, message.id) == (bob.name, "meet at 5", said.server_id)
