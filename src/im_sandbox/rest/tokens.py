"""`POST /token` (client_credentials, password and inherit grants) and the SDK's token-expiry query."""
from __future__ import annotations

import secrets

from ..faults import seam
from ..store import User
from .envelope import RestError, illegal_argument, user_not_found
from .routing import Auth, Call, RouteTable, authenticate
from .users import USERNAME_RE

routes = RouteTable()


def user_summary(user: User) -> dict:
    return {"uuid": user.uuid, "type": "user", "created": user.created, "modified": user.modified,
            "username": user.username, "activated": user.activated}


MAX_TTL = 2 ** 31 - 1  # rule token-ttl-range: the range of a JVM int of seconds


def _ttl(call: Call, value) -> int:
    if value is None:
        return call.ctx.config.token_ttl
    refused = illegal_argument(f"ttl must be an integer from 0 to {MAX_TTL}")
    if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
        raise refused
    try:
        ttl = int(value)
    except (TypeError, ValueError, OverflowError):
        raise refused from None
    if not 0 <= ttl <= MAX_TTL:
        raise refused
    return ttl


def _invalid_grant(description: str, status: int = 400) -> RestError:
    return RestError(status, "invalid_grant", description)


@seam("tokens.client_secret_ok")
def client_secret_ok(ctx, secret: str) -> bool:
    return ctx.auth.client_secret_matches(secret)


@routes.post("/token", auth=Auth.NONE)
async def issue_token(call: Call):
    body = await call.json()
    if not isinstance(body, dict):
        raise illegal_argument("request body must be a JSON object")
    grant = body.get("grant_type")
    ttl = _ttl(call, body.get("ttl"))
    auth = call.ctx.auth
    if grant == "client_credentials":
        client_id, secret = body.get("client_id"), body.get("client_secret")
        if not client_id:
            raise illegal_argument("client_id must be provided.")
        if not secret:
            raise illegal_argument("client_secret must be provided")
        if not auth.client_id_matches(str(client_id)):
            raise _invalid_grant("client_id does not match")
        if not client_secret_ok(call.ctx, str(secret)):
            raise _invalid_grant("client_secret does not match")
        token = auth.issue_app_token(ttl)
        return call.raw({"access_token": token.token, "expires_in": ttl,
                         "application": call.ctx.config.application_uuid})
    if grant == "password":
        username, password = body.get("username"), body.get("password")
        user = call.ctx.store.users.get(username.lower()) if isinstance(username, str) else None
        if user is None:
            raise _invalid_grant("user not found", 404)
        if not isinstance(password, str) or not auth.password_matches(user, password):
            raise _invalid_grant("invalid password")
        if not user.activated:
            raise _invalid_grant("user not activated")
        token = auth.issue_user_token(user.username, ttl)
        return call.raw({"access_token": token.token, "expires_in": ttl, "user": user_summary(user)})
    if grant == "inherit":
        return _inherit(call, body, ttl)
    if not grant:
        raise illegal_argument("grant_type must be provided.")
    raise RestError(400, "unsupported_grant_type", f"unsupported grant_type {grant}")


def _inherit(call: Call, body: dict, ttl: int):
    """docs/protocol/rest.md §1.3: a user token issued on the app token's authority, no password; with
    `autoCreateUser` an unknown user is created first (sandbox choice `inherit-grant`)."""
    authenticate(call, Auth.APP)
    username = body.get("username")
    if not isinstance(username, str) or not USERNAME_RE.fullmatch(username.lower()):
        raise illegal_argument(f"username [{username}] is not legal")
    users = call.ctx.store.users
    user = users.get(username.lower())
    if user is None:
        if body.get("autoCreateUser") is not True:
            raise _invalid_grant("user not found", 404)
        user = users.create(username.lower(), secrets.token_hex(16))
        call.ctx.events.emit("user.created", user=user.username)
    if not user.activated:
        raise _invalid_grant("user not activated")
    token = call.ctx.auth.issue_user_token(user.username, ttl)
    return call.raw({"access_token": token.token, "expires_in": ttl, "user": user_summary(user)})


@routes.get("/sdk/users/{username}/token/expires", auth=Auth.SELF)
async def token_expires(call: Call):
    if call.ctx.store.users.get(call.arg("username").lower()) is None:
        raise user_not_found()
    return call.raw({"expire_timestamp": call.token.expires})
