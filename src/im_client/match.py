"""Predicates for Inbox.wait_for(), each with a description shown when a wait times out.

    bob.wait_for(match.text("hello") & match.sender("alice"))
"""
from __future__ import annotations

from typing import Any, Callable

from .messages import Message, Notice


class Match:
    def __init__(self, fn: Callable[[Any], bool], description: str):
        self.fn = fn
        self.description = description

    def __call__(self, item: Any) -> bool:
        try:
            return bool(self.fn(item))
        except (AttributeError, KeyError, TypeError):
            return False

    def __and__(self, other: "Match") -> "Match":
        return Match(lambda i: self(i) and other(i), f"{self.description} and {other.description}")

    def __or__(self, other: "Match") -> "Match":
        return Match(lambda i: self(i) or other(i), f"({self.description} or {other.description})")

    def __invert__(self) -> "Match":
        return Match(lambda i: not self(i), f"not {self.description}")

    def __repr__(self) -> str:
        return f"<match {self.description}>"


def _msg(pred: Callable[[Message], bool], description: str) -> Match:
    return Match(lambda i: isinstance(i, Message) and pred(i), description)


def message(kind: str | None = None) -> Match:
    return _msg(lambda m: kind is None or m.kind == kind, f"message kind={kind or 'any'}")


def text(value: str) -> Match:
    return _msg(lambda m: m.content_type == "text" and m.text == value, f"text {value!r}")


def message_id(server_id: int) -> Match:
    return _msg(lambda m: m.id == server_id, f"message id={server_id}")


def of(sent: Any) -> Match:
    """The delivered copy of something we sent (matched by its server id)."""
    return message_id(sent.server_id)


def sender(name: str) -> Match:
    return _msg(lambda m: m.sender == name, f"from {name}")


def command(action: str) -> Match:
    return _msg(lambda m: m.content_type == "command" and m.action == action, f"command {action!r}")


def custom(event: str) -> Match:
    return _msg(lambda m: m.content_type == "custom" and m.custom_event == event, f"custom {event!r}")


def ack_of(kind: str, sent: Any) -> Match:
    return _msg(lambda m: m.kind == kind and m.ack_message_id == sent.server_id, f"{kind} of {sent.server_id}")


def notice(ns: str, pred: Callable[[Any], bool] | None = None, description: str = "") -> Match:
    return Match(lambda i: isinstance(i, Notice) and i.ns == ns and (pred is None or pred(i.payload)),
                 f"{ns} notice {description}".strip())


def queue_notice(name: str | None = None) -> Match:
    """A NOTICE left for the test to act on (sessions with auto_pull=False)."""
    from .replies import QueueNotice
    return Match(lambda i: isinstance(i, QueueNotice) and (name is None or i.name == name),
                 f"NOTICE of queue {name or 'any'}")


def kicked(operation: str | None = None) -> Match:
    from im_wire import pb
    ops = pb.StatisticsBody.Operation

    def check(payload: Any) -> bool:
        return payload.operation != ops.INFORMATION and (operation is None or ops.Name(payload.operation) == operation)

    return notice("STATISTIC", check, f"kick {operation or ''}".strip())


def _server_id(target: Any) -> int:
    """The server id of a Sent, a received Message, or an id."""
    for attr in ("server_id", "id"):
        value = getattr(target, attr, None)
        if isinstance(value, int):
            return value
    return int(target)


def recall_of(target: Any) -> Match:
    """The RECALL notice of a message (a Sent, a received Message, or its server id)."""
    msg_id = _server_id(target)
    return _msg(lambda m: m.kind == "recall" and m.ack_message_id == msg_id, f"recall of {msg_id}")


def edit_of(target: Any, text: str | None = None) -> Match:
    """The EDIT notice of a message (a Sent, a received Message, or its server id), optionally with its new text."""
    msg_id = _server_id(target)

    def check(m: Any) -> bool:
        return m.kind == "edit" and m.body.editMessageId == msg_id and (text is None or m.text == text)

    return _msg(check, f"edit of {msg_id}" + (f" to {text!r}" if text is not None else ""))


