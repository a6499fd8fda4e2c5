"""Roaming history (docs/protocol/rest.md §3.8, docs/protocol/msync.md §5.4) and one-way deletes (docs/protocol/rest.md §3.9).

    POST /users/{me}/messageroaming {queue, start, pull_number, is_positive, msgType, startTime,
                                     endTime, userId}      user token of {me} (or an app token)
      -> data: {msgs: [{msg: <base64 of the stored downstream Meta>}], next_key, is_last}

Paging: `start` -1 / absent / "" begins at the newest message (the oldest with `is_positive`);
otherwise it is the `next_key` of the previous page, a message id, and the page continues after
it (exclusive). `next_key` is the id of the page's last message; `is_last` is true when nothing
follows. What counts as history is store/history_rules.py; recalled messages are gone. A message
with reactions carries them in MessageBody.meta `reaction` (`with_reactions`).

One-way deletes remove messages from one user's history only (the peer keeps them); `isNotify`
(default true) tells the owner's devices with a NOTIFY `roaming_delete` item (docs/protocol/msync.md §4.6).
The app setting `roaming_enabled` off answers 400 `this appKey not open message roaming`.
"""
from __future__ import annotations

import base64
import json
from typing import TYPE_CHECKING, Any

from im_wire import USER_DOMAIN, pb

from ..domain.delivery import deliver
from ..domain.fanout import device_targets
from ..domain.queues import SYSTEM_QUEUE
from ..faults import seam
from ..ids import now_ms
from ..store import StoredMessage
from ..store.history_rules import CONTENT_TYPES, kept_in_history
from ..store.roaming import ALL_CONVERSATIONS, CONFERENCE_SUFFIX, HistoryQuery
from .envelope import RestError, illegal_argument, user_not_found
from .routing import Auth, Call, RouteTable

if TYPE_CHECKING:
    from ..msync.context import Context

routes = RouteTable()

MAX_PULL = 50
DEFAULT_PULL = 20
MAX_DELETE_IDS = 50
REACTION_USERS = 3  # userList of a reaction in a history page: its first users, like the reaction list API
NOTIFICATION_TYPE = 0  # StoredMessage.chat_type of non-MessageBody metas
Body = pb.MessageBody
# the SDK's msgType names (docs/protocol/msync.md §4.2) -> Content.Type
MSG_TYPES = {"txt": Body.Content.TEXT, "img": Body.Content.IMAGE, "video": Body.Content.VIDEO,
             "loc": Body.Content.LOCATION, "audio": Body.Content.VOICE, "file": Body.Content.FILE,
             "cmd": Body.Content.COMMAND, "custom": Body.Content.CUSTOM, "combine": Body.Content.COMBINE}


def _roaming_on(call: Call) -> None:
    if not call.ctx.app_config.get("roaming_enabled"):
        raise RestError(400, "service open exception", "this appKey not open message roaming",
                        "EasemobServiceOpenException")


def _owner(call: Call, name: str) -> str:
    owner = name.lower()
    if call.ctx.store.users.get(owner) is None:
        raise user_not_found()
    return owner


def _conversation(queue: Any) -> str:
    """`peer@easemob.com` -> `peer`; `id@conference.easemob.com` stays; a bare name is a user."""
    if not isinstance(queue, str) or not queue.strip():
        raise illegal_argument("queue can't be empty")
    queue = queue.strip().lower()
    if queue.endswith(CONFERENCE_SUFFIX):
        return queue
    name = queue[: -len("@" + USER_DOMAIN)] if queue.endswith("@" + USER_DOMAIN) else queue
    if not name or "@" in name:
        raise illegal_argument(f"queue {queue} is not legal")
    return name


def _int(body: dict, key: str, default: int | None) -> int | None:
    value = body.get(key)
    if value is None or value == "" or value == -1 or value == "-1":
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        raise illegal_argument(f"{key} must be a number, got {value!r}") from None


def _content_filter(raw: Any) -> set[int] | None:
    if raw in (None, ""):
        return None
    names = [n.strip() for n in str(raw).split(",") if n.strip()]
    unknown = [n for n in names if n not in MSG_TYPES]
    if unknown:
        raise illegal_argument(f"msgType {','.join(unknown)} is not legal; use {','.join(MSG_TYPES)}")
    return {MSG_TYPES[n] for n in names}


