"""PROVISION (login) and LOGOUT (docs/protocol/msync.md §3.2–§3.3, §3.9)."""
from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING

from im_wire import ErrorCode, Reason, pb

from ..domain.auth import TokenState
from ..domain.devices import LOGIN_ANOTHER_DEVICE
from ..faults import seam
from ..ids import new_resource
from ..store import USER
from . import replies
from .replies import LOGOUT, PROVISION

if TYPE_CHECKING:
    from .context import Context
    from .connection import Connection

log = logging.getLogger(__name__)

TOKEN_PREFIX = "$t$"


class LoginRefused(Exception):
    def __init__(self, code: int, reason: str, detail: str = ""):
        super().__init__(reason)
        self.code = code
        self.reason = reason
        self.detail = detail


def _credentials(msg: pb.MSync, req: pb.Provision) -> tuple[str | None, str | None]:
    """(token, password): MSync.auth `$t$<token>`, else Provision.authToken JSON, else a password."""
    if msg.auth.startswith(TOKEN_PREFIX):
        return msg.auth[len(TOKEN_PREFIX):], None
    if req.authToken:
        try:
            value = json.loads(req.authToken).get("token")
        except (ValueError, AttributeError, RecursionError):  # RecursionError: absurdly nested JSON
            value = None
        if isinstance(value, str) and value.startswith(TOKEN_PREFIX):
            return value[len(TOKEN_PREFIX):], None
    if msg.auth:
        return None, msg.auth
    if req.password:
        return None, req.password
    return None, None


def _authenticate(conn: "Connection", msg: pb.MSync, req: pb.Provision) -> tuple[str, int | None]:
    """Returns (username, token expiry ms or None); raises LoginRefused."""
    ctx = conn.ctx
    if not msg.HasField("guid") or not msg.guid.name:
        raise LoginRefused(ErrorCode.MISSING_PARAMETER, Reason.NO_GUID)
    username = msg.guid.name.lower()
    if msg.guid.appKey and msg.guid.appKey.lower() != ctx.appkey.lower():
        raise LoginRefused(ErrorCode.FAIL, Reason.USER_NOT_FOUND, f"appKey {msg.guid.appKey!r}")
    user = ctx.store.users.get(username)
    if user is None:
        raise LoginRefused(ErrorCode.FAIL, Reason.USER_NOT_FOUND, username)
    token, password = _credentials(msg, req)
    expires = None
    if token is not None:
        state, found = ctx.auth.check_token(token)
        if state in (TokenState.UNKNOWN, TokenState.REVOKED) or found.kind != USER or found.username != username:
            raise LoginRefused(ErrorCode.FAIL, Reason.TOKEN_MISMATCH, f"{state.value} token")
        if token_expired(ctx, state):
            raise LoginRefused(ErrorCode.FAIL, Reason.TOKEN_EXPIRED)
        expires = found.expires or None
    elif password is None or not ctx.auth.password_matches(user, password):
        raise wrong_password(ctx)
    if not user.activated:
        raise LoginRefused(ErrorCode.UNAUTHORIZED, Reason.WHO_ARE_YOU, "user deactivated")
    return username, expires


@seam("login.token_expired")
def token_expired(ctx: "Context", state: TokenState) -> bool:
    """A token past its expiry does not log in (TOKEN_EXPIRED)."""
    return state is TokenState.EXPIRED


@seam("login.wrong_password")
def wrong_password(ctx: "Context") -> LoginRefused:
    """The refusal of a wrong or missing password (the reason does not say which credential failed)."""
    return LoginRefused(ErrorCode.FAIL, Reason.TOKEN_MISMATCH, "password")


@seam("login.same_resource")
def replace_device(ctx: "Context", existing: "Connection", reason: str | None) -> None:
    """A login with the resource of a connected device kicks that device."""
    existing.kick(LOGIN_ANOTHER_DEVICE, reason)


def refuse(conn: "Connection", code: int, reason: str, detail: str) -> None:
    """A refused login: the Provision reply with the refusal, then close (rule
    `provision-refusal-closes-socket`; WebSocket close 1000, the reason as its text)."""
    conn.protocol_error(PROVISION, code, reason, detail)
    conn.close(f"login refused: {reason}", message=reason)


def handle(conn: "Connection", msg: pb.MSync, req: pb.Provision) -> None:
    if conn.provisioned:
        conn.protocol_error(PROVISION, ErrorCode.WRONG_PARAMETER, Reason.ALREADY_PROVISIONED)
        return
    try:
        username, expires = _authenticate(conn, msg, req)
    except LoginRefused as refused:
        detail = f"login refused: {refused.detail}" if refused.detail else "login refused"
        refuse(conn, refused.code, refused.reason, detail)
        return

    ctx = conn.ctx
    resource = req.resource or msg.guid.clientResource or new_resource()
    hub = ctx.hub
    existing = hub.device(username, resource)
    others = len(hub.user_devices(username)) - (1 if existing is not None else 0)
    if others >= ctx.config.max_devices:
        refuse(conn, ErrorCode.TOO_MANY_DEVICES, Reason.TOO_MANY_DEVICES, f"{username} already has {others} devices")
        return
    if existing is not None:
        replace_device(ctx, existing, req.reason or None)

    conn.user = username
    conn.resource = resource
    conn.token_expires = expires
    hub.bind(conn)
    store = ctx.store
    if store.devices.seen(username, resource, req.deviceUuid or None, req.deviceName or None,
                          req.osType if req.HasField("osType") else None):
        taken = store.messages.take_over_pending(username, resource)
        if taken:
            log.info("%s took over %d pending queue items", conn.describe(), taken)
    conn.send(replies.provision_ok(resource, req.compressType, expires))
    ctx.events.emit("user.login", user=username, resource=resource, transport=conn.transport.kind, peer=conn.peer)
    log.info("login %s", conn.describe())


def handle_logout(conn: "Connection", msg: pb.MSync, logout: pb.Logout) -> None:
    conn.send(replies.logout())
    conn.ctx.events.emit("user.logout", user=conn.user, resource=conn.resource)
    conn.close("logout")


def install(ctx: "Context") -> None:
    ctx.dispatcher.command(PROVISION, pb.Provision, handle)
    ctx.dispatcher.command(LOGOUT, pb.Logout, handle_logout)
