"""REST send to users (docs/protocol/rest.md §3.1): `POST /messages/users`, app token.

Admin-side sends skip what only applies to clients (docs/protocol/rest.md §3.1 notes, §11.6): the sender's
global mute, the per-user send rate and sensitive words are not checked; the size limit is
(JSON body + ext over `max_message_size` → 400 `message is too large`). Recipient names are not
validated: an unknown name still gets a message id. `sync_device` copies the message to the
sender's devices (queue = the recipient, the conversation it belongs to).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from im_wire import pb

from ..domain.contacts import rest_send_refusal
from ..domain.delivery import Target, deliver, user_jid
from ..domain.push import record_offline_push
from ..domain.queues import user_queue
from ..faults import seam
from ..ids import now_ms
from ..store import PENDING, StoredMessage
from .message_build import SendRequest, message_body, parse_send, too_large
from .routing import Auth, Call, RouteTable

if TYPE_CHECKING:
    from ..msync.context import Context

routes = RouteTable()
MAX_USERS = 600
T = pb.MessageBody


def _targets(call: Call, req: SendRequest, recipient: str) -> list[Target]:
    """The recipient's devices (queue = sender; its pending bucket when it has none) and, with
    sync_device, the sender's devices (queue = recipient); ROUTE_ONLINE keeps connected ones only."""
    ctx = call.ctx
    known = ctx.store.devices.known

    def wanted(user: str, device: str) -> bool:
        return not req.online_only or ctx.hub.device(user, device) is not None

    devices = known(recipient)
    targets: list[Target] = [(recipient, d, user_queue(req.sender)) for d in devices if wanted(recipient, d)]
    if not devices and not req.online_only:
        targets.append((recipient, PENDING, user_queue(req.sender)))
    if req.sync_device and recipient != req.sender:
        targets += [(req.sender, d, user_queue(recipient)) for d in known(req.sender) if wanted(req.sender, d)]
    return targets


def send_one(call: Call, req: SendRequest, recipient: str) -> int:
    ctx = call.ctx
    server_id, ts = ctx.ids.next(), now_ms()
    body = chat_body(ctx, req, recipient)
    meta = pb.Meta(id=server_id, timestamp=ts, ns=pb.Meta.CHAT, payload=body.SerializeToString(),
                   routetype=pb.Meta.ROUTE_ONLINE if req.online_only else pb.Meta.ROUTE_ALL)
    getattr(meta, "from").CopyFrom(user_jid(ctx.appkey, req.sender))
    meta.to.CopyFrom(user_jid(ctx.appkey, recipient))
    ctx.events.emit("message.upstream", id=server_id, sender=req.sender, to=recipient, type="CHAT", via="rest")
    deliver(ctx, StoredMessage(server_id, req.sender, None, recipient, T.CHAT, meta.SerializeToString(), ts),
            _targets(call, req, recipient))
    if not req.online_only:
        record_offline_push(ctx, server_id, req.sender, recipient, body)
    return server_id


@seam("rest.chat_body")
def chat_body(ctx: "Context", req: SendRequest, recipient: str) -> pb.MessageBody:
    """The MessageBody of a REST 1:1 send, ext values typed as the Web SDK types JSON."""
    return message_body(req, T.CHAT, recipient)


def refused_or_sent(call: Call, req: SendRequest, recipient: str) -> str:
    """The new message id, or why this recipient was refused (`nonroster`: rule `friends-only-rest`)."""
    refusal = rest_send_refusal(call.ctx, req.sender, recipient)
    if refusal is None:
        return str(send_one(call, req, recipient))
    call.ctx.events.emit("message.refused", sender=req.sender, to=recipient, scope="chat", reason=refusal, via="rest")
    return refusal


@routes.post("/messages/users", auth=Auth.APP)
async def send_to_users(call: Call):
    req = parse_send(await call.json(), MAX_USERS)
    if call.ctx.send_policy.too_large(req.size):
        call.ctx.events.emit("message.refused", sender=req.sender, scope="chat", reason="message is too large")
        raise too_large()
    ids = {recipient: refused_or_sent(call, req, recipient) for recipient in dict.fromkeys(req.to)}
    return call.ok("post", "/messages/users", data=ids)