def _content_type(meta: bytes) -> int | None:
    body = Body.FromString(pb.Meta.FromString(meta).payload)
    return body.contents[0].type if body.contents else None


@seam("roaming.in_history")
def in_history(ctx: "Context", row) -> bool:
    """Whether a stored row is conversation history (store/history_rules.py: not commands, acks …)."""
    return kept_in_history(row.chat_type, row.meta)


def with_reactions(ctx: "Context", msg_id: int, meta: bytes, reader: str) -> bytes:
    """The stored Meta, with MessageBody.meta `reaction` [{reaction, count, state, userList}] when
    the message has reactions (the SDK turns `state` into `isAddedBySelf` of `reader`; rule
    `history-carries-reactions`). Messages without reactions go out byte for byte as stored."""
    store = ctx.store.reactions
    summary = store.summary(msg_id, REACTION_USERS)
    if not summary:
        return meta
    out = pb.Meta.FromString(meta)
    body = Body.FromString(out.payload)
    try:
        notes = json.loads(body.meta) if body.meta else {}
    except (ValueError, RecursionError):
        notes = {}
    notes = notes if isinstance(notes, dict) else {}
    notes["reaction"] = [{"reaction": s.reaction, "count": s.count, "state": store.has(msg_id, s.reaction, reader),
                          "userList": s.first_users} for s in summary]
    body.meta = json.dumps(notes, separators=(",", ":"), ensure_ascii=False)
    out.payload = body.SerializeToString()
    return out.SerializeToString()


@routes.post("/users/{username}/messageroaming", auth=Auth.SELF)
async def message_roaming(call: Call):
    _roaming_on(call)
    owner = _owner(call, call.arg("username"))
    body = await call.json()
    if not isinstance(body, dict):
        raise illegal_argument("request body must be a JSON object")
    conv = _conversation(body.get("queue"))
    pull = _int(body, "pull_number", DEFAULT_PULL)
    if not 1 <= pull <= MAX_PULL:
        raise illegal_argument(f"pull_number must be between 1 and {MAX_PULL}")
    sender = body.get("userId") or None
    query = HistoryQuery(owner=owner, conv=conv, chat_types=tuple(sorted(CONTENT_TYPES)),
                         newest_first=not bool(body.get("is_positive")), cursor=_int(body, "start", None),
                         start_time=_int(body, "startTime", None), end_time=_int(body, "endTime", None),
                         sender=sender.lower() if isinstance(sender, str) and conv.endswith(CONFERENCE_SUFFIX) else None)
    wanted = _content_filter(body.get("msgType"))
    page, more = [], False
    for row in call.ctx.store.roaming.scan(query, batch=pull + 1):
        if not in_history(call.ctx, row):
            continue
        if wanted is not None and _content_type(row.meta) not in wanted:
            continue
        if len(page) == pull:
            more = True
            break
        page.append(row)
    msgs = [{"msg": base64.b64encode(with_reactions(call.ctx, row.id, row.meta, owner)).decode()} for row in page]
    data = {"msgs": msgs, "next_key": str(page[-1].id) if page and more else "", "is_last": not more}
    return call.ok("post", data=data, count=len(msgs))


# -- one-way deletes (docs/protocol/rest.md §3.9) ------------------------------------------------------------------
def _flag(call: Call, name: str, default: bool = True) -> bool:
    raw = call.query.get(name)
    return default if raw is None else raw.lower() not in ("false", "0", "no")


def _required(call: Call, name: str) -> str:
    value = call.query.get(name, "").strip()
    if not value:
        raise illegal_argument(f"param {name} can't be empty")
    return value


def _ids(call: Call) -> list[int]:
    raw = [p.strip() for p in _required(call, "msgIdList").split(",") if p.strip()]
    if len(raw) > MAX_DELETE_IDS:
        raise RestError(400, "param exception", "delete msg list limit can not greater than 50")
    try:
        return [int(p) for p in raw]
    except ValueError:
        raise illegal_argument(f"msgIdList must hold message ids, got {','.join(raw)}") from None


def _del_time(call: Call) -> int:
    try:
        return int(_required(call, "delTime"))
    except ValueError:
        raise illegal_argument("delTime must be epoch milliseconds") from None


