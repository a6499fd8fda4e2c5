"""What history keeps, as one table (docs/protocol/rest.md §3.8, rules `commands-not-in-history`,
`directed-messages-not-in-history`): for each kind of message (text, text with ext, command, custom,
edited, recalled, directed, a read receipt) in each kind of conversation (1:1, group, thread, room),
whether the roaming history of sender and receiver shows it, and with which content. A kind a
conversation does not have is left out of the table."""
from dataclasses import dataclass

import pytest

from im_client import match
from im_client.rest_storage import conversation_queue

pytestmark = [pytest.mark.chat, pytest.mark.owner("caixiangyue")]

EXT = {"note": "kept", "big": 2 ** 53 + 1}


@dataclass
class Talk:
    """alice (a device) and bob in one conversation of a kind; `to` is what alice sends to."""
    kind: str
    alice: object
    bob: object  # a device of bob's (present in the room)
    admin: object
    to: str
    queue_of: dict  # user name -> the roaming queue of this conversation

    def send_text(self, text, ext=None):
        send = {"chat": self.alice.must_send_text, "group": self.alice.must_send_group_text,
                "thread": self.alice.must_send_thread_text, "room": self.alice.must_send_room_text}[self.kind]
        return send(self.to, text, ext)


def _text(t):
    sent = t.send_text("plain")
    return sent.server_id, ("plain", {})


def _ext(t):
    sent = t.send_text("with ext", EXT)
    return sent.server_id, ("with ext", EXT)


def _command(t):
    if t.kind == "chat":
        return t.alice.must_send_command(t.to, "history_cmd").server_id, None
    if t.kind == "room":
        return t.alice.must_send_room_command(t.to, "history_cmd").server_id, None
    resp = t.admin.group_request("POST", "/messages/chatgroups",
                                 {"to": [t.to], "type": "cmd", "body": {"action": "history_cmd"}, "from": t.alice.name})
    assert resp.ok, resp.text
    return int(resp.json()["data"][t.to]), None


def _custom(t):
    if t.kind == "chat":
        return t.alice.must_send_custom(t.to, "history_event", {"k": "v"}).server_id, (None, {})
    if t.kind == "group":
        return t.alice.must_send_group_custom(t.to, "history_event", {"k": "v"}).server_id, (None, {})
    data = t.admin.must_send_to_chatrooms(t.to, "custom", {"customEvent": "history_event"}, sender=t.alice.name)
    return int(data[t.to]), (None, {})


def _edited(t):
    sent = t.send_text("first draft")
    t.alice.must_edit_text(sent, "final text")
    return sent.server_id, ("final text", {})


def _recalled(t):
    sent = t.send_text("taken back")
    t.alice.must_recall(sent)
    return sent.server_id, None


def _directed(t):
    target_kind = "chatgroups" if t.kind == "group" else "chatrooms"
    data = t.admin.must_send_directed_text(target_kind, t.to, [t.bob.name], "just for bob", sender=t.alice.name)
    return int(data[t.to]), None


def _read_receipt(t):
    """bob reads alice's message: history keeps the message, not the receipt."""
    sent = t.send_text("read me")
    got = t.bob.wait_for(match.of(sent))
    (t.bob.must_send_group_read_ack if t.kind == "group" else t.bob.must_send_read_ack)(got)
    t.alice.wait_for(match.ack_of("read_ack", sent))
    return sent.server_id, ("read me", {})


ALL = ("chat", "group", "thread", "room")
# message kind -> (how alice makes it, the conversations that have it); the maker returns the
# message id and what history shows: (text, ext) when kept, None when not
KINDS = {
    "txt": (_text, ALL),
    "txt-with-ext": (_ext, ALL),
    "cmd": (_command, ("chat", "group", "room")),
    "custom": (_custom, ("chat", "group", "room")),
    "edited": (_edited, ALL),
    "recalled": (_recalled, ALL),
    "directed": (_directed, ("group", "room")),
    "read-receipt": (_read_receipt, ("chat", "group")),
}
AREA = {"chat": [], "group": [pytest.mark.group], "thread": [pytest.mark.thread], "room": [pytest.mark.chatroom]}
CELLS = [pytest.param(kind, where, id=f"{where}-{kind}",
                      marks=AREA[where] + ([pytest.mark.recall] if kind == "recalled" else []))
         for kind, (_make, places) in KINDS.items() for where in places]


@pytest.fixture
def talk(alice, make_user, make_group, make_room, admin, transport):
    def _talk(where):
        bob_user = make_user("bob")
        bob = bob_user.login(transport)
        if where == "chat":
            queues = {alice.name: conversation_queue(bob.name), bob.name: conversation_queue(alice.name)}
            return Talk(where, alice, bob, admin, bob.name, queues)
        if where == "room":
            room = make_room(alice, members=[bob_user])
            alice.must_join_room(room.id)
            bob.must_join_room(room.id)
            return Talk(where, alice, bob, admin, room.id, dict.fromkeys((alice.name, bob.name),
                                                                       conversation_queue(room=room.id)))
        group = make_group(alice, members=[bob_user])
        to = group.id
        if where == "thread":
            parent = admin.must_send_text_to_groups(group.id, "parent", sender=alice.name)[group.id]
            to = admin.must_create_thread(group.id, parent, "history", owner=alice.name)["thread_id"]
            admin.must_add_thread_members(to, [bob.name])
        return Talk(where, alice, bob, admin, to, dict.fromkeys((alice.name, bob.name), conversation_queue(group=to)))
    return _talk


@pytest.mark.parametrize("kind, where", CELLS)
@pytest.mark.rule("commands-not-in-history", "chatroom-history-kept", "directed-messages-not-in-history")
def test_history_keeps(talk, admin, kind, where):
    t = talk(where)
    make, _places = KINDS[kind]
    msg_id, shown = make(t)
    for user in (t.alice, t.bob):
        history = admin.must_history(user.name, t.queue_of[user.name])
        kept = [(m.text, m.ext_values) for m in history if m.id == msg_id]
        assert kept == ([] if shown is None else [shown]), f"{user.name}'s {where} history: {history}"
        assert all(m.kind in ("chat", "groupchat", "chatroom") for m in history), history
