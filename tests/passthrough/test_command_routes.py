"""Where commands and the other signals of a conversation go (docs/protocol/msync.md §4.2, §4.4): an
online-only command is kept for no one, a receipt is never pushed, a command back does not read the
conversation (a CHANNEL_ACK does), and group history keeps neither commands nor directed messages."""
import pytest

from im_client import Sent, match
from im_client import messages as m
from im_client.groupchat import GROUPCHAT, group_meta
from im_client.rest_storage import conversation_queue

pytestmark = [pytest.mark.passthrough, pytest.mark.owner("caixiangyue")]

ROUTE = m.ROUTE
# Meta.routetype of a 1:1 command -> whether it is kept for a receiver without a connected device
ROUTES = {"all": (ROUTE.ROUTE_ALL, True), "online-only": (ROUTE.ROUTE_ONLINE, False),
          "direct": (ROUTE.ROUTE_DIRECT, True)}


@pytest.mark.rule("one-to-one-routetype")
def test_an_online_only_command_reaches_the_connected_and_is_kept_for_no_one(alice, bob, make_user, transport):
    """bob (connected) gets every command; carol, who logs in later, gets the ROUTE_ALL and ROUTE_DIRECT ones."""
    carol = make_user("carol")
    sent = {(name, to): alice.must_send_command(to, f"route_{name}", routetype=route)
            for name, (route, _) in ROUTES.items() for to in (bob.name, carol.name)}
    for name in ROUTES:
        bob.wait_for(match.of(sent[name, bob.name]))
    device = carol.login(transport)
    for name, (_, kept) in ROUTES.items():
        if kept:
            device.wait_for(match.of(sent[name, carol.name]))
    device.wait_offline_sync()
    assert [name for name in ROUTES if device.received(match.of(sent[name, carol.name]))] == ["all", "direct"]


@pytest.mark.rule("conversation-from-traffic")
def test_a_channel_ack_reads_the_conversation_and_a_command_back_does_not(alice, bob, admin):
    """bob answers alice's two texts with a command and a delivery ack: 2 unread; his CHANNEL_ACK: none."""
    alice.must_send_text(bob.name, "one")
    two = alice.must_send_text(bob.name, "two")
    bob.must_send_command(alice.name, "typing_start")
    bob.must_send_delivery_ack(bob.wait_for(match.of(two)))
    assert admin.must_conversation(bob.name, alice.name)["unread_num"] == 2
    bob.must_send_channel_ack(alice.name)
    assert admin.must_conversation(bob.name, alice.name)["unread_num"] == 0


@pytest.mark.rule("push-offline-record", "receipts-need-ack-id")
def test_receipts_to_a_user_without_a_device_are_not_pushed(alice, make_user, admin, storage):
    """alice answers bob, who has no connected device: her text gets a push record, her delivery ack, read
    ack and CHANNEL_ACK (without ackMessageId) are accepted and get none."""
    bob = make_user("bob")
    ids = admin.must_send_text_to_users([alice.name], "are you there?", sender=bob.name)
    got = alice.wait_for(match.message_id(int(ids[alice.name])))
    alice.must_send_delivery_ack(got)
    alice.must_send_read_ack(got)
    alice.must_send_channel_ack(bob.name)
    text = alice.must_send_text(bob.name, "yes")
    storage.wait_for_event(kind="push.offline", id=text.server_id)
    assert [(e["id"], e["pushed"]) for e in storage.events("push.offline", user=bob.name)] == [(text.server_id, True)]


@pytest.mark.rule("commands-not-in-history", "directed-messages-not-in-history")
def test_group_history_keeps_neither_commands_nor_directed_messages(alice, bob, make_group, admin):
    """A command to the group, a directed text and a directed command reach bob; history holds only the text
    to everyone, for sender and receiver alike."""
    group = make_group(alice, members=[bob.name])

    def send(content, **kw) -> Sent:
        meta = group_meta(alice, group.id, m.Body.GROUPCHAT, content, **kw)
        return Sent.from_ack(alice.must_send_meta(meta), meta, group.id, GROUPCHAT)

    signals = [send(m.command_content("refresh")),
               send(m.text_content("just for bob"), directed_users=[bob.name]),
               send(m.command_content("ping_bob"), directed_users=[bob.name])]
    kept = send(m.text_content("for everyone"))
    for sent in (*signals, kept):
        bob.wait_for(match.of(sent))
    for owner in (alice.name, bob.name):
        assert [msg.id for msg in admin.must_history(owner, conversation_queue(group=group.id))] == [kept.server_id]
