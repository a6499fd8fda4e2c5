"""Reactions (docs/protocol/rest.md §7, docs/protocol/msync.md §5.5): app token or the user's own token.

    POST   /reaction/user/{u}            {"msgId", "message": reaction}   add
    DELETE /reaction/user/{u}?msgId=&message=                            remove (only your own)
    GET    /reaction/user/{u}?msgIdList=a,b&msgType=chat|groupchat&groupId=   per message: reactions,
                                                   counts, the first 3 users, state = u added it
    GET    /reaction/user/{u}/detail?msgId=&message=&limit=&cursor=     every user of one reaction

Errors are HTTP 400 `Bad Request` with the documented descriptions; the sandbox's own wording is
used where the docs name none (missing msgId/message, reaction longer than 128 characters).
Every add/remove is announced to the other participants of the message by a NOTIFY `reaction`.
Which messages can carry reactions, and who takes part in them, is a registry by MessageBody type
(PARTICIPANTS): 1:1 messages (sender and receiver) and group/thread messages (the members).
"""
from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Callable

from im_wire import pb

from ..msync.context import Context
from ..domain.groups import resolve
from ..domain.notify import deliver_notify
from ..faults import seam
from ..ids import now_ms
from ..store import StoredMessage
from .envelope import RestError, user_not_found
from .routing import Auth, Call, RouteTable

routes = RouteTable()
T = pb.MessageBody
MAX_REACTIONS_PER_MESSAGE = 20
MAX_REACTION_LENGTH = 128
MAX_MSG_IDS = 20
MAX_DETAIL_LIMIT = 50
FIRST_USERS = 3

NOT_OPEN = "this appKey is not open reaction service!"
TOO_MANY = "The quantity has exceeded the limit!"
ILLEGAL = "the user operation is illegal!"
DUPLICATE = "the user is already operation this message"
TOO_MANY_IDS = "msgIdList exceeds the maximum number limit"
NO_GROUP_ID = "groupId can not be null!"
BAD_LIMIT = "Limit exceeds the maximum quantity limit"
MISSING = "msgId and message can not be null!"
TOO_LONG = f"the reaction can not be longer than {MAX_REACTION_LENGTH} characters!"


def _one_to_one_participants(ctx: Context, msg: StoredMessage) -> tuple[str, ...]:
    return (msg.sender, msg.recipient)


def _group_participants(ctx: Context, msg: StoredMessage) -> tuple[str, ...]:
    """Members of the message's group (or of its thread), as the group feature resolves them."""
    group, thread = resolve(ctx, msg.recipient)
    if group is None:
        return ()
    return tuple(thread.members if thread is not None else group.members)


# MessageBody type -> (msgType name, participants of a message of that type)
PARTICIPANTS: dict[int, tuple[str, Callable[[Context, StoredMessage], tuple[str, ...]]]] = {
    T.CHAT: ("chat", _one_to_one_participants),
    T.GROUPCHAT: ("groupchat", _group_participants),
}


def bad_request(description: str) -> RestError:
    return RestError(400, "Bad Request", description, "ReactionException")


def _ok(call: Call, data=None):
    body = {"requestStatusCode": "ok", "timestamp": now_ms()}
    if data is not None:
        body["data"] = data
    return call.raw(body)


def _iso(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def reaction_id(msg_id: int, reaction: str) -> str:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"reaction:{msg_id}/{reaction}").hex


def _user(call: Call) -> str:
    if not call.ctx.app_config.get("reactions_enabled"):
        raise bad_request(NOT_OPEN)
    name = call.arg("username").lower()
    if call.ctx.store.users.get(name) is None:
        raise user_not_found()
    return name


def _message_of_participant(call: Call, msg_id_raw, user: str) -> tuple[StoredMessage, str, tuple[str, ...]]:
    """The message, its msgType and participants; refused unless `user` takes part in it."""
    msg_id = _msg_id(msg_id_raw)
    msg = call.ctx.store.messages.get(msg_id) if msg_id else None
    kind = PARTICIPANTS.get(msg.chat_type) if msg is not None else None
    if kind is None:
        raise bad_request(ILLEGAL)
    participants = kind[1](call.ctx, msg)
    if user not in participants:
        raise bad_request(ILLEGAL)
    return msg, kind[0], participants


def _msg_id(raw) -> int:
    text = str(raw).strip() if isinstance(raw, (str, int)) and not isinstance(raw, bool) else ""
    return int(text) if text.isdigit() else 0


def _reaction_param(value) -> str:
    if not isinstance(value, str) or not value:
        raise bad_request(MISSING)
    if len(value) > MAX_REACTION_LENGTH:
        raise bad_request(TOO_LONG)
    return value


