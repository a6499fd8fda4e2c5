"""Room messages: who may speak, the priority budget, and fan-out to the devices present now.

Checks for a CHATROOM message from a device, in this order (the first failing one answers):
room exists (FAIL `grpID <id> does not exist!`), sender is a member (FAIL `not in group or
chatroom`), member mute in force (USER_MUTED `user muted`), mute-all and the sender is neither
owner, admin nor on the allow list (FAIL `not in group or chatroom white list`), then the app's
send policy (global mute, size, sensitive words, rate: send_policy.py).

An accepted message is stored (history) without queue items, acked OK, and then either pushed to
every present device but the sending one, or dropped when traffic control sheds its priority under
downstream pressure (shedding.py) or the room's budget (budget.py) refuses it: the sender still
gets OK (as on the real service) and the event log records `message.dropped` with the reason.
Broadcasts (REST) are never dropped. A directed message (Meta.routetype ROUTE_DIRECT with
Meta.directedUsers; the SDK's `receiverList`, REST `POST /messages/chatrooms/users`) reaches the
present devices of the directed users (and the sender's other devices) only.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from im_wire import ErrorCode, Reason, pb

from ...ids import now_ms
from ...faults import seam
from ...store import StoredMessage
from ...store.chatrooms import ADMIN, ALLOW, OWNER
from ..delivery import rewrite, user_jid
from ..results import MetaResult
from .budget import PRIORITY_TAG, priority_of_tag
from .notify import room_jid
from .shedding import shed

if TYPE_CHECKING:
    from ..devices import Device
    from ..send_policy import SendPolicy
    from ..services import Services
    from ..traffic import TrafficControl
    from .budget import PriorityBudget
    from .notify import Notifier
    from .presence import PresenceRegistry

CHATROOM = pb.MessageBody.CHATROOM
TAG_KEY = "chatroom_msg_tag"
BROADCAST_KEY = "is_broadcast"
VT = pb.KeyValue.ValueType


def tag_of(meta: pb.Meta) -> int | None:
    for kv in meta.ext:
        if kv.key == TAG_KEY and kv.HasField("varintValue"):
            return kv.varintValue
    return None


def directed_to(meta: pb.Meta, sender: str) -> frozenset[str] | None:
    """Who a ROUTE_DIRECT room message reaches: the directed users and the sender's other devices
    (docs/protocol/msync.md §4.2); None for every other route (all present members)."""
    if meta.routetype != pb.Meta.ROUTE_DIRECT:
        return None
    return frozenset({u.lower() for u in meta.directedUsers} | {sender})


class RoomSender:
    def __init__(self, ctx: "Services", presence: "PresenceRegistry", notify: "Notifier", budget: "PriorityBudget",
                 send_policy: "SendPolicy", traffic: "TrafficControl"):
        self.ctx = ctx
        self.store = ctx.store.chatrooms
        self.presence = presence
        self.notify = notify
        self.budget = budget
        self.send_policy = send_policy
        self.traffic = traffic

    def from_device(self, conn: "Device", meta: pb.Meta, body: pb.MessageBody) -> MetaResult:
        ctx = self.ctx
        store = self.store
        room_id = meta.to.name
        room = store.get(room_id)
        if room is None:
            return MetaResult.fail(ErrorCode.FAIL, Reason.ROOM_NOT_EXIST.format(room_id))
        user = conn.user
        role = store.role(room_id, user)
        refusal = self.speaker_refusal(room_id, user, role, room.mute_all)
        if refusal is None:
            refusal = self.send_policy.check(user, "chatroom", body)
        if refusal is not None:
            ctx.events.emit("chatroom.send_refused", room=room_id, sender=user, reason=refusal.reason)
            return refusal
        server_id = ctx.ids.next()
        ts = now_ms()
        data = rewrite(meta, server_id, ts, user_jid(ctx.appkey, user, conn.resource), room_jid(ctx.appkey, room_id))
        msg = StoredMessage(server_id, user, conn.resource, room_id, CHATROOM, data, ts)
        ctx.events.emit("message.upstream", id=server_id, client_id=meta.id, sender=user, resource=conn.resource,
                        to=room_id, type="CHATROOM")
        self.deliver(room_id, msg, self.priority_of(tag_of(meta)), skip=conn, only=directed_to(meta, user))
        return MetaResult.ok(server_id, ts)

    def speaker_refusal(self, room_id: str, user: str, role: str | None, mute_all: bool) -> MetaResult | None:
        store = self.store
        if role is None:
            return MetaResult.fail(ErrorCode.FAIL, Reason.NOT_IN_GROUP)
        if store.mute_end(room_id, user) is not None:
            return MetaResult.fail(ErrorCode.USER_MUTED, Reason.USER_MUTED)
        if mute_all and self.mute_all_silences(room_id, user, role):
            return MetaResult.fail(ErrorCode.FAIL, Reason.NOT_IN_WHITE_LIST)
        return None

    @seam("chatrooms.priority_of")
    def priority_of(self, tag: int | None) -> str:
        """The priority of an upstream room message: its tag's, normal for no tag or an unknown one."""
        return priority_of_tag(tag)

    @seam("chatrooms.mute_all_silences")
    def mute_all_silences(self, room_id: str, user: str, role: str) -> bool:
        """Under mute-all only the owner, the admins and the allow-list speak."""
        return role not in (OWNER, ADMIN) and not self.store.in_list(room_id, ALLOW, user)

    def deliver(self, room_id: str, msg: StoredMessage, priority: str, *, skip: "Device | None" = None,
                budgeted: bool = True, only: frozenset[str] | None = None) -> int | None:
        """Store, then push to the present devices (of the users in `only`, when the message is
        directed); None when traffic control (shedding.py) or the budget dropped the message."""
        ctx = self.ctx
        ctx.store.messages.add(msg, [])
        if budgeted:
            shed_by_traffic = shed(self.traffic, priority)
            if shed_by_traffic is not None:
                ctx.events.emit("message.dropped", id=msg.id, room=room_id, sender=msg.sender, priority=priority,
                                **shed_by_traffic)
                return None
            budget = ctx.app_config.get("chatroom_msg_budget")
            if not self.budget.admit(room_id, priority, budget):
                ctx.events.emit("message.dropped", id=msg.id, room=room_id, sender=msg.sender, priority=priority,
                                reason=f"chatroom budget: {budget[priority]} {priority} per {budget['window_ms']} ms")
                return None
        conns = [c for c in self.presence.connections(room_id, skip=skip) if only is None or c.user in only]
        sent = self.notify.push(room_id, [msg.meta], conns)
        ctx.events.emit("chatroom.fanout", id=msg.id, room=room_id, priority=priority, devices=sent)
        return sent

    def from_server(self, room_id: str, sender: str, body: pb.MessageBody, priority: str,
                    broadcast: bool = False, directed: list[str] | None = None) -> int:
        """A REST-sent room message (or one room's copy of a broadcast, or a message directed to
        some members: `POST /messages/chatrooms/users`); returns its id."""
        ctx = self.ctx
        server_id = ctx.ids.next()
        ts = now_ms()
        body.to.name = room_id
        meta = pb.Meta(id=server_id, timestamp=ts, ns=pb.Meta.CHAT, to=room_jid(ctx.appkey, room_id),
                       payload=body.SerializeToString(), **{"from": user_jid(ctx.appkey, sender)})
        meta.ext.add(key=TAG_KEY, type=VT.INT, varintValue=PRIORITY_TAG[priority])
        if broadcast:
            meta.ext.add(key=BROADCAST_KEY, type=VT.BOOL, varintValue=1)
        if directed:
            meta.routetype = pb.Meta.ROUTE_DIRECT
            meta.directedUsers.extend(directed)
        msg = StoredMessage(server_id, sender, None, room_id, CHATROOM, meta.SerializeToString(), ts)
        ctx.events.emit("message.upstream", id=server_id, sender=sender, to=room_id, type="CHATROOM",
                        via="rest", broadcast=broadcast)
        only = directed_to(meta, sender) if directed else None
        self.deliver(room_id, msg, priority, budgeted=not broadcast, only=only)
        return server_id

    def broadcast(self, sender: str, body: pb.MessageBody, priority: str) -> list[tuple[str, int]]:
        """One copy per room that has someone present: (room id, message id) each."""
        sent = []
        for room_id in list(self.presence.rooms):
            copy = pb.MessageBody()
            copy.CopyFrom(body)
            sent.append((room_id, self.from_server(room_id, sender, copy, priority, broadcast=True)))
        return sent
