"""One-to-one messages between the Web SDK and im_client: text with ext, command and custom."""
import math

import pytest

from im_client import Typed, match
from im_client.ext import BOOL, DOUBLE, FLOAT, INT, JSON_STRING, LLINT, STRING, UINT
from im_e2e.interop.sdk_driver import (JS_INFINITY, JS_NAN, JS_UNDEFINED, js_bigint, js_function, js_symbol,
                                       sdk_event, sdk_message)

pytestmark = [pytest.mark.interop, pytest.mark.chat, pytest.mark.owner("caixiangyue")]

# One ext value of every JS type, and how the SDK types it on the wire (docs/protocol/msync.md §1.4, function `Pr`)
JS_EXT = {
    "string": "str", "empty": "", "unicode": "héllo 你好 🎉",
    "int": 42, "negative": -7, "zero": 0, "max_safe": 2**53 - 1,
    "float": 1.5, "negative_float": -0.25, "infinity": JS_INFINITY,
    "true": True, "false": False,
    "object": {"k": "v", "n": [1, 2]}, "array": [1, "two", None], "null": None,
    "bigint": js_bigint("12345678901234567890"), "nan": JS_NAN, "symbol": js_symbol("tag"),
    "function": js_function("() => 1"), "undefined": JS_UNDEFINED,
}
JS_EXT_ON_THE_WIRE = {
    "string": Typed(STRING, "str"), "empty": Typed(STRING, ""), "unicode": Typed(STRING, "héllo 你好 🎉"),
    "int": Typed(INT, 42), "negative": Typed(INT, -7), "zero": Typed(INT, 0), "max_safe": Typed(INT, 2**53 - 1),
    "float": Typed(DOUBLE, 1.5), "negative_float": Typed(DOUBLE, -0.25), "infinity": Typed(DOUBLE, math.inf),
    "true": Typed(BOOL, True), "false": Typed(BOOL, False),
    "object": Typed(JSON_STRING, {"k": "v", "n": [1, 2]}), "array": Typed(JSON_STRING, [1, "two", None]),
    "null": Typed(JSON_STRING, None),
    "bigint": Typed(STRING, "12345678901234567890"), "nan": Typed(STRING, "NaN"),
    "symbol": Typed(STRING, "Symbol(tag)"), "function": Typed(STRING, "() => 1"),
}  # `undefined` is left out by the SDK

# Every wire type im_client can send, and the JS value the SDK decodes (function `et`)
WIRE_EXT = {
    "string": "str", "int": 42, "negative": -7, "uint": Typed(UINT, 7), "llint": Typed(LLINT, 2**40),
    "float": Typed(FLOAT, 1.5), "double": 2.25, "true": True, "false": False,
    "object": {"k": [1, 2]}, "array": ["a", 1],
}
WIRE_EXT_IN_JS = {
    "string": "str", "int": 42, "negative": -7, "uint": 7, "llint": 2**40,
    "float": 1.5, "double": 2.25, "true": True, "false": False,
    "object": {"k": [1, 2]}, "array": ["a", 1],
}


def test_sdk_text_with_ext_of_every_js_type_reaches_im_client(sdk_login, login):
    """Each JS ext value arrives with the wire type the SDK gave it; `undefined` is left out."""
    alice, bob = sdk_login("alice"), login("bob")
    sent = alice.must_send_text(bob.name, "typed ext", ext=JS_EXT)
    got = bob.wait_for(match.of(sent))
    assert (got.kind, got.text, got.sender, got.to) == ("chat", "typed ext", alice.name, bob.name)
    assert got.timestamp == sent.time
    assert got.from_resource == alice.resource
    assert got.ext == JS_EXT_ON_THE_WIRE


def test_im_client_text_with_every_wire_type_reaches_the_sdk(sdk_login, login):
    """Each KeyValue type decodes to its JS value in the SDK's onTextMessage."""
    alice, bob = sdk_login("alice"), login("bob")
    sent = bob.must_send_text(alice.name, "typed ext", ext=WIRE_EXT)
    got = alice.wait_for(sdk_message(sent))
    assert (got["type"], got["chatType"], got["msg"]) == ("txt", "singleChat", "typed ext")
    assert (got["from"], got["to"]) == (bob.name, alice.name)
    assert int(got["time"]) == sent.timestamp
    assert got["ext"] == WIRE_EXT_IN_JS


def test_sdk_int64_ext_values_lose_precision_past_2_to_the_53(sdk_login, login):
    """The SDK turns INT/UINT/LLINT into JS numbers (doubles): 2**62 + 1 reads as 2**62."""
    alice, bob = sdk_login("alice"), login("bob")
    sent = bob.must_send_text(alice.name, "big", ext={"big": Typed(LLINT, 2**62 + 1)})
    assert float(alice.wait_for(sdk_message(sent))["ext"]["big"]) == 2.0**62


@pytest.mark.passthrough
def test_command_messages_both_ways(sdk_login, login):
    """A command (passthrough) message keeps its action and ext, SDK to im_client and back."""
    alice, bob = sdk_login("alice"), login("bob")
    sent = alice.must_send_command(bob.name, "refresh_contacts", ext={"why": "sync"})
    got = bob.wait_for(match.of(sent))
    assert (got.content_type, got.action, got.ext_values) == ("command", "refresh_contacts", {"why": "sync"})
    back = bob.must_send_command(alice.name, "ring", ext={"volume": 3})
    cmd = alice.wait_for(sdk_message(back, "onCmdMessage"))
    assert (cmd["action"], cmd["from"], cmd["ext"]) == ("ring", bob.name, {"volume": 3})


def test_custom_messages_both_ways(sdk_login, login):
    """A custom message keeps its event and typed customExts, SDK to im_client and back."""
    alice, bob = sdk_login("alice"), login("bob")
    sent = alice.must_send_custom(bob.name, "gift", exts={"item": "rose", "count": 3})
    got = bob.wait_for(match.of(sent))
    assert (got.content_type, got.custom_event) == ("custom", "gift")
    assert got.custom_exts == {"item": Typed(STRING, "rose"), "count": Typed(INT, 3)}
    back = bob.must_send_custom(alice.name, "poll", exts={"question": "lunch?", "open": True})
    custom = alice.wait_for(sdk_message(back, "onCustomMessage"))
    assert (custom["customEvent"], custom["customExts"]) == ("poll", {"question": "lunch?", "open": True})


def test_sdk_receives_its_own_message_on_another_tab_but_not_on_the_sending_one(sdk_login, make_user, login):
    """Multi-device: a second SDK tab of the sender gets the copy (queue sender/resource); the sender does not."""
    user = make_user("alice")
    first, second = sdk_login(user, device="tab1"), sdk_login(user, device="tab2")
    bob = login("bob")
    sent = first.must_send_text(bob.name, "from tab one")
    copy = second.wait_for(sdk_event("onTextMessage", id=str(sent.server_id)))
    assert (copy["from"], copy["to"]) == (user.name, bob.name)
    bob.wait_for(match.of(sent))
    reply = bob.must_send_text(user.name, "round trip")  # after this, tab one has had every chance
    first.wait_for(sdk_message(reply))
    assert not first.received(sdk_event("onTextMessage", id=str(sent.server_id)))
