"""Do-not-disturb: whether a 1:1 or group message to a user with no connected device would be pushed
(sandbox choice `push-offline-record`).

The sandbox has no push provider; what a test can observe is the bookkeeping a real cluster keeps for
its push service. For every 1:1 message whose recipient has no connected device, and every group
message (not a thread's) for each member it is delivered to who has none, one event

    push.offline {id, user, from, pushed: bool, why}      (+ group: <id> for a group message)

says whether it would be pushed and why not. The conversation is the sender (1:1) or the group
(the SDK's silent mode for a group conversation, scope `chatgroup`). The first rule that applies decides:

    ext em_ignore_notification true                   -> not pushed, why "ignore_notification"
    the recipient's setting for this conversation     -> type NONE, or AT without a mention: "conversation_type"
                                                         type ALL: pushed (it overrides the user-wide setting)
                                                         ignoreDuration not over yet: "conversation_duration"
    the recipient's user-wide setting                 -> type NONE, or AT without a mention: "user_type"
                                                         ignoreDuration not over yet: "user_duration"
                                                         now (UTC) inside ignoreInterval "H:M-H:M" (H:M-H:M with both the same: all day): "user_interval"
    otherwise                                         -> pushed, why "sent"
"""
from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from im_wire import pb

from ..faults import seam
from ..ids import now_ms
from ..store.push_settings import ALL, SilentMode

if TYPE_CHECKING:
    from .services import Services

SILENT_TYPES = ("NONE", "AT")
IGNORE_NOTIFICATION = "em_ignore_notification"
AT_LIST = "em_at_list"


def _in_interval(interval: str, now: datetime) -> bool:
    start, end = (tuple(int(x) for x in part.split(":")) for part in interval.split("-"))
    minute = now.hour * 60 + now.minute
    lo, hi = start[0] * 60 + start[1], end[0] * 60 + end[1]
    if lo == hi:
        return True  # from a time to the same time: the whole day
    return lo <= minute < hi if lo <= hi else minute >= lo or minute < hi


def _ignored(body: pb.MessageBody) -> bool:
    return any(kv.key == IGNORE_NOTIFICATION and kv.type == pb.KeyValue.BOOL and kv.varintValue for kv in body.ext)


@seam("push.silenced_by")
def silenced_by(ctx: "Services", recipient: str, sender: str, body: pb.MessageBody,
                group: str | None = None) -> str | None:
    """Why a push of this message to `recipient` is held back, or None (it is pushed)."""
    if _ignored(body):
        return "ignore_notification"
    store, now = ctx.store.push_settings, now_ms()
    conv: SilentMode = store.get(recipient, "chatgroup", group) if group else store.get(recipient, "user", sender)
    silent = ("NONE",) if group and _mentions(body, recipient) else SILENT_TYPES
    if conv.remind_type == "ALL":
        return None
    if conv.remind_type in silent:
        return "conversation_type"
    if conv.ignore_until and conv.ignore_until > now:
        return "conversation_duration"
    everything = store.get(recipient, ALL)
    if everything.remind_type in silent:
        return "user_type"
    if everything.ignore_until and everything.ignore_until > now:
        return "user_duration"
    if everything.ignore_interval and _in_interval(everything.ignore_interval, datetime.now(timezone.utc)):
        return "user_interval"
    return None


def _mentions(body: pb.MessageBody, user: str) -> bool:
    """ext em_at_list (the SDK's mention of a group message): "ALL", or a JSON list of user names."""
    for kv in body.ext:
        if kv.key != AT_LIST:
            continue
        raw = kv.stringValue
        if raw == "ALL":
            return True
        try:
            named = json.loads(raw)
        except (ValueError, RecursionError):
            return False
        return isinstance(named, list) and user in [str(n).lower() for n in named]
    return False


def record_offline_push(ctx: "Services", msg_id: int, sender: str, recipient: str, body: pb.MessageBody) -> None:
    """The `push.offline` event of a 1:1 message, when its recipient has no connected device."""
    if recipient == sender or ctx.hub.online(recipient):
        return
    why = silenced_by(ctx, recipient, sender, body)
    ctx.events.emit("push.offline", id=msg_id, user=recipient, **{"from": sender}, pushed=why is None,
                    why=why or "sent")


def record_group_offline_push(ctx: "Services", msg_id: int, sender: str, group: str, members: list[str],
                              body: pb.MessageBody) -> None:
    """The `push.offline` events of a group message, one per member it was delivered to (so not for an
    online-only one) without a connected device."""
    for member in dict.fromkeys(members):
        if member == sender or ctx.hub.online(member):
            continue
        why = silenced_by(ctx, member, sender, body, group=group)
        ctx.events.emit("push.offline", id=msg_id, user=member, **{"from": sender}, group=group,
                        pushed=why is None, why=why or "sent")
