"""The server-side conversation list as the Web SDK 4.21 reads and changes it (docs/protocol/rest.md §12).

    GET    /sdk/user/{u}/user_channels/list?limit&cursor&is_top&need_mark   getServerConversations / …Pinned…
    GET    /users/{u}/user_channels[/page?pageNum&pageSize]                  getSessionList / getConversationlist (older)
    GET    /sdk/user/{u}/user_channels/mark/search?limit&cursor&mark         getServerConversationsByFilter
    POST   /sdk/user/{u}/user_channels/mark?resource {mark, targets: [{to, type}]}   addConversationMark
    DELETE (same, same body)                                                  removeConversationMark
    POST   /sdk/user/{u}/user_channel/top?resource {type, to}                 pinConversation(isPinned: true)
    DELETE /sdk/user/{u}/user_channel/top?type&to&resource                    pinConversation(isPinned: false)
    DELETE /user/{u}/user_channel?resource {channel, type, delete_roam}       deleteConversation
           (and /users/{u}/user_channel, the older spelling)

All with the user token of {u} (or an app token). What is in the list is domain/conversations.py.
"""
from __future__ import annotations

from typing import Any

from ..domain.conversations import Conversation, conv_name, conversations_of, notify_conv
from ..ids import now_ms
from .envelope import RestError, illegal_argument, user_not_found
from .message_json import message_json
from .routing import Auth, Call, RouteTable

routes = RouteTable()

MAX_LIMIT = 50
MARKS = tuple(f"mark_{i}" for i in range(20))
# the `type` spellings the SDK sends: "chat" / "groupchat" (lists, marks, pins), "groupChat" (top, delete)
KINDS = {"chat": "chat", "singlechat": "chat", "groupchat": "groupchat"}


def owner_of(call: Call) -> str:
    owner = call.arg("username").lower()
    if call.ctx.store.users.get(owner) is None:
        raise user_not_found()
    return owner


def kind_of(raw: Any) -> str:
    kind = KINDS.get(raw.lower()) if isinstance(raw, str) else None
    if kind is None:
        raise illegal_argument(f"param type {raw!r} is not legal, use chat or groupchat")
    return kind


def target_of(raw: Any, what: str = "to") -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise illegal_argument(f"param {what} can't be empty")
    return raw.strip().lower()


def _limit(call: Call, default: int) -> int:
    raw = call.query.get("limit", "")
    try:
        limit = int(raw) if raw else default
    except ValueError:
        raise illegal_argument(f"param limit must be a number, got {raw!r}") from None
    if not 1 <= limit <= MAX_LIMIT:
        raise illegal_argument(f"param limit must be between 1 and {MAX_LIMIT}")
    return limit


def _offset(call: Call) -> int:
    raw = call.query.get("cursor", "")
    if not raw:
        return 0
    if not raw.isdigit():
        raise illegal_argument(f"param cursor {raw!r} is not legal")
    return int(raw)


def _mark(raw: Any) -> str:
    if raw not in MARKS:
        raise RestError(400, "illegal_argument", f"param mark {raw!r} is not legal, use mark_0 .. mark_19")
    return raw


def channel_info(conv: Conversation) -> dict:
    return {"session_to": conv.peer, "session_type": conv.kind, "is_top": bool(conv.pinned_at),
            "update_top_status_time": conv.pinned_at, "unread_num": conv.unread,
            "meta": message_json(conv.last.meta) if conv.last is not None else {}, "marks": list(conv.marks)}


def _page(call: Call, convs: list[Conversation], default_limit: int) -> Any:
    limit, offset = _limit(call, default_limit), _offset(call)
    page = convs[offset: offset + limit]
    more = offset + limit < len(convs)
    return call.ok("get", data={"cursor": str(offset + limit) if more else "",
                                "channel_infos": [channel_info(c) for c in page]})


@routes.get("/sdk/user/{username}/user_channels/list", auth=Auth.SELF)
async def list_conversations(call: Call):
    convs = conversations_of(call.ctx, owner_of(call))
    if call.query.get("is_top", "").lower() == "true":
        convs = sorted((c for c in convs if c.pinned_at), key=lambda c: c.pinned_at, reverse=True)
    return _page(call, convs, 20)


@routes.get("/users/{username}/user_channels", auth=Auth.SELF)
async def list_all_conversations(call: Call):
    """The older getSessionList: every conversation, no paging."""
    convs = conversations_of(call.ctx, owner_of(call))
    return call.ok("get", data={"channel_infos": [channel_info(c) for c in convs]})


