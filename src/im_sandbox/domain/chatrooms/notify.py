"""Pushing to the devices present in a room: MUC notifications and room messages.

Everything a room sends goes out as a direct push (docs/protocol/msync.md §3.6): an unsolicited
`CommSyncDL{status OK, queue: <room JID>, metas, isLast: true}` to each joined, connected device
(`ctx.hub.push`, domain/devices.py).
Nothing is queued: a device that is not present when the push happens never gets it, which is
the chatroom contract (no offline storage).

MUC notifications (docs/protocol/msync.md §5.2): Meta.from is `admin`, MUCBody.from the user the event is
about or the operator, `isChatroom` is set, and PRESENCE/ABSENCE carry `mucMemberCount`.
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING, Iterable

from im_wire import CONFERENCE_DOMAIN, USER_DOMAIN, pb

from ...ids import now_ms

if TYPE_CHECKING:
    from ..devices import Device
    from ..services import Services
    from .presence import PresenceRegistry

ADMIN = "admin"
def room_jid(appkey: str, room_id: str) -> pb.JID:
    return pb.JID(appKey=appkey, name=room_id, domain=CONFERENCE_DOMAIN)


class Notifier:
    def __init__(self, ctx: "Services", presence: "PresenceRegistry"):
        self.ctx = ctx
        self.presence = presence

    def muc_body(self, room_id: str, operation: int, *, operator: str, to: Iterable[str] = (),
                 member_count: int | None = None, ext: str | None = None, reason: str | None = None,
                 event_ext: dict | None = None) -> pb.MUCBody:
        appkey = self.ctx.appkey
        body = pb.MUCBody(mucId=room_jid(appkey, room_id), operation=operation, isChatroom=True,
                          **{"from": pb.JID(appKey=appkey, name=operator, domain=USER_DOMAIN)})
        for user in to:
            body.to.append(pb.JID(appKey=appkey, name=user, domain=USER_DOMAIN))
        if member_count is not None:
            body.mucMemberCount = member_count
        if ext:
            body.ext = ext
        if reason is not None:
            body.reason = reason
        if event_ext is not None:
            body.eventInfo.ext = json.dumps(event_ext, separators=(",", ":"), ensure_ascii=False)
        return body

    def muc_meta(self, room_id: str, body: pb.MUCBody) -> bytes:
        appkey = self.ctx.appkey
        meta = pb.Meta(id=self.ctx.ids.next(), timestamp=now_ms(), ns=pb.Meta.MUC, to=room_jid(appkey, room_id),
                       payload=body.SerializeToString(),
                       **{"from": pb.JID(appKey=appkey, name=ADMIN, domain=USER_DOMAIN)})
        return meta.SerializeToString()

    def push(self, room_id: str, metas: list[bytes], conns: Iterable["Device"]) -> int:
        return self.ctx.hub.push(room_jid(self.ctx.appkey, room_id), metas, conns)

    def to_present(self, room_id: str, operation: int, *, skip_user: str | None = None, **fields) -> int:
        """One MUC notification to every present device (minus those of `skip_user`)."""
        conns = [c for c in self.presence.connections(room_id) if c.user != skip_user]
        if not conns:
            return 0
        meta = self.muc_meta(room_id, self.muc_body(room_id, operation, **fields))
        return self.push(room_id, [meta], conns)

    def to_user(self, room_id: str, user: str, operation: int, **fields) -> int:
        """One MUC notification to the user's devices present in the room."""
        conns = self.presence.user_connections(room_id, user)
        if not conns:
            return 0
        meta = self.muc_meta(room_id, self.muc_body(room_id, operation, **fields))
        return self.push(room_id, [meta], conns)
