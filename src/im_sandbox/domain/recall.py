"""RECALL (docs/protocol/msync.md §4.2/§4.4, docs/protocol/rest.md §3.4): take a message back.

The core, shared by every chat type (the msync handlers: msync/recall.py, msync/group_recall.py)
and by the REST recall:

    original = find_recallable(ctx, msg_id, recaller, peer, scope)   # raises Refused
    remove_original(ctx, original, recalled_by)                       # queues, history, reactions

then the caller delivers the RECALL notice to the conversation's devices. 1:1 recalls are
the `chat` scope here; another chat type adds its own RecallScope to RECALL_SCOPES (which REST
`chat_type` it answers to, the MessageBody types it may recall, who may recall whose message, and
where the notice goes) and registers an msync handler for RECALL in its dispatcher scope:

    RECALL_SCOPES["groupchat"] = RecallScope("groupchat", {T.GROUPCHAT}, group_notice_targets, may_recall)
    ctx.dispatcher.chat_type(T.RECALL, make_handler(RECALL_SCOPES["groupchat"]), scope=CONFERENCE)
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from im_wire import ErrorCode, Reason, pb

from ..faults import seam
from ..ids import now_ms
from ..store import PENDING, StoredMessage
from ..store.history_rules import is_command
from .chat import one_to_one_targets
from .delivery import Target
from .queues import user_queue

if TYPE_CHECKING:
    from .services import Services

T = pb.MessageBody

# why a recall is refused → the msync status it is acked with
DISABLED, NOT_FOUND, TIME_LIMIT = "disabled", "not_found", "time_limit"
NOT_YOURS, WRONG_PEER = "not_yours", "wrong_peer"
MSYNC_STATUS = {
    DISABLED: (ErrorCode.FAIL, Reason.RECALL_DISABLED),
    NOT_FOUND: (ErrorCode.FAIL, Reason.RECALL_NOT_FOUND),
    TIME_LIMIT: (ErrorCode.FAIL, Reason.RECALL_TIME_LIMIT),
    NOT_YOURS: (ErrorCode.FAIL, Reason.NO_PERMISSION),
    WRONG_PEER: (ErrorCode.FAIL, Reason.RECALL_NOT_FOUND),
}


class Refused(Exception):
    def __init__(self, why: str):
        super().__init__(why)
        self.why = why


def sender_only(original: StoredMessage, recaller: str) -> bool:
    return original.sender == recaller


NoticeTargets = Callable[["Services", StoredMessage, str, str | None], list[Target]]
"""(ctx, original, recaller, recalling resource or None) -> where the RECALL notice goes"""


@dataclass(frozen=True)
class RecallScope:
    name: str                                   # REST chat_type: chat | groupchat | chatroom
    chat_types: frozenset[int]                  # MessageBody types of the messages it may recall
    notice_targets: NoticeTargets
    may_recall: Callable[[StoredMessage, str], bool] = sender_only


def find_recallable(ctx: "Services", msg_id: int, recaller: str | None, peer: str, scope: RecallScope,
                    force: bool = False) -> StoredMessage:
    """The message `recaller` (None = the app admin) may recall now, or Refused(why).

    `peer` is the conversation the recall names (the other user, or the group/room id)."""
    settings = ctx.app_config
    if not settings.get("recall_enabled"):
        raise Refused(DISABLED)
    original = ctx.store.messages.get(msg_id) if msg_id else None
    if original is None or original.chat_type not in scope.chat_types or not recallable_kind(ctx, original):
        raise Refused(NOT_FOUND)
    if recaller is not None and not may_recall(ctx, scope, original, recaller):
        raise Refused(NOT_YOURS)
    if original.recipient != peer:
        raise Refused(WRONG_PEER)
    if not force and too_late(ctx, original):
        raise Refused(TIME_LIMIT)
    return original


@seam("recall.recallable_kind")
def recallable_kind(ctx: "Services", original: StoredMessage) -> bool:
    """Commands cannot be recalled (docs/protocol/rest.md §3.4): they are not history."""
    return not _is_command(original)


@seam("recall.may_recall")
def may_recall(ctx: "Services", scope: RecallScope, original: StoredMessage, recaller: str) -> bool:
    """Whether `recaller` may take back this message (the scope's rule: by default its sender only)."""
    return scope.may_recall(original, recaller)


@seam("recall.too_late")
def too_late(ctx: "Services", original: StoredMessage) -> bool:
    """`recall_time_limit` seconds or more have passed since the message was sent (0 closes the window)."""
    return now_ms() - original.ts >= ctx.app_config.get("recall_time_limit") * 1000


def remove_original(ctx: "Services", original: StoredMessage, recalled_by: str) -> None:
    dropped = ctx.store.recalls.remove_original(original.id, original.sender, original.recipient,
                                                original.chat_type, recalled_by)
    ctx.events.emit("recall.done", id=original.id, sender=original.sender, to=original.recipient,
                    by=recalled_by, undelivered_dropped=dropped)


def _is_command(original: StoredMessage) -> bool:
    stored = pb.Meta.FromString(original.meta)
    return stored.ns == pb.Meta.CHAT and is_command(T.FromString(stored.payload))


def one_to_one_notice_targets(ctx: "Services", original: StoredMessage, recaller: str,
                              resource: str | None) -> list[Target]:
    """Over msync: like a message from the recaller (peer's devices + the recaller's other devices).
    Over REST: the peer's devices in the conversation queue of the sender, and (sync_device) the
    sender's devices in the queue of the peer."""
    if resource is not None:
        return one_to_one_targets(ctx, recaller, resource, original.recipient, online_only=False)
    devices = ctx.store.devices.known(original.recipient) or (PENDING,)
    return [(original.recipient, device, user_queue(original.sender)) for device in devices]


def sender_devices(ctx: "Services", original: StoredMessage) -> list[Target]:
    """The sender's known devices, for a REST recall with sync_device."""
    return [(original.sender, device, user_queue(original.recipient))
            for device in ctx.store.devices.known(original.sender)]


ONE_TO_ONE = RecallScope("chat", frozenset({T.CHAT}), one_to_one_notice_targets)
RECALL_SCOPES: dict[str, RecallScope] = {"chat": ONE_TO_ONE}
