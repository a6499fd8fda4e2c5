"""Do-not-disturb and push language (docs/protocol/rest.md §12.4), as the Web SDK 4.21 calls them:

    PUT|GET /users/{u}/notification/user/{u}?resource       setSilentModeForAll / getSilentModeForAll
    PUT|GET /users/{u}/notification/user/{peer}?resource    setSilentModeForConversation (singleChat) / get…
    PUT|GET /users/{u}/notification/chatgroup/{g}?resource  the same for a group
    GET     /users/{u}/notification?user=a,b&group=g        getSilentModeForConversations
    GET     /users/{u}/notification/mute/type?limit&cursor  getSilentModeRemindTypeConversations
    PUT|GET /users/{u}/notification/language {translationLanguage}   setPushPerformLanguage / get…

A PUT body holds one of `type` (ALL | AT | NONE; DEFAULT clears it: clearRemindTypeForConversation),
`ignoreDuration` (ms from now; 0 clears) or `ignoreInterval` ("H:M-H:M", user-wide only; "" clears);
the fields it does not name stay (rule `silent-mode-fields`). Answers show `ignoreDuration` as the
epoch ms it ends. Every change tells the user's other devices with a NOTIFY `user_notification_mute`
(the SDK's onMultiDeviceEvent). What a setting does to offline pushes is domain/push.py.
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from ..domain.notify import deliver_notify
from ..ids import now_ms
from ..store.push_settings import ALL, SilentMode
from .conversations import owner_of
from .envelope import illegal_argument
from .routing import Auth, Call, RouteTable

routes = RouteTable()

TYPES = ("ALL", "AT", "NONE")
INTERVAL = re.compile(r"^([01]?\d|2[0-3]):([0-5]?\d)-([01]?\d|2[0-3]):([0-5]?\d)$")
SCOPES = ("user", "chatgroup")
MAX_LANGUAGE = 32
MAX_PAGE = 50


def shown(mode: SilentMode) -> dict:
    out: dict[str, Any] = {}
    if mode.remind_type is not None:
        out["type"] = mode.remind_type
    if mode.ignore_until is not None:
        out["ignoreDuration"] = mode.ignore_until
    if mode.ignore_interval is not None:
        out["ignoreInterval"] = mode.ignore_interval
    return out


def _changed(mode: SilentMode, body: Any, user_wide: bool) -> SilentMode:
    if not isinstance(body, dict) or not body.keys() & {"type", "ignoreDuration", "ignoreInterval"}:
        raise illegal_argument("request body must hold type, ignoreDuration or ignoreInterval")
    if "type" in body:
        kind = body["type"]
        if kind not in (*TYPES, "DEFAULT"):
            raise illegal_argument(f"type {kind!r} is not legal, use ALL, AT, NONE or DEFAULT")
        mode = replace(mode, remind_type=None if kind == "DEFAULT" else kind)
    if "ignoreDuration" in body:
        duration = body["ignoreDuration"]
        if isinstance(duration, bool) or not isinstance(duration, int) or duration < 0:
            raise illegal_argument("ignoreDuration must be a number of milliseconds >= 0")
        mode = replace(mode, ignore_until=now_ms() + duration if duration else None)
    if "ignoreInterval" in body:
        interval = body["ignoreInterval"]
        if not user_wide:
            raise illegal_argument("ignoreInterval can only be set for the user, not for one conversation")
        if not isinstance(interval, str) or (interval and not INTERVAL.match(interval)):
            raise illegal_argument(f"ignoreInterval {interval!r} is not legal, use H:M-H:M")
        mode = replace(mode, ignore_interval=interval or None)
    return mode


def _scope(call: Call, owner: str) -> tuple[str, str]:
    scope, target = call.arg("scope"), call.arg("target").lower()
    if scope not in SCOPES:
        raise illegal_argument(f"{scope} is not legal, use user or chatgroup")
    if scope == "user" and target == owner:
        return ALL, ""
    return scope, target


def _notify(call: Call, owner: str, scope: str, target: str, mode: SilentMode) -> None:
    """NOTIFY user_notification_mute to the owner's other devices. The SDK tells a user-wide change by
    `ignoreInterval` being in `data`, so a user-wide notice always carries it."""
    resource = call.query.get("resource", "")
    data = shown(mode)
    value: dict[str, Any] = {"operator_resource": resource, "data": data}
    if scope == ALL:
        data.setdefault("ignoreInterval", "")
    else:
        value["group" if scope == "chatgroup" else "user"] = target
    deliver_notify(call.ctx, {"type": "user_notification_mute", "values": [value]}, [owner], sender=owner,
                   skip=(owner, resource) if resource else None)


# registered before /notification/{scope}/{target}, which "mute/type" would match too
@routes.get("/users/{username}/notification/mute/type", auth=Auth.SELF)
async def remind_types(call: Call):
    owner = owner_of(call)
    raw_limit, cursor = call.query.get("limit", "") or "10", call.query.get("cursor", "")
    if not raw_limit.isdigit() or not 1 <= int(raw_limit) <= MAX_PAGE:
        raise illegal_argument(f"limit must be 1 .. {MAX_PAGE}")
    after = tuple(cursor.split(":", 1)) if cursor else None
    if after is not None and (len(after) != 2 or after[0] not in SCOPES):
        raise illegal_argument(f"cursor {cursor!r} is not a cursor of this list")
    limit = int(raw_limit)
    rows = call.ctx.store.push_settings.with_remind_type(owner, after, limit + 1)
    page, more = rows[:limit], len(rows) > limit
    data = [{"group" if scope == "chatgroup" else "user": target, "value": kind} for scope, target, kind in page]
    return call.ok("get", data=data, cursor=f"{page[-1][0]}:{page[-1][1]}" if more else "")


@routes.put("/users/{username}/notification/{scope}/{target}", auth=Auth.SELF)
async def put_silent_mode(call: Call):
    owner = owner_of(call)
    scope, target = _scope(call, owner)
    store = call.ctx.store.push_settings
    mode = _changed(store.get(owner, scope, target), await call.json(), scope == ALL)
    store.put(owner, scope, target, mode)
    call.ctx.events.emit("push.silent_mode", user=owner, scope=scope, target=target or None, **shown(mode))
    _notify(call, owner, scope, target, mode)
    return call.ok("put", data=shown(mode))


@routes.get("/users/{username}/notification/{scope}/{target}", auth=Auth.SELF)
async def get_silent_mode(call: Call):
    owner = owner_of(call)
    scope, target = _scope(call, owner)
    return call.ok("get", data=shown(call.ctx.store.push_settings.get(owner, scope, target)))


def _names(raw: str) -> list[str]:
    return [n.strip().lower() for n in raw.split(",") if n.strip()]


@routes.get("/users/{username}/notification", auth=Auth.SELF)
async def get_silent_modes(call: Call):
    owner = owner_of(call)
    store = call.ctx.store.push_settings
    users, groups = _names(call.query.get("user", "")), _names(call.query.get("group", ""))
    if len(users) + len(groups) > MAX_PAGE:
        raise illegal_argument(f"at most {MAX_PAGE} conversations at once")
    return call.ok("get", data={"user": {u: shown(store.get(owner, "user", u)) for u in users},
                                "group": {g: shown(store.get(owner, "chatgroup", g)) for g in groups}})


@routes.put("/users/{username}/notification/language", auth=Auth.SELF)
async def set_language(call: Call):
    owner = owner_of(call)
    body = await call.json()
    language = body.get("translationLanguage") if isinstance(body, dict) else None
    if not isinstance(language, str) or len(language) > MAX_LANGUAGE:
        raise illegal_argument(f"translationLanguage must be a language code of at most {MAX_LANGUAGE} characters")
    call.ctx.store.push_settings.set_language(owner, language)
    return call.ok("put", data={"language": language})


@routes.get("/users/{username}/notification/language", auth=Auth.SELF)
async def get_language(call: Call):
    owner = owner_of(call)
    return call.ok("get", data={"language": call.ctx.store.push_settings.language(owner)})
