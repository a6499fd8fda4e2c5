"""Users (docs/protocol/rest.md §2.1–§2.3): register, get, list, delete, password, (de)activate."""
from __future__ import annotations

import base64
import binascii
import re

from ..faults import seam
from ..domain.devices import KICKED_BY_CHANGE_PASSWORD, KICKED_BY_OTHER_DEVICE
from ..store import User
from . import user_deletion
from .envelope import RestError, illegal_argument, user_not_found
from .routing import Auth, Call, RouteTable, authenticate

routes = RouteTable()

USERNAME_RE = re.compile(r"[a-z0-9_.\-]{1,64}")
MAX_BATCH = 60
MAX_NICKNAME = 100


def user_entity(user: User) -> dict:
    entity = {"uuid": user.uuid, "type": "user", "created": user.created, "modified": user.modified,
              "username": user.username, "activated": user.activated}
    if user.nickname:
        entity["nickname"] = user.nickname
    return entity


def existing_user(call: Call, name: str | None = None) -> User:
    user = call.ctx.store.users.get((name if name is not None else call.arg("username")).lower())
    if user is None:
        raise user_not_found()
    return user


def _new_user(item) -> tuple[str, str, str | None]:
    if not isinstance(item, dict):
        raise illegal_argument("request body must be a JSON object or an array of objects")
    raw = item.get("username")
    if not isinstance(raw, str) or not USERNAME_RE.fullmatch(raw.lower()):
        raise illegal_argument(f"username {'null' if raw is None else raw} is not legal")
    password = item.get("password")
    if not isinstance(password, str) or not password:
        raise illegal_argument("password or pin must provided")
    nickname = item.get("nickname")
    if nickname is not None and (not isinstance(nickname, str) or len(nickname) > MAX_NICKNAME):
        raise illegal_argument("NICKNAME_TOO_LONG")
    return raw.lower(), password, nickname


def _duplicate(call: Call, username: str) -> RestError:
    return RestError(
        400, "duplicate_unique_property_exists",
        f"Application {call.ctx.config.application_uuid} Entity user requires that property named username"
        f" be unique, value of {username} exists",
        "DuplicateUniquePropertyExistsException",
    )


@routes.post("/users", auth=Auth.NONE)
async def register(call: Call):
    if "Authorization" in call.request.headers:
        authenticate(call, Auth.APP)
    elif not call.ctx.config.open_registration:
        raise RestError(401, "unauthorized", "Open registration doesn't allow, so register user need token")
    body = await call.json()
    items = body if isinstance(body, list) else [body]
    if not items:
        raise illegal_argument("username null is not legal")
    if len(items) > MAX_BATCH:
        raise illegal_argument(f"Request body array size[{len(items)}] had almost reached or been greater"
                               f" than the upper range value[{MAX_BATCH}]")
    parsed = [_new_user(item) for item in items]
    users = call.ctx.store.users
    if len(parsed) == 1:
        username, password, nickname = parsed[0]
        if users.exists(username):
            raise _duplicate(call, username)
        created = [users.create(username, password, nickname)]
        failures = []
    else:
        created, failures = [], []
        for username, password, nickname in parsed:
            if users.exists(username):
                failures.append({"username": username, "registerUserFailReason": f"the {username} already exists"})
            else:
                created.append(users.create(username, password, nickname))
    for user in created:
        call.ctx.events.emit("user.created", user=user.username)
    fields = {"entities": [user_entity(u) for u in created]}
    if failures:
        fields["data"] = failures
    return call.ok("post", "/users", **fields)


@routes.get("/users", auth=Auth.APP)
async def list_users(call: Call):
    try:
        limit = int(call.query.get("limit", "10"))
    except ValueError:
        raise illegal_argument("limit must be an integer") from None
    limit = max(1, min(limit, 100))
    after = 0
    if call.query.get("cursor"):
        try:
            after = int(base64.urlsafe_b64decode(call.query["cursor"].encode()).decode())
        except (ValueError, binascii.Error, UnicodeDecodeError):
            raise illegal_argument("cursor is not valid") from None
    rows = call.ctx.store.users.page(limit + 1, after)
    more = len(rows) > limit
    rows = rows[:limit]
    extra = {}
    if call.query:
        extra["params"] = {k: call.query.getall(k) for k in call.query.keys()}
    if more:
        extra["cursor"] = base64.urlsafe_b64encode(str(rows[-1][0]).encode()).decode()
    return call.ok("get", "/users", entities=[user_entity(u) for _, u in rows], count=len(rows), **extra)


@routes.get("/users/{username}", auth=Auth.SELF)
async def get_user(call: Call):
    return call.ok("get", "/users", entities=[user_entity(existing_user(call))], count=1)


@routes.delete("/users/{username}", auth=Auth.APP)
async def delete_user(call: Call):
    user = existing_user(call)
    user_deletion.delete_user(call.ctx, user.username)
    return call.ok("delete", "/users", entities=[user_entity(user)])


@seam("users.revoke_tokens")
def revoke_tokens(ctx, username: str) -> None:
    """A password change revokes every token of the user: REST and msync refuse them from now on."""
    ctx.store.tokens.revoke_user(username)


async def _set_password(call: Call):
    users = call.ctx.store.users
    user = users.get(call.arg("username").lower())
    if user is None:
        raise RestError(404, "entity_not_found", "User null not found", "EntityNotFoundException")
    body = await call.json(required=False)
    password = body.get("newpassword") if isinstance(body, dict) else None
    if not isinstance(password, str) or not password:
        raise illegal_argument("newpassword is required")
    ctx = call.ctx
    users.set_password(user.username, password)
    revoke_tokens(ctx, user.username)
    ctx.hub.kick(user.username, None, KICKED_BY_CHANGE_PASSWORD)
    ctx.events.emit("user.password_changed", user=user.username)
    return call.raw({"action": "set user password", **call.timing()})


routes.put("/users/{username}/password")(_set_password)
routes.post("/users/{username}/password")(_set_password)


@routes.post("/users/{username}/deactivate", auth=Auth.APP)
async def deactivate(call: Call):
    user = existing_user(call)
    ctx = call.ctx
    ctx.store.users.set_activated(user.username, False)
    ctx.hub.kick(user.username, None, KICKED_BY_OTHER_DEVICE)
    ctx.events.emit("user.deactivated", user=user.username)
    return call.ok("Deactivate user", "/users", entities=[user_entity(ctx.store.users.get(user.username))])


@routes.post("/users/{username}/activate", auth=Auth.APP)
async def activate(call: Call):
    user = existing_user(call)
    call.ctx.store.users.set_activated(user.username, True)
    call.ctx.events.emit("user.activated", user=user.username)
    return call.ok("activate user", "/users")
