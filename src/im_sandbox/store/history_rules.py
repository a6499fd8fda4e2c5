"""Which stored messages belong to the conversation history (roaming, history export).

Kept: content messages — MessageBody types CHAT, GROUPCHAT, CHATROOM — except commands
(Content.COMMAND, the passthrough messages: they are signals, not conversation; docs/protocol/rest.md §3.1/§3.4
say they cannot be recalled, and recall is what removes a message from history). Not kept: read /
delivery / channel acks, recall and edit notices, every non-CHAT namespace (NOTIFY …; such rows
carry chat_type 0), and directed messages (Meta.routetype ROUTE_DIRECT: docs/protocol/rest.md §3.1 says a
directed group message is not in history; a history page would show it to every member, rule
`directed-messages-not-in-history`). Recalled messages are not in the `messages` table at all (store/recalls.py).
"""
from __future__ import annotations

from google.protobuf.message import DecodeError

from im_wire import pb

Body = pb.MessageBody
# a SQL filter `chat_type IN CONTENT_TYPES` selects the candidates; kept_in_history() decides
CONTENT_TYPES = frozenset({Body.CHAT, Body.GROUPCHAT, Body.CHATROOM})


def is_command(body: pb.MessageBody) -> bool:
    return bool(body.contents) and body.contents[0].type == Body.Content.COMMAND


def kept_in_history(chat_type: int, meta: bytes) -> bool:
    """Whether a row of the `messages` table (its chat_type and rewritten Meta bytes) is history."""
    if chat_type not in CONTENT_TYPES:
        return False
    try:
        stored = pb.Meta.FromString(meta)
        if stored.ns != pb.Meta.CHAT or stored.routetype == pb.Meta.ROUTE_DIRECT:
            return False
        return not is_command(Body.FromString(stored.payload))
    except DecodeError:
        return False
