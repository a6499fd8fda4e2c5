"""The two transports interoperate: a TCP user and a WebSocket user chat both ways."""
import pytest

from im_client import match

pytestmark = [pytest.mark.chat, pytest.mark.owner("caixiangyue")]


@pytest.mark.parametrize("sender_transport,receiver_transport", [("tcp", "ws"), ("ws", "tcp")],
                         ids=["tcp-to-ws", "ws-to-tcp"])
def test_cross_transport_delivery(make_user, sender_transport, receiver_transport):
    alice = make_user("alice").login(sender_transport)
    bob = make_user("bob").login(receiver_transport)
    sent = alice.must_send_text(bob.name, f"{sender_transport} to {receiver_transport}")
    back = bob.must_send_text(alice.name, "and back")
    bob.wait_for(match.of(sent))
    alice.wait_for(match.of(back))
