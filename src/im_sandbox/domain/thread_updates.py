"""What a thread's members and its group hear besides the thread's messages (docs/protocol/msync.md §4.6, §5.2).

- A new message in a thread: NOTIFY `thread` operation `update_msg` with `message_count` and
  `last_message` to every member of the parent group but the sending device (the SDK's
  `onChatThreadChange` operation update with `lastMessage`; rule `thread-update-msg-to-group`).
- The operator's own other devices hear of its thread operations as MUC THREAD_CREATE /
  THREAD_DESTROY / THREAD_JOIN / THREAD_LEAVE / THREAD_UPDATE (33–36, 38), the SDK's
  `onMultiDeviceEvent` chatThreadCreate …; the other members get the NOTIFY `thread` item
  (rule `thread-multi-device-muc`).

`last_message` has the shape of a REST history message (`{id, from, to, timestamp, payload: {bodies,
ext, from, to, type}}`), which the SDK parses for `getChatThreadLastMessage` and for `update_msg`.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from im_wire import pb

from ..faults import seam
from ..store import StoredMessage
from ..store.threads import Thread
from . import group_notify

if TYPE_CHECKING:
    from .services import Services

C = pb.MessageBody.Content
_BODY_TYPES = {C.TEXT: "txt", C.IMAGE: "img", C.VIDEO: "video", C.LOCATION: "loc", C.VOICE: "audio",
               C.FILE: "file", C.COMMAND: "cmd", C.CUSTOM: "custom", C.COMBINE: "combine"}


def _rest_body(content: pb.MessageBody.Content) -> dict:
    kind = _BODY_TYPES.get(content.type, "txt")
    body: dict = {"type": kind}
    if content.HasField("text"):
        body["msg"] = content.text
    if content.HasField("action"):
        body["action"] = content.action
    if content.HasField("customEvent"):
        body["customEvent"] = content.customEvent
    if content.HasField("displayName"):
        body["filename"] = content.displayName
    if content.HasField("remotePath"):
        body["url"] = content.remotePath
    return body


def last_message(stored: StoredMessage, thread: Thread) -> dict:
    """A stored thread message as the REST history shows one."""
    body = pb.MessageBody.FromString(pb.Meta.FromString(stored.meta).payload)
    ext = {kv.key: getattr(kv, kv.WhichOneof("value")) for kv in body.ext if kv.WhichOneof("value")}
    payload = {"bodies": [_rest_body(c) for c in body.contents], "ext": ext, "from": stored.sender,
               "to": thread.id, "type": "groupchat"}
    return {"id": str(stored.id), "from": stored.sender, "to": thread.id, "timestamp": stored.ts,
            "chat_type": "groupchat", "payload": payload}


@seam("threads.message_posted")
def message_posted(ctx: "Services", thread: Thread, group_members: Iterable[str], stored: StoredMessage,
                   skip: tuple[str, str | None] | None) -> None:
    """NOTIFY `update_msg` to the group's members after a message in `thread`."""
    group_notify.thread_event(ctx, thread, "update_msg", group_members, operator=stored.sender, skip=skip,
                              last_message=last_message(stored, thread))


MULTI_DEVICE = {"create": group_notify.Op.THREAD_CREATE, "delete": group_notify.Op.THREAD_DESTROY,
                "join": group_notify.Op.THREAD_JOIN, "leave": group_notify.Op.THREAD_LEAVE,
                "update": group_notify.Op.THREAD_UPDATE}


@seam("threads.own_devices_told")
def own_devices(ctx: "Services", thread: Thread, operation: str, user: str | None,
                skip: tuple[str, str | None] | None) -> None:
    """MUC 33–36 / 38 about `thread` to the other devices of `user` (the operator; none for the app)."""
    if user is None:
        return
    group_notify.muc(ctx, thread.id, MULTI_DEVICE[operation], [user], operator=user, name=thread.name,
                     thread_parent=thread.group_id, skip=skip)


def tell_group(ctx: "Services", thread: Thread, operation: str, group_members: Iterable[str], user: str | None,
               skip: tuple[str, str | None] | None) -> None:
    """A thread operation by `user` (None: the app): NOTIFY `thread` to the group's other members,
    the MUC multi-device operation to the operator's other devices."""
    others = [m for m in group_members if m != user]
    group_notify.thread_event(ctx, thread, operation, others, operator=user or group_notify.ADMIN)
    own_devices(ctx, thread, operation, user, skip)