def _reaction_changes(payload: Any, msg_id: str) -> list[dict]:
    if not isinstance(payload, dict) or payload.get("type") != "reaction":
        return []
    return [r for item in payload.get("data", []) if str(item.get("messageId")) == msg_id
            for r in item.get("reactions", [])]


def reaction_change(target: Any, reaction: str | None = None, op: str | None = None,
                    operator: str | None = None) -> Match:
    """A NOTIFY `reaction` item about a message; optionally one reaction, op ("create" / "delete")
    and operator."""
    msg_id = str(_server_id(target))

    def check(payload: Any) -> bool:
        for change in _reaction_changes(payload, msg_id):
            if reaction is not None and change.get("reaction") != reaction:
                continue
            ops = change.get("op") or [{}]
            if any((op is None or o.get("reactionType") == op) and (operator is None or o.get("operator") == operator)
                   for o in ops):
                return True
        return False

    words = " ".join(w for w in (reaction and repr(reaction), op, operator and f"by {operator}") if w)
    return notice("NOTIFY", check, f"reaction change of {msg_id} {words}".strip())


def muc(operation: str, group_id: str | None = None, user: str | None = None) -> Match:
    """A MUC notification (docs/protocol/msync.md §5.2) by operation name, e.g. `muc("KICK", gid, user=bob.name)`;
    `user` must be among MUCBody.to."""
    from im_wire import pb
    op = pb.MUCBody.Operation.Value(operation)

    def check(body: Any) -> bool:
        return (body.operation == op and (group_id is None or body.mucId.name == group_id)
                and (user is None or any(j.name == user for j in body.to)))

    where = f" {group_id}" if group_id else ""
    about = f" about {user}" if user else ""
    return notice("MUC", check, f"{operation}{where}{about}")


def roster(operation: str, contact: str | None = None) -> Match:
    """A ROSTER notification (docs/protocol/msync.md §1.4) by operation name, e.g. `roster("ADD", alice.name)`;
    `contact` is RosterBody.from, the user the event is about."""
    from im_wire import pb
    op = pb.RosterBody.Operation.Value(operation)

    def check(body: Any) -> bool:
        return body.operation == op and (contact is None or getattr(body, "from").name == contact)

    return notice("ROSTER", check, f"{operation}{' about ' + contact if contact else ''}")


def presence(uid: str, pred: Callable[[dict], bool] | None = None) -> Match:
    """A NOTIFY `presence` (docs/protocol/msync.md §4.6) about user `uid`; `pred` sees that user's presence
    `{uid, last_time, expiry, ext, status: {resource: "n"}}`."""
    def check(payload: Any) -> bool:
        if not isinstance(payload, dict) or payload.get("type") != "presence":
            return False
        values = (payload.get("data") or {}).get("values") or []
        return any(v.get("uid") == uid and (pred is None or pred(v)) for v in values)

    return notice("NOTIFY", check, f"presence of {uid}")


def thread_notify(operation: str, thread_id: str | None = None) -> Match:
    """A NOTIFY `thread` item (docs/protocol/msync.md §4.6): operation create | update | update_msg | delete."""

    def check(payload: Any) -> bool:
        data = payload.get("data", {}) if isinstance(payload, dict) and payload.get("type") == "thread" else {}
        return data.get("operation") == operation and (thread_id is None or data.get("id") == thread_id)

    return notice("NOTIFY", check, f"thread {operation} {thread_id or ''}".strip())


def conversation_notice(op: str, conversation: str | None = None, ext: str | None = None) -> Match:
    """A NOTIFY `conv` item (docs/protocol/rest.md §12): op del | top | not_top | mark | mark_delete | pin |
    pin_delete, about `conversation` (its `id`), `ext` the mark or the pinned message id."""

    def check(payload: Any) -> bool:
        data = payload.get("data", {}) if isinstance(payload, dict) and payload.get("type") == "conv" else {}
        return (data.get("op") == op and (conversation is None or data.get("id") == conversation)
                and (ext is None or data.get("ext") == ext))

    return notice("NOTIFY", check, f"conv {op} {conversation or ''}".strip())


