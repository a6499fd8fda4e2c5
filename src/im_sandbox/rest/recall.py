"""REST recall (rest.md §3.4): `POST /messages/msg_recall`, app token.

Body {msg_id, to, chat_type, from?, force?, sync_device?, recallMessageExtensionInfo?}. Without
`from` the app admin recalls (any sender's message); with it, only that sender's. `force`
ignores the time limit. The receivers get a RECALL notice (from = the recaller, "admin" by
default); `sync_device` (default true) also tells the sender's devices.
"""
from __future__ import annotations

from im_wire import pb

from ..domain import recall as core
from ..domain.delivery import deliver, user_jid
from ..ids import now_ms
from ..store import StoredMessage
from .envelope import RestError
from .routing import Auth, Call, RouteTable

routes = RouteTable()
T = pb.MessageBody
EXT_KEY = "recallMessageExtensionInfo"


def recall_error(status: int, description: str) -> RestError:
    return RestError(status, "message_recall_error", description, "MessageRecallException")


def refusal(why: str) -> RestError:
    if why == core.DISABLED:
        return RestError(403, "forbidden_op", "message recall service is unopened", "EasemobForbiddenOpException")
    if why == core.TIME_LIMIT:
        return recall_error(403, "exceed recall time limit")
    if why == core.WRONG_PEER:
        return recall_error(400, "can\u2019t find msg to")
    return recall_error(403, "not_found msg")  # NOT_FOUND, and NOT_YOURS: no such message of `from`


def _param(body: dict, name: str) -> str:
    value = body.get(name)
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value:
        raise recall_error(400, f"param {name} can't be empty")
    return value


def notice_meta(call: Call, original: StoredMessage, recaller: str, ext_info: str | None) -> tuple[int, int, bytes]:
    ctx = call.ctx
    server_id, ts = ctx.ids.next(), now_ms()
    body = T(type=T.RECALL, **{"from": pb.JID(name=recaller)}, to=pb.JID(name=original.recipient),
             ackMessageId=original.id)
    body.contents.append(T.Content())
    meta = pb.Meta(id=server_id, timestamp=ts, ns=pb.Meta.CHAT, payload=body.SerializeToString())
    getattr(meta, "from").CopyFrom(user_jid(ctx.appkey, recaller))
    meta.to.CopyFrom(user_jid(ctx.appkey, original.recipient))
    if ext_info is not None:
        meta.ext.append(pb.KeyValue(key=EXT_KEY, type=pb.KeyValue.STRING, stringValue=ext_info))
    return server_id, ts, meta.SerializeToString()


@routes.post("/messages/msg_recall", auth=Auth.APP)
async def recall_message(call: Call):
    body = await call.json()
    if not isinstance(body, dict):
        raise RestError(400, "invalid_request_body", "Request body is invalid. Please check body is correct.")
    msg_id_text, to, chat_type = _param(body, "msg_id"), _param(body, "to").lower(), _param(body, "chat_type")
    scope = core.RECALL_SCOPES.get(chat_type)
    if scope is None:
        known = ", ".join(core.RECALL_SCOPES)
        raise recall_error(400, f"param chat_type {chat_type} is not supported (supported: {known})")
    recaller = body.get("from")
    if recaller is not None and (not isinstance(recaller, str) or not recaller):
        raise recall_error(400, "param from can't be empty")
    ext_info = body.get(EXT_KEY)
    if ext_info is not None and not isinstance(ext_info, str):
        raise recall_error(400, f"param {EXT_KEY} must be a string")
    ctx = call.ctx
    try:
        original = core.find_recallable(ctx, int(msg_id_text) if msg_id_text.isdigit() else 0,
                                        recaller.lower() if recaller else None, to, scope,
                                        force=body.get("force") is True)
    except core.Refused as refused:
        ctx.events.emit("recall.refused", id=msg_id_text, by=recaller or "admin", why=refused.why, via="rest")
        raise refusal(refused.why) from None
    by = recaller.lower() if recaller else "admin"
    core.remove_original(ctx, original, by)
    server_id, ts, meta = notice_meta(call, original, by, ext_info)
    targets = scope.notice_targets(ctx, original, by, None)
    if body.get("sync_device", True) is not False and scope is core.ONE_TO_ONE:
        targets += core.sender_devices(ctx, original)
    deliver(ctx, StoredMessage(server_id, by, None, original.recipient, T.RECALL, meta, ts), targets)
    data = {"recalled": "yes", "chattype": chat_type, "from": by, "to": to, "msg_id": msg_id_text}
    return call.ok("post", "/messages/msg_recall", data=data)
