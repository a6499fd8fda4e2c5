"""The server-side conversation list, built from traffic (sandbox choice `conversation-from-traffic`).

A 1:1 conversation of `owner` exists once a content message (store/history_rules.py) went either way
between owner and the peer after the owner last deleted it; a group conversation
(`<id>@conference.easemob.com`) exists for every group the owner is a member of with a content message
in its history after the owner last deleted it (directed messages are not history, so nobody's list
shows one). Its last message is the newest such message still in the owner's history; its unread count
is the number of messages from others newer than the owner's last CHANNEL_ACK to the peer or the group
(`channel_read`, `group_read`). Both are read from `messages`, so

    a message          is the new last message; +1 unread for everyone but its sender
    a recall           removes the row: the previous message is the last one again, unread -1
    a CHANNEL_ACK      owner -> peer or group: owner's unread of that conversation is 0
                       (READ_ACK of one message: unchanged)

A group the owner is not a member of (or one without messages) is listed only while the owner keeps
state for it (pinned or marked), without a last message. Pin, mark and delete tell the owner's other
devices with a NOTIFY `conv` item `{op, id, type, res, from, ts, ext}` (the Web SDK's
onMultiDeviceEvent; rule `conversation-multi-device-notice`); pinned messages tell both sides' devices
(onMessagePinEvent).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from itertools import chain
from typing import TYPE_CHECKING, Iterable

from im_wire import pb

from ..faults import seam
from ..ids import now_ms
from ..store.conversations import ConversationState
from ..store.history_rules import kept_in_history
from ..store.roaming import CONFERENCE_SUFFIX, HistoryQuery, HistoryRow
from .notify import deliver_notify

if TYPE_CHECKING:
    from .services import Services

CHAT_TYPE = pb.MessageBody.CHAT
GROUPCHAT_TYPE = pb.MessageBody.GROUPCHAT
SCAN_BATCH = 50


@dataclass(slots=True)
class Conversation:
    conv: str                      # peer, or '<group id>@conference.easemob.com'
    kind: str                      # chat | groupchat
    last: HistoryRow | None
    unread: int
    pinned_at: int = 0
    marks: list[str] = field(default_factory=list)

    @property
    def peer(self) -> str:
        return self.conv[: -len(CONFERENCE_SUFFIX)] if self.kind == "groupchat" else self.conv

    @property
    def sort_key(self) -> tuple[int, int]:
        """Newest last message first (ids break ties within a millisecond); without one, the pin time."""
        return (self.last.ts, self.last.id) if self.last is not None else (self.pinned_at, 0)


def conv_name(kind: str, peer: str) -> str:
    return peer + CONFERENCE_SUFFIX if kind == "groupchat" else peer


def _history(ctx: "Services", owner: str, conv: str, deleted_at: int,
             chat_type: int = CHAT_TYPE) -> Iterable[HistoryRow]:
    """The conversation's history rows, newest first, from after the owner's last delete."""
    query = HistoryQuery(owner=owner, conv=conv, chat_types=(chat_type,), newest_first=True,
                         start_time=deleted_at + 1 if deleted_at else None)
    for row in ctx.store.roaming.scan(query, batch=SCAN_BATCH):
        if kept_in_history(row.chat_type, row.meta):
            yield row


def _unread(rows: Iterable[HistoryRow], owner: str, read_upto: int) -> int:
    """Messages from others among `rows` (newest first) newer than `read_upto`."""
    count = 0
    for row in rows:
        if row.id <= read_upto:
            break
        if row.sender != owner:
            count += 1
    return count


@seam("conversations.unread")
def unread_count(ctx: "Services", owner: str, peer: str, state: ConversationState) -> int:
    """The peer's messages newer than the owner's last CHANNEL_ACK."""
    return _unread(_history(ctx, owner, peer, state.deleted_at), owner, state.read_upto)


def one_to_one(ctx: "Services", owner: str, peer: str, state: ConversationState | None = None) -> Conversation:
    state = state or ctx.store.conversations.state(owner, peer)
    last = next(iter(_history(ctx, owner, peer, state.deleted_at)), None)
    unread = unread_count(ctx, owner, peer, state) if last is not None else 0
    return Conversation(peer, "chat", last, unread, state.pinned_at, state.marks)


def group(ctx: "Services", owner: str, group_id: str, state: ConversationState | None = None) -> Conversation:
    conv = conv_name("groupchat", group_id)
    state = state or ctx.store.conversations.state(owner, conv)
    rows = iter(_history(ctx, owner, conv, state.deleted_at, GROUPCHAT_TYPE))
    last = next(rows, None)
    unread = _unread(chain([last], rows), owner, state.read_upto) if last is not None else 0
    return Conversation(conv, "groupchat", last, unread, state.pinned_at, state.marks)


def conversations_of(ctx: "Services", owner: str) -> list[Conversation]:
    """Every conversation of `owner`, the newest last message first (pinned ones where their time puts them)."""
    store = ctx.store.conversations
    states = store.states(owner)
    found: dict[str, Conversation] = {}
    for peer in store.one_to_one_peers(owner, CHAT_TYPE):
        conv = one_to_one(ctx, owner, peer, states.get(peer))
        if conv.last is not None:
            found[peer] = conv
    for group_id in ctx.store.groups.joined_by(owner):
        conv = group(ctx, owner, group_id, states.get(conv_name("groupchat", group_id)))
        if conv.last is not None:
            found[conv.conv] = conv
    for name, state in states.items():
        if name in found or not (state.pinned_at or state.marks):
            continue  # a read or deleted conversation without messages: nothing to list
        kind = "groupchat" if name.endswith(CONFERENCE_SUFFIX) else "chat"
        found[name] = Conversation(name, kind, None, 0, state.pinned_at, state.marks)
    return sorted(found.values(), key=lambda c: c.sort_key, reverse=True)


def _read_all(ctx: "Services", owner: str, conv: str, chat_type: int) -> None:
    newest = next(iter(_history(ctx, owner, conv, 0, chat_type)), None)
    if newest is not None:
        ctx.store.conversations.read_up_to(owner, conv, newest.id)
        ctx.events.emit("conversation.read", user=owner, conversation=conv, upto=newest.id)


@seam("conversations.channel_read")
def channel_read(ctx: "Services", owner: str, peer: str) -> None:
    """A CHANNEL_ACK from `owner` to `peer`: everything the peer sent so far is read."""
    _read_all(ctx, owner, peer, CHAT_TYPE)


@seam("conversations.group_read")
def group_read(ctx: "Services", owner: str, group_id: str) -> None:
    """A CHANNEL_ACK from `owner` to a group: everything sent to it so far is read."""
    _read_all(ctx, owner, conv_name("groupchat", group_id), GROUPCHAT_TYPE)


# -- notices -----------------------------------------------------------------------------------
@seam("conversations.notify")
def notify_conv(ctx: "Services", users: list[str], op: str, *, operator: str, resource: str, peer: str,
                kind: str, ext: str | None = None) -> None:
    """NOTIFY `conv` {op, id, type, res, from, ts, ext} (op: del, top, not_top, mark, mark_delete, pin,
    pin_delete) to the devices of `users`, minus the operator's acting device."""
    data = {"op": op, "id": peer, "type": kind, "res": resource, "from": operator, "ts": now_ms()}
    if ext is not None:
        data["ext"] = ext
    deliver_notify(ctx, {"type": "conv", "data": data}, users, sender=operator,
                   skip=(operator, resource) if resource else None)