def _done(call: Call, owner: str, conv: str, chat_type: str, notify: bool, what: str) -> Any:
    ctx = call.ctx
    ctx.events.emit("roaming.deleted", user=owner, conversation=conv, what=what)
    if notify:
        _notify(call, owner, conv, chat_type)
    return call.raw({"requestStatusCode": "ok", "timestamp": now_ms()})


def _notify(call: Call, owner: str, conv: str, chat_type: str) -> None:
    """NOTIFY {type: roaming_delete, data: {resource, to, chatType}} to the owner's devices."""
    ctx = call.ctx
    resource = call.query.get("resource", "")
    to = conv[: -len(CONFERENCE_SUFFIX)] if conv.endswith(CONFERENCE_SUFFIX) else conv
    payload = json.dumps({"type": "roaming_delete", "data": {"resource": resource, "to": to, "chatType": chat_type}},
                         separators=(",", ":")).encode()
    server_id, ts = ctx.ids.next(), now_ms()
    meta = pb.Meta(id=server_id, timestamp=ts, ns=pb.Meta.NOTIFY, payload=payload,
                   to=pb.JID(appKey=ctx.appkey, name=owner, domain=USER_DOMAIN),
                   **{"from": pb.JID(appKey=ctx.appkey, name="admin", domain=USER_DOMAIN)})
    skip = (owner, resource) if resource else None
    targets = [t for t in device_targets(ctx, [owner], SYSTEM_QUEUE, skip=skip) if t[1]]
    if targets:
        deliver(ctx, StoredMessage(server_id, "admin", None, owner, NOTIFICATION_TYPE, meta.SerializeToString(), ts),
                targets)


def _register(path: str, method: str, handler, auth: Auth) -> None:
    routes.route(method, path, auth=auth)(handler)


async def delete_chat_messages(call: Call):
    _roaming_on(call)
    owner = _owner(call, call.arg("username"))
    peer = _required(call, "userId").lower()
    call.ctx.store.roaming.delete(owner, _ids(call))
    return _done(call, owner, peer, "chat", _flag(call, "isNotify"), "messages")


async def delete_group_messages(call: Call):
    _roaming_on(call)
    owner = _owner(call, call.arg("username"))
    conv = _required(call, "groupId").lower() + CONFERENCE_SUFFIX
    call.ctx.store.roaming.delete(owner, _ids(call))
    return _done(call, owner, conv, "groupChat", _flag(call, "isNotify"), "messages")


async def clear_chat_before(call: Call):
    _roaming_on(call)
    owner = _owner(call, call.arg("username"))
    peer = _required(call, "userId").lower()
    call.ctx.store.roaming.clear(owner, peer, _del_time(call))
    return _done(call, owner, peer, "chat", _flag(call, "isNotify"), "before")


async def clear_group_before(call: Call):
    _roaming_on(call)
    owner = _owner(call, call.arg("username"))
    conv = _required(call, "groupId").lower() + CONFERENCE_SUFFIX
    call.ctx.store.roaming.clear(owner, conv, _del_time(call))
    return _done(call, owner, conv, "groupChat", _flag(call, "isNotify"), "before")


async def clear_all(call: Call):
    _roaming_on(call)
    owner = _owner(call, call.arg("username"))
    call.ctx.store.roaming.clear(owner, ALL_CONVERSATIONS, now_ms())
    call.ctx.events.emit("roaming.deleted", user=owner, conversation=ALL_CONVERSATIONS, what="all")
    return call.raw({"requestStatusCode": "ok", "timestamp": now_ms()})


# server side (app token) and the Web SDK's own paths (user token of {username}, docs/protocol/rest.md §10.1)
for prefix, auth in (("/rest/message/roaming", Auth.APP), ("/sdk/message/roaming", Auth.SELF)):
    _register(prefix + "/chat/user/{username}", "DELETE", delete_chat_messages, auth)
    _register(prefix + "/group/user/{username}", "DELETE", delete_group_messages, auth)
    for method in ("DELETE", "POST"):  # docs/protocol/rest.md §11.2: docs disagree on the method
        _register(prefix + "/chat/user/{username}/time", method, clear_chat_before, auth)
        _register(prefix + "/group/user/{username}/time", method, clear_group_before, auth)
    _register(prefix + "/user/{username}/delete/all", "POST", clear_all, auth)

