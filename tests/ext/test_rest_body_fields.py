"""The other fields of a REST send body (docs/protocol/rest.md §3.1) as tables: each type's body and the
Content a receiving device gets for it (optional fields of the wrong JSON type left out), every malformed
field with its exact 400, the recipient limit at and one over, and what `routetype` changes."""
import pytest

from im_client import match
from im_client.messages import Content
from im_client.ext import encode_kv
from im_wire import pb

pytestmark = [pytest.mark.ext, pytest.mark.owner("caixiangyue")]

URL = "https://files.example/org/app/chatfiles/0f0e-uuid"  # not checked (media-bodies-as-sent)


def _strings(pairs: dict) -> list:
    return [encode_kv(k, v) for k, v in pairs.items()]


def _content(kind, **fields):
    exts = fields.pop("customExts", None)
    size = fields.pop("size", None)
    c = Content(type=kind, **fields)
    if exts:
        c.customExts.extend(_strings(exts))
    if size:
        c.size.width, c.size.height = size
    return c


SIXTEEN = {f"k{n:02d}": f"v{n}" for n in range(16)}
# name -> (type, body, the Content bob's device gets)
DELIVERED = {
    "txt": ("txt", {"msg": "hi"}, _content(Content.TEXT, text="hi")),
    "cmd-with-java-param": ("cmd", {"action": "refresh", "param": {"k": "v"}},
                            _content(Content.COMMAND, action="refresh")),
    "custom-event-and-exts": ("custom", {"customEvent": "gift/rose-1.x_y", "customExts": {"a": "1", "b": ""}},
                              _content(Content.CUSTOM, customEvent="gift/rose-1.x_y",
                                       customExts={"a": "1", "b": ""})),
    "custom-event-of-32": ("custom", {"customEvent": "e" * 32}, _content(Content.CUSTOM, customEvent="e" * 32)),
    "custom-no-event-no-exts": ("custom", {"customExts": {}}, _content(Content.CUSTOM)),
    "custom-null-exts": ("custom", {"customEvent": "poll", "customExts": None},
                         _content(Content.CUSTOM, customEvent="poll")),
    "custom-16-exts": ("custom", {"customExts": SIXTEEN}, _content(Content.CUSTOM, customExts=SIXTEEN)),
    "loc-numbers": ("loc", {"lat": 39.9, "lng": -116.4, "addr": "Beijing"},
                    _content(Content.LOCATION, latitude=39.9, longitude=-116.4, address="Beijing")),
    "loc-strings": ("loc", {"lat": "39.9", "lng": "0"},
                    _content(Content.LOCATION, latitude=39.9, longitude=0.0, address="")),
    "img": ("img", {"url": URL, "filename": "a.jpg", "secret": "s3", "size": {"width": 100, "height": 50}},
            _content(Content.IMAGE, remotePath=URL, displayName="a.jpg", secretKey="s3", size=(100, 50))),
    "img-without-size": ("img", {"url": URL}, _content(Content.IMAGE, remotePath=URL)),
    "audio": ("audio", {"url": URL, "filename": "a.amr", "length": 3, "secret": "s3",
                        "size": {"width": 1, "height": 1}},
              _content(Content.VOICE, remotePath=URL, displayName="a.amr", duration=3, secretKey="s3")),
    "video": ("video", {"url": URL, "filename": "v.mp4", "thumb": URL + "?vframe=true", "length": 7,
                        "secret": "s3", "file_length": 12345, "thumb_secret": "t3"},
              _content(Content.VIDEO, remotePath=URL, displayName="v.mp4", thumbnailRemotePath=URL + "?vframe=true",
                       duration=7, secretKey="s3", fileLength=12345, thumbnailSecretKey="t3")),
    "file": ("file", {"url": URL, "filename": "a.pdf", "secret": "s3"},
             _content(Content.FILE, remotePath=URL, displayName="a.pdf", secretKey="s3")),
    "file-wrong-typed-optionals": ("file", {"url": URL, "filename": 5, "secret": None, "thumb": ["t"],
                                            "thumb_secret": {}, "length": "3", "file_length": True},
                                   _content(Content.FILE, remotePath=URL)),
}


@pytest.mark.rule("media-bodies-as-sent", "rest-send-body-fields")
def test_each_body_arrives_as_its_content(bob, admin):
    """Every type's body, sent over REST, reaches the device as exactly this Content."""
    sent = {name: admin.must_send_to_users(bob.name, kind, body)[bob.name]
            for name, (kind, body, _) in DELIVERED.items()}
    got = {name: bob.wait_for(match.message_id(int(msg_id))).body.contents[0] for name, msg_id in sent.items()}
    expected = {name: c for name, (_, _, c) in DELIVERED.items()}
    assert got == expected, {name: str(c) for name, c in got.items() if c != expected[name]}


def _send(to, **fields):
    return {"to": [to], "type": "txt", "body": {"msg": "x"}, **fields}


