"""The `chatroom` recall scope (domain/recall.py): members recall their own room messages, the
owner and admins anyone's (rule `chatroom-recall`). Rooms keep no queues, so the scope has no
queue targets: the RECALL notice is pushed to the devices present (msync/room_recall.py,
rest/recall.py), like every room item (`chatroom-direct-push`)."""
from __future__ import annotations

from im_wire import pb

from .recall import RecallScope

T = pb.MessageBody


def no_queue_targets(ctx, original, recaller, resource) -> list:
    return []


CHATROOM = RecallScope("chatroom", frozenset({T.CHATROOM}), no_queue_targets)
