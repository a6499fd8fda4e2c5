"""REST recall (docs/protocol/rest.md §3.4): `POST /messages/msg_recall`, app token.

Body {msg_id, to, chat_type, from?, force?, sync_device?, recallMessageExtensionInfo?}. Without
`from` the app admin recalls (any sender's message); with it, only that sender's. `force`
ignores the time limit. The receivers get a RECALL notice (from = the recaller, "admin" by
default); `sync_device` (default true) also tells the sender's devices. `chat_type` chatroom: the
notice is pushed to the devices present in the room. Batches: `POST /messages/batch_recall` and the
older `POST /messages/recall`, `{"msgs": [≤ 30 × the single body, force required]}`.
"""
from __future__ import annotations

from im_wire import pb

from ..domain import recall as core
from ..domain.delivery import deliver, user_jid
from ..domain.group_notify import conference_jid
from ..domain.room_recall import CHATROOM
from ..msync.room_recall import push_notice
from ..ids import now_ms
from ..store import StoredMessage
from .envelope import RestError
from .routing import Auth, Call, RouteTable

routes = RouteTable()
T = pb.MessageBody
EXT_KEY = "recallMessageExtensionInfo"
MAX_BATCH = 30


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
    if original.chat_type == T.CHAT:
        meta.to.CopyFrom(user_jid(ctx.appkey, original.recipient))
    else:
        meta.to.CopyFrom(conference_jid(ctx.appkey, original.recipient))
    if ext_info is not None:
        meta.ext.append(pb.KeyValue(key=EXT_KEY, type=pb.KeyValue.STRING, stringValue=ext_info))
    return server_id, ts, meta.SerializeToString()


def recall_one(call: Call, body, *, force_required: bool = False) -> dict:
    """Check and perform one recall described by `body`; returns the answer's data item.
    Raises RestError (the body is wrong, or the recall is refused)."""
    if not isinstance(body, dict):
        raise RestError(400, "invalid_request_body", "Request body is invalid. Please check body is correct.")
    msg_id_text, to, chat_type = _param(body, "msg_id"), _param(body, "to").lower(), _param(body, "chat_type")
    scope = core.RECALL_SCOPES.get(chat_type)
    if scope is None:
        known = ", ".join(core.RECALL_SCOPES)
        raise recall_error(400, f"param chat_type {chat_type} is not supported (supported: {known})")
    if force_required and not isinstance(body.get("force"), bool):
        raise recall_error(400, "param force can't be empty")
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
    notice = StoredMessage(server_id, by, None, original.recipient, T.RECALL, meta, ts)
    if scope is CHATROOM:
        push_notice(ctx, notice)
    else:
        targets = scope.notice_targets(ctx, original, by, None)
        if body.get("sync_device", True) is not False and scope is core.ONE_TO_ONE:
            targets += core.sender_devices(ctx, original)
        deliver(ctx, notice, targets)
    return {"recalled": "yes", "chattype": chat_type, "from": by, "to": to, "msg_id": msg_id_text}


@routes.post("/messages/msg_recall", auth=Auth.APP)
async def recall_message(call: Call):
    data = recall_one(call, await call.json())
    return call.ok("post", "/messages/msg_recall", data=data)


async def _batch(call: Call, path: str):
    """`{"msgs": [≤ 30 recalls]}`: one answer item per recall, in order; a refused one is
    `{"recalled": "no", "msg_id", "to", "chattype", "reason": <the single recall's error_description>}`
    and does not stop the others (rule `batch-recall-per-item`)."""
    raw = await call.json()
    msgs = raw.get("msgs") if isinstance(raw, dict) else None
    if not isinstance(msgs, list) or not msgs:
        raise recall_error(400, "param msgs can't be empty")
    if len(msgs) > MAX_BATCH:
        raise recall_error(400, f"param msgs's size can't exceed limit {MAX_BATCH}")
    data = []
    for item in msgs:
        try:
            data.append(recall_one(call, item, force_required=True))
        except RestError as err:
            ask = item if isinstance(item, dict) else {}
            data.append({"recalled": "no", "msg_id": str(ask.get("msg_id", "")), "to": ask.get("to"),
                         "chattype": ask.get("chat_type"), "reason": err.description})
    return call.ok("post", path, data=data)


@routes.post("/messages/batch_recall", auth=Auth.APP)
async def batch_recall(call: Call):
    return await _batch(call, "/messages/batch_recall")


@routes.post("/messages/recall", auth=Auth.APP)
async def batch_recall_older_path(call: Call):
    """The older batch path (docs/protocol/rest.md §3.4); answered like /messages/batch_recall."""
    return await _batch(call, "/messages/recall")
