"""User attributes ("user metadata"): the Web SDK's updateUserInfo / fetchUserInfoById.

    PUT    /metadata/user/{u}        form-urlencoded `k=v&…` (a JSON object of strings is accepted too):
                                     sets those keys, keeps the others; data: the keys set
    GET    /metadata/user/{u}        data: {k: v}
    POST   /metadata/user/get        {"targets": [≤ 100 users], "properties": [keys]}: data: {user: {k: v}}
    DELETE /metadata/user/{u}        every attribute of u; data: true
    GET    /metadata/user/capacity   app token: data: bytes used by the app's attributes

PUT and DELETE take the app token or u's own token, the reads any token. Limits (sandbox choice
`user-attrs-limits`): 2 KB (UTF-8 bytes of keys and values) per user → 400 `illegal_argument`;
more than 100 targets → 400. An unknown user: 404 on the user's own paths, left out of a batch
get. The app setting `user_metadata_enabled` off answers 403 FORBIDDEN
`{appkey} user metadata service not allow` (docs/protocol/rest.md §0.6).
"""
from __future__ import annotations

from urllib.parse import parse_qsl

from ..faults import seam
from ..store.user_attrs import size_of
from .envelope import RestError, illegal_argument
from .routing import Auth, Call, RouteTable, parse_json_body
from .users import existing_user

routes = RouteTable()
MAX_BYTES = 2048
MAX_TARGETS = 100


def _enabled(call: Call) -> None:
    if not call.ctx.app_config.get("user_metadata_enabled"):
        raise RestError(403, "FORBIDDEN", f"{call.ctx.appkey} user metadata service not allow")


async def _attributes(call: Call) -> dict[str, str]:
    raw = await call.request.read()
    if call.request.content_type == "application/json":
        body = parse_json_body(raw) if raw.strip() else None
        if not isinstance(body, dict) or not all(isinstance(v, str) for v in body.values()):
            raise illegal_argument("user attributes must be an object of string values")
        attrs = body
    else:
        try:
            attrs = dict(parse_qsl(raw.decode(), keep_blank_values=True, strict_parsing=bool(raw.strip())))
        except (UnicodeDecodeError, ValueError):
            raise illegal_argument("user attributes must be form-urlencoded key=value pairs") from None
    if not attrs or not all(attrs):
        raise illegal_argument("user attributes must name at least one key, and no empty key")
    return attrs


@seam("user_attrs.store")
def store_attributes(ctx, username: str, attrs: dict[str, str]) -> None:
    ctx.store.user_attrs.merge(username, attrs)


@routes.get("/metadata/user/capacity", auth=Auth.APP)
async def capacity(call: Call):
    _enabled(call)
    return call.raw({"data": call.ctx.store.user_attrs.total_size(), **call.timing()})


@routes.post("/metadata/user/get", auth=Auth.ANY)
async def batch_get(call: Call):
    _enabled(call)
    body = await call.json()
    targets = body.get("targets") if isinstance(body, dict) else None
    props = body.get("properties", []) if isinstance(body, dict) else None
    if not isinstance(targets, list) or not targets or not all(isinstance(t, str) for t in targets):
        raise illegal_argument("targets must be a non-empty array of user names")
    if len(targets) > MAX_TARGETS:
        raise illegal_argument(f"targets size must be at most {MAX_TARGETS}")
    if not isinstance(props, list) or not all(isinstance(p, str) for p in props):
        raise illegal_argument("properties must be an array of keys")
    store = call.ctx.store
    data = {}
    for target in dict.fromkeys(t.lower() for t in targets):
        if store.users.get(target) is None:
            continue
        attrs = store.user_attrs.get(target)
        data[target] = {k: v for k, v in attrs.items() if not props or k in props}
    return call.raw({"data": data, **call.timing()})


@routes.put("/metadata/user/{username}", auth=Auth.SELF)
async def set_attributes(call: Call):
    _enabled(call)
    user = existing_user(call).username
    attrs = await _attributes(call)
    merged = {**call.ctx.store.user_attrs.get(user), **attrs}
    if size_of(merged) > MAX_BYTES:
        raise illegal_argument(f"user attributes of {user} exceed {MAX_BYTES} bytes")
    store_attributes(call.ctx, user, attrs)
    call.ctx.events.emit("user.attributes_set", user=user, keys=sorted(attrs))
    return call.raw({"data": attrs, **call.timing()})


@routes.get("/metadata/user/{username}", auth=Auth.ANY)
async def get_attributes(call: Call):
    _enabled(call)
    user = existing_user(call).username
    return call.raw({"data": call.ctx.store.user_attrs.get(user), **call.timing()})


@routes.delete("/metadata/user/{username}", auth=Auth.SELF)
async def delete_attributes(call: Call):
    _enabled(call)
    user = existing_user(call).username
    call.ctx.store.user_attrs.delete_user(user)
    return call.raw({"data": True, **call.timing()})
