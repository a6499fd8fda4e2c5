"""The `groupchat` recall scope (domain/recall.py): members recall their own messages, the owner
and admins anyone's; the RECALL notice reaches every member's devices in the conference queue.
The REST recall uses it for `chat_type: groupchat`; msync/group_recall.py is its msync handler."""
from __future__ import annotations

from typing import TYPE_CHECKING

from im_wire import pb

from ..store import StoredMessage
from .delivery import Target
from .fanout import device_targets
from .groups import resolve
from .queues import conference_queue
from .recall import RecallScope

if TYPE_CHECKING:
    from .services import Services

T = pb.MessageBody


def notice_targets(ctx: "Services", original: StoredMessage, recaller: str, resource: str | None) -> list[Target]:
    """Every device of every member of the group (or thread), but the recalling one."""
    group, thread = resolve(ctx, original.recipient)
    if group is None:
        return []
    members = list(thread.members if thread is not None else group.members)
    skip = (recaller, resource) if resource else None
    return device_targets(ctx, members, conference_queue(original.recipient), skip=skip)


GROUPCHAT = RecallScope("groupchat", frozenset({T.GROUPCHAT}), notice_targets)
