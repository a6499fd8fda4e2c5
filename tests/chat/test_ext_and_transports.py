"""Typed ext values survive delivery, and the two transports interoperate."""
import pytest

from im_client import Typed, match
from im_client.ext import BOOL, DOUBLE, INT, JSON_STRING, STRING

pytestmark = [pytest.mark.chat, pytest.mark.owner("caixiangyue")]


def test_ext_values_keep_their_types(alice, bob):
    ext = {"s": "str", "n": 42, "f": 1.5, "b": True, "o": {"k": "v", "list": [1, 2]}}
    sent = alice.must_send_text(bob.username, "with ext", ext=ext)
    got = bob.wait_for(match.of(sent))
    assert got.ext == {"s": Typed(STRING, "str"), "n": Typed(INT, 42), "f": Typed(DOUBLE, 1.5),
                       "b": Typed(BOOL, True), "o": Typed(JSON_STRING, {"k": "v", "list": [1, 2]})}


@pytest.mark.parametrize("sender_transport,receiver_transport", [("tcp", "ws"), ("ws", "tcp")],
                         ids=["tcp-to-ws", "ws-to-tcp"])
def test_cross_transport_delivery(make_user, sender_transport, receiver_transport):
    alice = make_user("alice").login(sender_transport)
    bob = make_user("bob").login(receiver_transport)
    sent = alice.must_send_text(bob.username, f"{sender_transport} to {receiver_transport}")
    back = bob.must_send_text(alice.username, "and back")
    bob.wait_for(match.of(sent))
    alice.wait_for(match.of(back))