@seam("reactions.announce")
def _announce(call: Call, msg: StoredMessage, msg_type: str, participants: tuple[str, ...], operator: str,
              reaction: str, op: str) -> None:
    store = call.ctx.store.reactions
    others = [p for p in dict.fromkeys(participants) if p != operator]
    if not others:
        return
    ts = now_ms()
    for other in others:
        change = {"from": operator, "to": other if msg_type == "chat" else msg.recipient, "channel_type": msg_type,
                  "messageId": str(msg.id), "ts": ts,
                  "reactions": [{"reaction": reaction, "count": store.count(msg.id, reaction),
                                 "op": [{"operator": operator, "reactionType": op}],
                                 "userList": store.users(msg.id, reaction, 0, FIRST_USERS)}]}
        deliver_notify(call.ctx, {"type": "reaction", "data": [change]}, [other], sender=operator)


@routes.post("/reaction/user/{username}", auth=Auth.SELF)
async def add_reaction(call: Call):
    user = _user(call)
    body = await call.json()
    if not isinstance(body, dict) or body.get("msgId") in (None, ""):
        raise bad_request(MISSING)
    reaction = _reaction_param(body.get("message"))
    msg, msg_type, participants = _message_of_participant(call, body["msgId"], user)
    store = call.ctx.store.reactions
    if store.has(msg.id, reaction, user):
        raise bad_request(DUPLICATE)
    if not store.has_reaction(msg.id, reaction) and store.distinct(msg.id) >= MAX_REACTIONS_PER_MESSAGE:
        raise bad_request(TOO_MANY)
    n, created = store.add(msg.id, reaction, user)
    call.ctx.events.emit("reaction.added", id=msg.id, user=user, reaction=reaction)
    _announce(call, msg, msg_type, participants, user, reaction, "create")
    group_id = msg.recipient if msg_type != "chat" else None
    return _ok(call, {"id": str(n), "msgId": str(msg.id), "msgType": msg_type, "groupId": group_id,
                      "reaction": reaction, "createdAt": _iso(created), "updatedAt": _iso(created)})


@routes.delete("/reaction/user/{username}", auth=Auth.SELF)
async def remove_reaction(call: Call):
    user = _user(call)
    reaction = _reaction_param(call.query.get("message"))
    if not call.query.get("msgId"):
        raise bad_request(MISSING)
    msg, msg_type, participants = _message_of_participant(call, call.query["msgId"], user)
    if not call.ctx.store.reactions.remove(msg.id, reaction, user):
        raise bad_request(ILLEGAL)
    call.ctx.events.emit("reaction.removed", id=msg.id, user=user, reaction=reaction)
    _announce(call, msg, msg_type, participants, user, reaction, "delete")
    return _ok(call)


@routes.get("/reaction/user/{username}", auth=Auth.SELF)
async def list_reactions(call: Call):
    user = _user(call)
    ids = [i for i in call.query.get("msgIdList", "").split(",") if i.strip()]
    if len(ids) > MAX_MSG_IDS:
        raise bad_request(TOO_MANY_IDS)
    if call.query.get("msgType") == "groupchat" and call.query.get("groupId") in (None, "", "null"):
        raise bad_request(NO_GROUP_ID)
    return _ok(call, reaction_lists(call.ctx, user, ids))


@seam("reactions.lists")
def reaction_lists(ctx: Context, user: str, ids: list[str]) -> list[dict]:
    """Per message id (those with reactions): each reaction, its count, whether `user` chose it."""
    store = ctx.store.reactions
    data = []
    for raw in ids:
        msg_id = _msg_id(raw)
        summary = store.summary(msg_id, FIRST_USERS) if msg_id else []
        if not summary:
            continue
        data.append({"msgId": str(msg_id), "reactionList": [
            {"reactionId": reaction_id(msg_id, s.reaction), "reaction": s.reaction, "count": s.count,
             "state": store.has(msg_id, s.reaction, user), "userList": s.first_users} for s in summary]})
    return data


@routes.get("/reaction/user/{username}/detail", auth=Auth.SELF)
async def reaction_detail(call: Call):
    user = _user(call)
    reaction = _reaction_param(call.query.get("message"))
    msg_id = _msg_id(call.query.get("msgId", ""))
    if not msg_id:
        raise bad_request(MISSING)
    raw_limit = call.query.get("limit") or call.query.get("pageSize") or str(MAX_DETAIL_LIMIT)
    if not raw_limit.isdigit() or not 1 <= int(raw_limit) <= MAX_DETAIL_LIMIT:
        raise bad_request(BAD_LIMIT)
    limit = int(raw_limit)
    cursor = call.query.get("cursor") or ""
    offset = int(cursor) if cursor.isdigit() else 0
    store = call.ctx.store.reactions
    count = store.count(msg_id, reaction)
    users = store.users(msg_id, reaction, offset, limit)
    data = {"reactionId": reaction_id(msg_id, reaction), "reaction": reaction, "count": count,
            "state": store.has(msg_id, reaction, user), "userList": users,
            "cursor": str(offset + len(users)) if offset + len(users) < count else None}
    return _ok(call, data)
