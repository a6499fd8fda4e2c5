"""REST sends to groups (docs/protocol/rest.md §3.1): `POST /messages/chatgroups`, app token.

A server-side send: the `from` user need not be online, and no member check or mute applies
(docs/protocol/rest.md §11.6, REST sends bypass the sender checks). Every member's devices get the message in
the group queue, the sender's own devices too (a REST send comes from no device of theirs),
subject to the offline limit like any group message; members who blocked the group's messages
(shield) get none. An unknown group id answers 404.
"""
from __future__ import annotations

from im_wire import pb

from ..domain.delivery import user_jid
from ..domain.fanout import deliver_limited, device_targets
from ..domain.group_notify import conference_jid
from ..domain.groups import unshielded
from ..domain.push import record_group_offline_push
from ..domain.queues import conference_queue
from ..ids import now_ms
from ..store import StoredMessage
from .group_common import group_not_found
from .message_build import message_body, parse_send, too_large
from .routing import Auth, Call, RouteTable

routes = RouteTable()
MAX_GROUPS = 3
T = pb.MessageBody


@routes.post("/messages/chatgroups", auth=Auth.APP)
async def send_to_groups(call: Call):
    ctx = call.ctx
    req = parse_send(await call.json(), MAX_GROUPS)
    if ctx.send_policy.too_large(req.size):
        ctx.events.emit("message.refused", sender=req.sender, scope="groupchat", reason="message is too large")
        raise too_large()
    groups = [ctx.store.groups.get(gid) for gid in dict.fromkeys(req.to)]
    for gid, group in zip(dict.fromkeys(req.to), groups):
        if group is None:
            raise group_not_found(gid)
    ids = {}
    for group in groups:
        server_id, ts = ctx.ids.next(), now_ms()
        body = message_body(req, T.GROUPCHAT, group.id)
        meta = pb.Meta(id=server_id, timestamp=ts, ns=pb.Meta.CHAT, payload=body.SerializeToString(),
                       routetype=pb.Meta.ROUTE_ONLINE if req.online_only else pb.Meta.ROUTE_ALL)
        getattr(meta, "from").CopyFrom(user_jid(ctx.appkey, req.sender))
        meta.to.CopyFrom(conference_jid(ctx.appkey, group.id))
        recipients = unshielded(ctx, group, list(group.members), req.sender) + [req.sender]
        targets = device_targets(ctx, list(dict.fromkeys(recipients)), conference_queue(group.id),
                                 online_only=req.online_only)
        ctx.events.emit("message.upstream", id=server_id, sender=req.sender, to=group.id, type="GROUPCHAT",
                        group=group.id, via="rest", recipients=len(targets))
        deliver_limited(ctx, StoredMessage(server_id, req.sender, None, group.id, T.GROUPCHAT,
                                           meta.SerializeToString(), ts), targets)
        if not req.online_only:
            record_group_offline_push(ctx, server_id, req.sender, group.id, recipients, body)
        ids[group.id] = str(server_id)
    return call.ok("post", "/messages/chatgroups", data=ids)
