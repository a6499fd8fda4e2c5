"""Presence over REST, the paths of the Web SDK's presence API (domain/presence.py):

    POST   /users/{u}/presence/{resource}/{status}   {"ext"}: publish one device's status
    POST   /users/{u}/presence/{expiry}              {"usernames": [...]}: subscribe for expiry seconds;
                                                     result: their presences
    POST   /users/{u}/presence                       {"usernames": [...]}: their presences
    DELETE /users/{u}/presence                       ["name", ...]: unsubscribe
    GET    /users/{u}/presence/sublist?pageNum=&pageSize=   result: {totalnum, sublist: [{uid, expiry}]}

App token or u's own token; answers `{"result": …}`. Limits (sandbox choice `presence-limits`):
expiry 1 s to 30 days, at most 100 users per call, pageSize 1-500, else 400 `illegal_argument`;
users that do not exist are left out. The app setting `presence_enabled` off answers 400
`service open exception` `the app not open presence` (docs/protocol/rest.md §0.6).
"""
from __future__ import annotations

from ..domain import presence
from ..ids import now_ms
from .envelope import RestError, illegal_argument
from .routing import Auth, Call, RouteTable
from .users import existing_user

routes = RouteTable()
MAX_PAGE_SIZE = 500


def _owner(call: Call) -> str:
    if not call.ctx.app_config.get("presence_enabled"):
        raise RestError(400, "service open exception", "the app not open presence")
    return existing_user(call).username


def _int_arg(call: Call, name: str, low: int, high: int) -> int:
    raw = call.arg(name)
    if not raw.lstrip("-").isdigit() or not low <= int(raw) <= high:
        raise illegal_argument(f"{name} must be an integer from {low} to {high}")
    return int(raw)


def _known(call: Call, names) -> list[str]:
    if not isinstance(names, list) or not names or not all(isinstance(n, str) and n for n in names):
        raise illegal_argument("usernames must be a non-empty array of user names")
    if len(names) > presence.MAX_TARGETS:
        raise illegal_argument(f"usernames size must be at most {presence.MAX_TARGETS}")
    users = call.ctx.store.users
    return [n for n in dict.fromkeys(x.lower() for x in names) if users.get(n) is not None]


async def _usernames(call: Call) -> list[str]:
    body = await call.json()
    return _known(call, body.get("usernames") if isinstance(body, dict) else None)


def _result(call: Call, result) -> object:
    return call.raw({"result": result, **call.timing()})


@routes.get("/users/{username}/presence/sublist", auth=Auth.SELF)
async def sublist(call: Call):
    owner = _owner(call)
    try:
        page_num = max(1, int(call.query.get("pageNum", "1")))
        page_size = int(call.query.get("pageSize", "20"))
    except ValueError:
        raise illegal_argument("pageNum and pageSize must be integers") from None
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise illegal_argument(f"pageSize must be from 1 to {MAX_PAGE_SIZE}")
    rows = call.ctx.store.presence.subscriptions(owner, now_ms())
    page = rows[(page_num - 1) * page_size: page_num * page_size]
    return _result(call, {"totalnum": str(len(rows)),
                          "sublist": [{"uid": t, "expiry": str(until // 1000)} for t, until in page]})


@routes.post("/users/{username}/presence/{resource}/{status}", auth=Auth.SELF)
async def publish(call: Call):
    owner = _owner(call)
    status = _int_arg(call, "status", 0, 2**31 - 1)
    body = await call.json(required=False)
    ext = body.get("ext", "") if isinstance(body, dict) else ""
    if body is not None and not isinstance(body, dict) or not isinstance(ext, str):
        raise illegal_argument("the body must be {\"ext\": <string>}")
    presence.publish(call.ctx, owner, call.arg("resource"), status, ext)
    return _result(call, "ok")


@routes.post("/users/{username}/presence/{expiry}", auth=Auth.SELF)
async def subscribe(call: Call):
    owner = _owner(call)
    expiry = _int_arg(call, "expiry", 1, presence.MAX_EXPIRY)
    targets = await _usernames(call)
    return _result(call, presence.subscribe(call.ctx, owner, targets, expiry))


@routes.post("/users/{username}/presence", auth=Auth.SELF)
async def query(call: Call):
    owner = _owner(call)
    targets = await _usernames(call)
    running = dict(call.ctx.store.presence.subscriptions(owner, now_ms()))
    return _result(call, [presence.presence_of(call.ctx, t, running.get(t, 0)) for t in targets])


@routes.delete("/users/{username}/presence", auth=Auth.SELF)
async def unsubscribe(call: Call):
    owner = _owner(call)
    call.ctx.store.presence.unsubscribe(owner, _known(call, await call.json()))
    return _result(call, "ok")
