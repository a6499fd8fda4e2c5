"""The edges of a REST send's `ext` (docs/protocol/rest.md §3.1, docs/protocol/msync.md §1.4): which JSON value
becomes which KeyValue type as a receiving device sees it (the int64 bounds, at and one past each; true
against 1 against 1.0; null, empty and nested values), which `ext` is refused, and how body + ext are
measured against the size limit (at the limit and one byte over it)."""
import json

import pytest

from im_client import Typed, match
from im_client.ext import BOOL, DOUBLE, INT, JSON_STRING, STRING

pytestmark = [pytest.mark.ext, pytest.mark.owner("caixiangyue")]

INT64_MIN, INT64_MAX = -(2 ** 63), 2 ** 63 - 1
# JSON value -> what the receiver gets; a null value leaves its key out (None)
TYPED = {
    "int64-max": (INT64_MAX, Typed(INT, INT64_MAX)),
    "int64-max-plus-one": (INT64_MAX + 1, Typed(STRING, str(INT64_MAX + 1))),
    "int64-min": (INT64_MIN, Typed(INT, INT64_MIN)),
    "int64-min-minus-one": (INT64_MIN - 1, Typed(STRING, str(INT64_MIN - 1))),
    "far-past-int64": (10 ** 30, Typed(STRING, str(10 ** 30))),
    "true": (True, Typed(BOOL, True)),
    "false": (False, Typed(BOOL, False)),
    "one": (1, Typed(INT, 1)),
    "zero": (0, Typed(INT, 0)),
    "one-point-zero": (1.0, Typed(DOUBLE, 1.0)),
    "zero-point-zero": (0.0, Typed(DOUBLE, 0.0)),
    "negative-double": (-2.5e-7, Typed(DOUBLE, -2.5e-7)),
    "empty-string": ("", Typed(STRING, "")),
    "string-true": ("true", Typed(STRING, "true")),
    "string-one": ("1", Typed(STRING, "1")),
    "empty-object": ({}, Typed(JSON_STRING, {})),
    "empty-list": ([], Typed(JSON_STRING, [])),
    "nested": ({"a": [True, 1, 1.0, None, {"b": "ü"}]}, Typed(JSON_STRING, {"a": [True, 1, 1.0, None, {"b": "ü"}]})),
    "list-of-big-ints": ([INT64_MAX + 1, INT64_MIN - 1], Typed(JSON_STRING, [INT64_MAX + 1, INT64_MIN - 1])),
    "null": (None, None),
}


@pytest.mark.rule("rest-ext-json-typing")
def test_each_json_value_arrives_with_its_type(bob, admin):
    """One REST send carrying every cell: each key arrives typed by its JSON value; the null key is left out."""
    ext = {name: value for name, (value, _) in TYPED.items()}
    ids = admin.must_send_text_to_users([bob.name], "typed edges", ext=ext)
    got = bob.wait_for(match.message_id(int(ids[bob.name])))
    assert got.ext == {name: typed for name, (_, typed) in TYPED.items() if typed is not None}
    nested = next(kv for kv in got.body.ext if kv.key == "nested")
    assert nested.stringValue == '{"a":[true,1,1.0,null,{"b":"ü"}]}'  # compact, not ASCII-escaped


def test_an_empty_ext_sends_no_entries(bob, admin):
    """`ext: {}` is accepted and the message carries no ext at all."""
    ids = admin.must_send_text_to_users([bob.name], "no ext", ext={})
    got = bob.wait_for(match.message_id(int(ids[bob.name])))
    assert (got.text, len(got.body.ext)) == ("no ext", 0)


SEND_ERROR = (400, "message_send_error", "MessageSendException")


@pytest.mark.parametrize("ext", [None, "k=v", 5, 1.5, True, [], [{"k": "v"}]],
                         ids=["null", "string", "int", "float", "bool", "empty-list", "list-of-objects"])
def test_an_ext_that_is_not_an_object_is_refused(make_user, admin, ext):
    """Every JSON value but an object is 400 `param ext must be JSONObject`."""
    body = {"to": [make_user("bob").name], "type": "txt", "body": {"msg": "x"}, "ext": ext}
    resp = admin.request("POST", "/messages/users", json_body=body)
    got = resp.json()
    assert (resp.status_code, got["error"], got["exception"], got["error_description"]) == (
        *SEND_ERROR, "param ext must be JSONObject")


# -- the size limit: UTF-8 bytes of the compact JSON of body, plus those of ext when it has a key -----------
LIMIT = 5120  # max_message_size, the default


def json_size(value) -> int:
    return len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode())


def text_body(size: int, char: str = "x") -> dict:
    """A txt body whose compact JSON is exactly `size` UTF-8 bytes: `char`s, padded with "x"."""
    count, pad = divmod(size - json_size({"msg": ""}), len(char.encode()))
    body = {"msg": char * count + "x" * pad}
    assert json_size(body) == size
    return body


def _no_ext(size):
    return text_body(size), None


def _empty_ext(size):
    return text_body(size), {}


def _with_ext(size):
    ext = {"note": "n" * 1000, "n": 12345}
    return text_body(size - json_size(ext)), ext


def _two_byte_chars(size):
    return text_body(size, "é"), None  # 2 bytes in UTF-8, 6 as a \u escape


def _four_byte_chars(size):
    ext = {"e": "🎉" * 100}  # 4 bytes each in UTF-8
    return text_body(size - json_size(ext), "ü"), ext


MEASURES = {"no-ext": _no_ext, "empty-ext": _empty_ext, "ext-counts": _with_ext,
            "utf8-not-escapes": _two_byte_chars, "utf8-in-ext": _four_byte_chars}


@pytest.mark.parametrize("offset", [0, 1], ids=["at-the-limit", "one-byte-over"])
@pytest.mark.parametrize("measure", list(MEASURES))
@pytest.mark.rule("message-size-5kb", "size-measure")
def test_body_and_ext_are_measured_in_utf8_json(make_user, admin, measure, offset):
    """At the limit the send is accepted; one byte more is 400 `message is too large`, error_code 14007."""
    body, ext = MEASURES[measure](LIMIT + offset)
    payload = {"to": [make_user("bob").name], "type": "txt", "body": body}
    if ext is not None:
        payload["ext"] = ext
    resp = admin.request("POST", "/messages/users", json_body=payload)
    got = resp.json()
    if offset == 0:
        assert resp.status_code == 200, resp.text
        return
    assert (resp.status_code, got["error"], got["exception"], got["error_description"], got["error_code"]) == (
        *SEND_ERROR, "message is too large", 14007)
