"""Groups and threads as a conversation: which group a conference name denotes, who may send to it.

Checks in the real server's order: the group (or thread) exists, the sender is a member, is not
globally muted (`/mutes`, scope groupchat), not muted in the group, and mute-all lets it speak
(owner, admins, allow-list). Thread messages reach members with MessageBody.meta.thread filled;
members who blocked the group's messages (shield) get none.
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING, Iterable

from im_wire import ErrorCode, Reason, pb

from ..faults import seam
from ..store.groups import Group
from ..store.threads import Thread
from .results import MetaResult

if TYPE_CHECKING:
    from .services import Services


def resolve(ctx: "Services", name: str) -> tuple[Group | None, Thread | None]:
    """The group a conference name denotes, or the thread and its group."""
    group = ctx.store.groups.get(name)
    if group is not None:
        return group, None
    thread = ctx.store.threads.get(name)
    if thread is None:
        return None, None
    return ctx.store.groups.get(thread.group_id), thread


def membership_refusal(group: Group | None, thread: Thread | None, user: str) -> MetaResult | None:
    if group is None:
        return MetaResult.fail(ErrorCode.FAIL, Reason.GROUP_NOT_FOUND)
    if group.disabled:
        return MetaResult.fail(ErrorCode.FAIL, Reason.GROUP_DISABLED)
    if user not in group.members or (thread is not None and user not in thread.members):
        return MetaResult.fail(ErrorCode.FAIL, Reason.NOT_IN_GROUP)
    return None


def speak_refusal(ctx: "Services", group: Group, user: str) -> MetaResult | None:
    """Global mute, member mute, mute-all (owner, admins and the allow-list may still speak)."""
    if ctx.mutes.is_muted(user, "groupchat"):
        return MetaResult.fail(ErrorCode.PERMISSION_DENIED, Reason.GLOBAL_MUTE)
    if group.mute_expiry(user) is not None:
        return MetaResult.fail(ErrorCode.USER_MUTED, Reason.USER_MUTED)
    if group.mute_all and mute_all_silences(ctx, group, user):
        # rule group-mute-all-not-in-white-list: the SDK's 506, documented for mute-all
        return MetaResult.fail(ErrorCode.FAIL, Reason.NOT_IN_WHITE_LIST)
    return None


@seam("groups.mute_all_silences")
def mute_all_silences(ctx: "Services", group: Group, user: str) -> bool:
    """Under mute-all only the owner, the admins and the allow-list speak."""
    return not group.is_manager(user) and user not in group.allow


@seam("groups.recipients")
def recipients_of(ctx: "Services", members: Iterable[str], route: int, directed: Iterable[str],
                  sender: str) -> list[str]:
    """Who a group (or thread) message goes to: every member, or with ROUTE_DIRECT the directed
    members (and the sender's other devices)."""
    if route == pb.Meta.ROUTE_DIRECT:
        chosen = {u.lower() for u in directed}
        return [u for u in members if u in chosen or u == sender]
    return list(members)


@seam("groups.unshielded")
def unshielded(ctx: "Services", group: Group, users: Iterable[str], sender: str | None = None) -> list[str]:
    """A member who blocked the group's messages (`/shield`) gets none of them, thread messages
    included; the sender's own other devices still get their copy."""
    shielded = group.shielded
    return [u for u in users if u == sender or u not in shielded]


@seam("groups.thread_annotated")
def thread_annotated(ctx: "Services", meta: pb.Meta, body: pb.MessageBody, thread: Thread) -> pb.Meta:
    """The upstream meta with MessageBody.meta.thread filled for receivers (thread messages only)."""
    try:
        annotations = json.loads(body.meta) if body.meta else {}
    except (ValueError, RecursionError):
        annotations = {}
    if not isinstance(annotations, dict):
        annotations = {}
    annotations["thread"] = {"msg_parent_id": thread.msg_id, "muc_parent_id": thread.group_id,
                             "thread_name": thread.name}
    body.meta = json.dumps(annotations, separators=(",", ":"), ensure_ascii=False)
    out = pb.Meta()
    out.CopyFrom(meta)
    out.payload = body.SerializeToString()
    return out