@routes.get("/users/{username}/user_channels/page", auth=Auth.SELF)
async def list_conversation_page(call: Call):
    """The older getConversationlist({pageNum, pageSize}): pages counted from 1."""
    raw_num, raw_size = call.query.get("pageNum", "1"), call.query.get("pageSize", "20")
    if not raw_num.isdigit() or not raw_size.isdigit() or int(raw_num) < 1 or not 1 <= int(raw_size) <= MAX_LIMIT:
        raise illegal_argument(f"pageNum must be >= 1 and pageSize 1 .. {MAX_LIMIT}")
    num, size = int(raw_num), int(raw_size)
    convs = conversations_of(call.ctx, owner_of(call))[(num - 1) * size: num * size]
    return call.ok("get", data={"channel_infos": [channel_info(c) for c in convs]})


@routes.get("/sdk/user/{username}/user_channels/mark/search", auth=Auth.SELF)
async def search_by_mark(call: Call):
    mark = _mark(call.query.get("mark"))
    convs = [c for c in conversations_of(call.ctx, owner_of(call)) if mark in c.marks]
    return _page(call, convs, 10)


async def _change_marks(call: Call, add: bool):
    owner = owner_of(call)
    body = await call.json()
    if not isinstance(body, dict):
        raise illegal_argument("request body must be a JSON object")
    mark = _mark(body.get("mark"))
    targets = body.get("targets")
    if not isinstance(targets, list) or not targets or not all(isinstance(t, dict) for t in targets):
        raise illegal_argument("param targets must be a non-empty array of {to, type}")
    named = [(kind_of(t.get("type")), target_of(t.get("to"))) for t in targets]
    store, resource = call.ctx.store.conversations, call.query.get("resource", "")
    for kind, peer in named:
        conv = conv_name(kind, peer)
        marks = store.state(owner, conv).marks
        changed = [m for m in marks if m != mark] + ([mark] if add else [])
        store.set_marks(owner, conv, sorted(set(changed), key=MARKS.index))
        notify_conv(call.ctx, [owner], "mark" if add else "mark_delete", operator=owner, resource=resource,
                    peer=peer, kind=kind, ext=mark)
    return call.ok("post" if add else "delete", data={"ignore": []})


@routes.post("/sdk/user/{username}/user_channels/mark", auth=Auth.SELF)
async def add_mark(call: Call):
    return await _change_marks(call, True)


@routes.delete("/sdk/user/{username}/user_channels/mark", auth=Auth.SELF)
async def remove_mark(call: Call):
    return await _change_marks(call, False)


def _pin(call: Call, owner: str, kind: str, peer: str, pinned: bool):
    at = now_ms()
    call.ctx.store.conversations.pin(owner, conv_name(kind, peer), at if pinned else 0)
    notify_conv(call.ctx, [owner], "top" if pinned else "not_top", operator=owner,
                resource=call.query.get("resource", ""), peer=peer, kind=kind)
    return call.ok("post" if pinned else "delete", data={"is_top": pinned, "update_top_status_time": at})


@routes.post("/sdk/user/{username}/user_channel/top", auth=Auth.SELF)
async def pin_conversation(call: Call):
    owner = owner_of(call)
    body = await call.json()
    if not isinstance(body, dict):
        raise illegal_argument("request body must be a JSON object")
    return _pin(call, owner, kind_of(body.get("type")), target_of(body.get("to")), True)


@routes.delete("/sdk/user/{username}/user_channel/top", auth=Auth.SELF)
async def unpin_conversation(call: Call):
    owner = owner_of(call)
    return _pin(call, owner, kind_of(call.query.get("type")), target_of(call.query.get("to")), False)


async def delete_conversation(call: Call):
    """The conversation leaves the list (until a newer message); with `delete_roam` its history leaves
    the user's roaming too."""
    owner = owner_of(call)
    body = await call.json()
    if not isinstance(body, dict):
        raise illegal_argument("request body must be a JSON object")
    peer = target_of(body.get("channel"), "channel")
    kind = kind_of(body.get("type"))
    ctx, conv, at = call.ctx, conv_name(kind, peer), now_ms()
    if body.get("delete_roam"):
        if not ctx.app_config.get("roaming_enabled"):
            raise RestError(400, "service open exception", "this appKey not open message roaming",
                            "EasemobServiceOpenException")
        ctx.store.roaming.clear(owner, conv, at)
        ctx.events.emit("roaming.deleted", user=owner, conversation=conv, what="conversation")
    ctx.store.conversations.delete(owner, conv, at)
    ctx.events.emit("conversation.deleted", user=owner, conversation=conv, roaming=bool(body.get("delete_roam")))
    notify_conv(ctx, [owner], "del", operator=owner, resource=call.query.get("resource", ""), peer=peer, kind=kind)
    return call.ok("delete", data={"result": "ok"})


for _path in ("/user/{username}/user_channel", "/users/{username}/user_channel"):
    routes.delete(_path, auth=Auth.SELF)(delete_conversation)

