"""Message extensions (docs/protocol/msync.md §1.4): every KeyValue type arrives with its type and value,
edge values included, over msync and over the REST send API."""
import pytest

from im_client import Typed, match
from im_client.ext import BOOL, DOUBLE, FLOAT, INT, JSON_STRING, LLINT, STRING, UINT, as_float32

pytestmark = [pytest.mark.ext, pytest.mark.owner("caixiangyue")]

INT64_MIN, INT64_MAX = -(2 ** 63), 2 ** 63 - 1
EDGE_VALUES = {
    "bool_true": Typed(BOOL, True),
    "bool_false": Typed(BOOL, False),
    "int_zero": Typed(INT, 0),
    "int_negative": Typed(INT, -42),
    "int_min": Typed(INT, INT64_MIN),
    "int_max": Typed(INT, INT64_MAX),
    "uint_zero": Typed(UINT, 0),
    "uint_max": Typed(UINT, INT64_MAX),
    "llint_min": Typed(LLINT, INT64_MIN),
    "llint_max": Typed(LLINT, INT64_MAX),
    "float": Typed(FLOAT, 1.5),
    "float_negative": Typed(FLOAT, -0.25),
    "double": Typed(DOUBLE, 3.141592653589793),
    "double_tiny": Typed(DOUBLE, 5e-324),
    "double_huge": Typed(DOUBLE, -1.7976931348623157e308),
    "string_empty": Typed(STRING, ""),
    "string_unicode": Typed(STRING, "héllo 世界 🎉 \u0000 end"),
    "json_nested": Typed(JSON_STRING, {"a": {"b": [1, {"c": None}, "ü"]}, "n": -1.5}),
    "json_list": Typed(JSON_STRING, [1, "two", [3]]),
    "json_empty": Typed(JSON_STRING, {}),
}


def test_every_value_type_keeps_type_and_value(alice, bob):
    """Each of the eight value types, with its edge values, arrives with the same type and value."""
    sent = alice.must_send_text(bob.name, "typed ext", ext=EDGE_VALUES)
    got = bob.wait_for(match.of(sent))
    assert got.ext == EDGE_VALUES


def test_float_is_carried_in_32_bits(alice, bob):
    """FLOAT is a 32-bit float on the wire: 0.1 comes back as its nearest float32."""
    sent = alice.must_send_text(bob.name, "float32", ext={"f": Typed(FLOAT, 0.1)})
    got = bob.wait_for(match.of(sent))
    assert got.ext["f"] == Typed(FLOAT, as_float32(0.1)) and got.ext["f"].value != 0.1


def test_a_hundred_keys_arrive_in_order(alice, bob):
    """An ext of 100 keys arrives whole, in the order it was sent."""
    ext = {f"key_{n:03d}": n if n % 2 else f"value {n}" for n in range(100)}
    sent = alice.must_send_text(bob.name, "many keys", ext=ext)
    got = bob.wait_for(match.of(sent))
    assert list(got.ext) == list(ext)
    assert got.ext_values == ext


@pytest.mark.passthrough
def test_ext_on_command_and_custom_messages(alice, bob):
    """Command and custom messages carry typed ext like texts do."""
    cmd = alice.must_send_command(bob.name, "act", ext={"llint": Typed(LLINT, INT64_MIN)})
    custom = alice.must_send_custom(bob.name, "gift", ext={"uint": Typed(UINT, 7)})
    assert bob.wait_for(match.of(cmd)).ext == {"llint": Typed(LLINT, INT64_MIN)}
    assert bob.wait_for(match.of(custom)).ext == {"uint": Typed(UINT, 7)}


def test_rest_ext_is_typed_like_the_web_sdk_types_json(bob, admin):
    """Over REST, JSON values become BOOL, INT, DOUBLE, STRING or JSON_STRING (docs/protocol/msync.md §1.4)."""
    ext = {"b": True, "i": -(2 ** 40), "d": 2.5, "s": "ß", "o": {"k": [1, 2]}, "e": ""}
    ids = admin.must_send_text_to_users([bob.name], "from the server", ext=ext)
    got = bob.wait_for(match.message_id(int(ids[bob.name])))
    assert got.ext == {"b": Typed(BOOL, True), "i": Typed(INT, -(2 ** 40)), "d": Typed(DOUBLE, 2.5),
                       "s": Typed(STRING, "ß"), "o": Typed(JSON_STRING, {"k": [1, 2]}), "e": Typed(STRING, "")}


def test_ext_values_keep_their_types(alice, bob):
    ext = {"s": "str", "n": 42, "f": 1.5, "b": True, "o": {"k": "v", "list": [1, 2]}}
    sent = alice.must_send_text(bob.name, "with ext", ext=ext)
    got = bob.wait_for(match.of(sent))
    assert got.ext == {"s": Typed(STRING, "str"), "n": Typed(INT, 42), "f": Typed(DOUBLE, 1.5),
                       "b": Typed(BOOL, True), "o": Typed(JSON_STRING, {"k": "v", "list": [1, 2]})}
