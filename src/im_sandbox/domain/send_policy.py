"""The checks every chat message passes before it is accepted, whatever its chat type.

    refusal = ctx.send_policy.check(sender, "groupchat", body)   # body: the upstream MessageBody
    if refusal is not None:
        return refusal                                            # a MetaResult to ack with

In this order (the first failing check answers; all are PERMISSION_DENIED, docs/protocol/msync.md §6.1):
1. global mute of the sender in the scope (chat / groupchat / chatroom) → "user is mute"
2. size: serialized contents + MessageBody.ext over `max_message_size` → "Sorry, data is too large"
3. `sensitive_words` in a text (case-insensitive substring) → "sensitive words"
4. more than `user_send_rate` accepted messages of the sender in the last second → "traffic limit"
Only messages that pass all four count towards the rate. Acks, recalls and edits are not messages
in this sense: callers apply the policy to CHAT / GROUPCHAT / CHATROOM bodies only.
"""
from __future__ import annotations

import time
from collections import deque
from typing import TYPE_CHECKING

from im_wire import ErrorCode, Reason, pb

from ..faults import seam
from .results import MetaResult

if TYPE_CHECKING:
    from .services import Services

RATE_WINDOW = 1.0  # seconds
_PRUNE_AT = 10_000  # senders tracked before idle ones are forgotten


def message_size(body: pb.MessageBody) -> int:
    """What the size limit measures: the encoded contents plus the encoded ext entries."""
    return sum(c.ByteSize() for c in body.contents) + sum(kv.ByteSize() for kv in body.ext)


def texts(body: pb.MessageBody) -> list[str]:
    return [c.text for c in body.contents if c.HasField("text")]


class SendPolicy:
    def __init__(self, ctx: "Services"):
        self.ctx = ctx
        self._accepted: dict[str, deque[float]] = {}

    def check(self, sender: str, scope: str, body: pb.MessageBody) -> MetaResult | None:
        """None when the message may go on; otherwise the refusal to ack it with."""
        settings = self.ctx.app_config
        reason = None
        if self.muted(sender, scope):
            reason = Reason.GLOBAL_MUTE
        elif message_size(body) > settings.get("max_message_size"):
            reason = Reason.DATA_TOO_LARGE
        elif self.has_sensitive_words(body):
            reason = Reason.SENSITIVE_WORDS
        elif not self._take_rate_slot(sender, settings.get("user_send_rate")):
            reason = Reason.TRAFFIC_LIMIT
        if reason is None:
            return None
        return self.refuse(sender, scope, reason)

    @seam("send_policy.muted")
    def muted(self, sender: str, scope: str) -> bool:
        """The sender is globally muted in the scope (/mutes)."""
        return self.ctx.store.mutes.is_muted(sender, scope)

    @seam("send_policy.refuse")
    def refuse(self, sender: str, scope: str, reason: str) -> MetaResult:
        """The refusal a failed check is acked with (`message.refused` in the event log)."""
        self.ctx.events.emit("message.refused", sender=sender, scope=scope, reason=reason)
        return MetaResult.fail(ErrorCode.PERMISSION_DENIED, reason)

    def too_large(self, size: int) -> bool:
        """For callers that measure differently (REST sends measure the JSON body + ext)."""
        return size > self.ctx.app_config.get("max_message_size")

    @seam("send_policy.sensitive_words")
    def has_sensitive_words(self, body: pb.MessageBody) -> bool:
        words = self.ctx.app_config.get("sensitive_words")
        if not words:
            return False
        lowered = [text.lower() for text in texts(body)]
        return any(w.lower() in text for w in words for text in lowered)

    def _take_rate_slot(self, sender: str, rate: int) -> bool:
        if rate <= 0:
            return True
        now = time.monotonic()
        recent = self._accepted.get(sender)
        if recent is None:
            if len(self._accepted) >= _PRUNE_AT:
                self._forget_idle(now)
            recent = self._accepted[sender] = deque()
        while recent and now - recent[0] >= RATE_WINDOW:
            recent.popleft()
        if len(recent) >= rate:
            return False
        recent.append(now)
        return True

    def _forget_idle(self, now: float) -> None:
        for sender in [s for s, q in self._accepted.items() if not q or now - q[-1] >= RATE_WINDOW]:
            del self._accepted[sender]