def silent_mode_notice(pred: Callable[[dict], bool] | None = None) -> Match:
    """A NOTIFY `user_notification_mute` item; `pred` sees one of its values
    `{operator_resource, data, user? | group?}`."""

    def check(payload: Any) -> bool:
        if not isinstance(payload, dict) or payload.get("type") != "user_notification_mute":
            return False
        return any(pred is None or pred(v) for v in payload.get("values") or [])

    return notice("NOTIFY", check, "user_notification_mute")


def to_conversation(name: str) -> Match:
    """A message addressed to a group, room or thread (MessageBody.to)."""
    return _msg(lambda m: m.to == name, f"to {name}")


# -- chatrooms (docs/protocol/msync.md §5.1–§5.2, §4.5) --------------------------------------------------------------
def room_event(operation: str, room_id: str | None = None, *, by: str | None = None, about: str | None = None,
               count: int | None = None) -> Match:
    """A chatroom MUC notification (`isChatroom`) by operation name, e.g. `room_event("BAN_GROUP", rid)`;
    `by` = MUCBody.from (the user it is about, or the operator), `about` among MUCBody.to,
    `count` = mucMemberCount."""
    from im_wire import pb
    op = pb.MUCBody.Operation.Value(operation)

    def check(body: Any) -> bool:
        return (body.isChatroom and body.operation == op and (room_id is None or body.mucId.name == room_id)
                and (by is None or getattr(body, "from").name == by)
                and (about is None or any(j.name == about for j in body.to))
                and (count is None or body.mucMemberCount == count))

    words = " ".join(w for w in (room_id, by and f"by {by}", about and f"about {about}",
                                 count is not None and f"count={count}") if w)
    return notice("MUC", check, f"room {operation} {words}".strip())


def room_presence(room_id: str, user: str, count: int | None = None) -> Match:
    """PRESENCE: `user` joined the room; `count` = users present after it."""
    return room_event("PRESENCE", room_id, by=user, count=count)


def room_absence(room_id: str, user: str, count: int | None = None) -> Match:
    """ABSENCE: `user` left the room (left, kicked, or gone past the disconnect grace period)."""
    return room_event("ABSENCE", room_id, by=user, count=count)


def room_kick(room_id: str, user: str) -> Match:
    """KICK of `user` (MUCBody.to), what the kicked member's devices get."""
    return room_event("KICK", room_id, about=user)


def room_attributes(operation: str, room_id: str, keys: list[str]) -> Match:
    """SET_METADATA / DELETE_METADATA whose `eventInfo.ext` result.successKeys are exactly `keys`."""
    import json

    def check(item: Any) -> bool:
        event = json.loads(item.payload.eventInfo.ext)
        return sorted(event["result"]["successKeys"]) == sorted(keys)

    inner = room_event(operation, room_id)
    return Match(lambda i: inner(i) and check(i), f"{inner.description} successKeys={sorted(keys)}")


def in_room(room_id: str) -> Match:
    """A chatroom message to `room_id`."""
    return _msg(lambda m: m.kind == "chatroom" and m.to == room_id, f"chatroom message in {room_id}")


def priority(level: str) -> Match:
    """A chatroom message of priority high | normal | low (Meta.ext chatroom_msg_tag 0 / else / 2)."""
    def level_of(m: Message) -> str:
        tag = m.meta_ext.get("chatroom_msg_tag")
        value = tag.value if tag is not None else None
        return {0: "high", 2: "low"}.get(value, "normal")

    return _msg(lambda m: level_of(m) == level, f"priority {level}")


def broadcast() -> Match:
    """A chatroom broadcast (Meta.ext is_broadcast true)."""
    return _msg(lambda m: "is_broadcast" in m.meta_ext and bool(m.meta_ext["is_broadcast"].value), "broadcast")