# name -> (request body given the recipient's name, error_description); all 400 message_send_error
REFUSED = {
    "from-number": (lambda to: _send(to, **{"from": 5}), "param from can't be empty"),
    "from-null": (lambda to: _send(to, **{"from": None}), "param from can't be empty"),
    "from-list": (lambda to: _send(to, **{"from": [to]}), "param from can't be empty"),
    "to-a-string": (lambda to: {**_send(to), "to": to}, "param to can't be empty"),
    "to-null": (lambda to: {**_send(to), "to": None}, "param to can't be empty"),
    "to-an-empty-name": (lambda to: {**_send(to), "to": [to, ""]}, "param to can't be empty"),
    "to-a-number": (lambda to: {**_send(to), "to": [to, 5]}, "param to can't be empty"),
    "type-missing": (lambda to: {"to": [to], "body": {"msg": "x"}}, "param type can't be empty"),
    "type-number": (lambda to: _send(to, type=1), "param type can't be empty"),
    "type-unknown": (lambda to: _send(to, type="voice"), "param type voice is not supported"),
    "type-upper-case": (lambda to: _send(to, type="TXT"), "param type TXT is not supported"),
    "body-empty": (lambda to: _send(to, body={}), "param body can't be empty"),
    "body-a-list": (lambda to: _send(to, body=[{"msg": "x"}]), "param body can't be empty"),
    "body-a-string": (lambda to: _send(to, body="x"), "param body can't be empty"),
    "txt-msg-number": (lambda to: _send(to, body={"msg": 5}), "param msg can't be empty"),
    "txt-msg-empty": (lambda to: _send(to, body={"msg": ""}), "param msg can't be empty"),
    "txt-msg-list": (lambda to: _send(to, body={"msg": ["x"]}), "param msg can't be empty"),
    "txt-msg-missing": (lambda to: _send(to, body={"text": "x"}), "param msg can't be empty"),
    "cmd-action-number": (lambda to: _send(to, type="cmd", body={"action": 1}), "param action can't be empty"),
    "img-without-url": (lambda to: _send(to, type="img", body={"filename": "a.jpg"}), "param url can't be empty"),
    "audio-url-number": (lambda to: _send(to, type="audio", body={"url": 5}), "param url can't be empty"),
    "loc-lat-a-word": (lambda to: _send(to, type="loc", body={"lat": "north", "lng": 1}),
                       "param lat and lng must be numbers"),
    "loc-without-lng": (lambda to: _send(to, type="loc", body={"lat": 1}), "param lat and lng must be numbers"),
    "loc-lat-null": (lambda to: _send(to, type="loc", body={"lat": None, "lng": 1}),
                     "param lat and lng must be numbers"),
    "loc-lng-object": (lambda to: _send(to, type="loc", body={"lat": 1, "lng": {}}),
                       "param lat and lng must be numbers"),
    "custom-event-number": (lambda to: _send(to, type="custom", body={"customEvent": 5}),
                            "param customEvent is illegal"),
    "custom-event-empty": (lambda to: _send(to, type="custom", body={"customEvent": ""}),
                           "param customEvent is illegal"),
    "custom-event-space": (lambda to: _send(to, type="custom", body={"customEvent": "a b"}),
                           "param customEvent is illegal"),
    "custom-event-of-33": (lambda to: _send(to, type="custom", body={"customEvent": "e" * 33}),
                           "param customEvent is illegal"),
    "custom-17-exts": (lambda to: _send(to, type="custom", body={"customExts": {**SIXTEEN, "k16": "v"}}),
                       "param customExts must be a map of at most 16 strings"),
    "custom-exts-number-value": (lambda to: _send(to, type="custom", body={"customExts": {"a": "1", "n": 1}}),
                                 "param customExts must be a map of at most 16 strings"),
    "custom-exts-nested-value": (lambda to: _send(to, type="custom", body={"customExts": {"o": {"a": "b"}}}),
                                 "param customExts must be a map of at most 16 strings"),
    "custom-exts-a-list": (lambda to: _send(to, type="custom", body={"customExts": ["a"]}),
                           "param customExts must be a map of at most 16 strings"),
    "601-recipients": (lambda to: {**_send(to), "to": [f"{to}-{n}" for n in range(601)]},
                       "params to's size can't exceed limit 600"),
}


@pytest.mark.parametrize("case", list(REFUSED))
@pytest.mark.rule("rest-send-body-fields")
def test_a_malformed_field_is_refused(make_user, admin, case):
    """Each malformed field is a 400 message_send_error with its own description; nothing is sent."""
    build, description = REFUSED[case]
    resp = admin.request("POST", "/messages/users", json_body=build(make_user("bob").name))
    got = resp.json()
    assert (resp.status_code, got["error"], got["exception"], got["error_description"]) == (
        400, "message_send_error", "MessageSendException", description)


@pytest.mark.parametrize("raw", [[], ["x"], "x", 5, True], ids=["empty-list", "list", "string", "number", "bool"])
def test_a_body_that_is_not_an_object_is_refused(admin, raw):
    resp = admin.request("POST", "/messages/users", json_body=raw)
    got = resp.json()
    assert (resp.status_code, got["error"], got["error_description"]) == (
        400, "invalid_request_body", "Request body is invalid. Please check body is correct.")


@pytest.mark.rule("rest-ids-not-validated")
def test_six_hundred_recipients_are_one_send(make_user, admin):
    """At the limit, 600 recipients (none of them known) get one message id each."""
    base = make_user("bob").name
    names = [f"{base}-{n}" for n in range(600)]
    ids = admin.must_send_text_to_users(names, "to the limit")
    assert sorted(ids) == sorted(names) and len(set(ids.values())) == 600


def test_route_online_reaches_only_connected_devices(bob, make_user, admin, transport):
    """`routetype: ROUTE_ONLINE` arrives as ROUTE_ONLINE on a connected device and is not kept for a user
    with none; without it the message is kept."""
    carol = make_user("carol")
    online = admin.must_send_text_to_users([bob.name, carol.name], "only now", routetype="ROUTE_ONLINE")
    kept = admin.must_send_text_to_users([bob.name, carol.name], "kept")
    assert bob.wait_for(match.message_id(int(online[bob.name]))).meta.routetype == pb.Meta.ROUTE_ONLINE
    assert bob.wait_for(match.message_id(int(kept[bob.name]))).meta.routetype == pb.Meta.ROUTE_ALL
    device = carol.login(transport)
    device.wait_for(match.message_id(int(kept[carol.name])))
    device.wait_offline_sync()
    assert not device.received(match.message_id(int(online[carol.name])))
