"""Route tables (one per API module), the per-request `Call`, and bearer-token checks."""
from __future__ import annotations

import enum
import json
import time
from dataclasses import dataclass
from typing import Any, Awaitable, Callable

from aiohttp import web

from ..msync.context import CTX_KEY, Context
from ..domain.auth import TokenState
from ..store import APP, USER, Token
from .envelope import RestError, duration_ms, json_parse_error, json_response, now_ms
from .rate_limit import RateLimit


class Auth(enum.Enum):
    NONE = "none"  # no token
    APP = "app"  # app token only
    SELF = "self"  # app token, or the user token of {username} in the path
    ANY = "any"  # any valid token


# the app's REST call-rate limit (rate_limit.py), one per application
RATE_LIMIT: web.AppKey[RateLimit] = web.AppKey("rate_limit", RateLimit)

# set by the error middleware when the request arrives (for `duration`)
STARTED: web.RequestKey[float] = web.RequestKey("started", float)

Handler = Callable[["Call"], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # below /{org}/{app}
    handler: Handler
    auth: Auth


class RouteTable:
    def __init__(self) -> None:
        self.routes: list[Route] = []

    def route(self, method: str, path: str, auth: Auth = Auth.APP) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            self.routes.append(Route(method, path, handler, auth))
            return handler

        return register

    def get(self, path: str, auth: Auth = Auth.APP):
        return self.route("GET", path, auth)

    def post(self, path: str, auth: Auth = Auth.APP):
        return self.route("POST", path, auth)

    def put(self, path: str, auth: Auth = Auth.APP):
        return self.route("PUT", path, auth)

    def delete(self, path: str, auth: Auth = Auth.APP):
        return self.route("DELETE", path, auth)


_MISSING = object()
# Deeper JSON bodies are refused with json_parse (400). Python's parser would raise RecursionError
# near 1,000 levels (a 500 before this check); no API body needs more than a few levels.
MAX_JSON_DEPTH = 100


def _too_deep(value: Any, limit: int) -> bool:
    """Whether a parsed JSON value nests more than `limit` arrays/objects (iterative: no recursion)."""
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
        for child in children:
            if isinstance(child, (dict, list)):
                if depth + 1 > limit:
                    return True
                stack.append((child, depth + 1))
    return False


def _nesting_error() -> RestError:
    return json_parse_error(f"Document nesting depth exceeds the maximum allowed ({MAX_JSON_DEPTH})")


def parse_json_body(raw: bytes) -> Any:
    """A request body as JSON, or RestError json_parse (400): not JSON, or nested too deeply."""
    try:
        value = json.loads(raw)
    except RecursionError:
        raise _nesting_error() from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise json_parse_error(f"Unexpected character in request body: {exc}") from None
    # fast path: a body with at most MAX_JSON_DEPTH brackets cannot nest deeper than that
    if raw.count(b"[") + raw.count(b"{") > MAX_JSON_DEPTH and _too_deep(value, MAX_JSON_DEPTH):
        raise _nesting_error()
    return value


class Call:
    """One REST request as the API modules see it."""

    __slots__ = ("ctx", "request", "started", "token", "_prefix")

    def __init__(self, ctx: Context, request: web.Request, started: float):
        self.ctx = ctx
        self.request = request
        self.started = started
        self.token: Token | None = None
        self._prefix = f"/{request.match_info.get('org', '')}/{request.match_info.get('app', '')}"

    def arg(self, name: str) -> str:
        return self.request.match_info[name]

    @property
    def query(self):
        return self.request.query

    @property
    def is_app(self) -> bool:
        return self.token is not None and self.token.kind == APP

    async def json(self, required: bool = True) -> Any:
        raw = await self.request.read()
        if not raw.strip():
            if required:
                raise json_parse_error("No content to map due to end-of-input")
            return None
        return parse_json_body(raw)

    def envelope(self, action: str, path: str | None = None, *, entities: Any = _MISSING,
                 data: Any = _MISSING, count: int | None = None, **extra: Any) -> dict:
        config = self.ctx.config
        body: dict[str, Any] = {
            "action": action,
            "application": config.application_uuid,
            "applicationName": config.app,
            "organization": config.org,
            "uri": str(self.request.url),
            "path": path if path is not None else self.request.path[len(self._prefix):] or "/",
        }
        if entities is not _MISSING:
            body["entities"] = entities
        if data is not _MISSING:
            body["data"] = data
        body.update(extra)
        body["timestamp"] = now_ms()
        body["duration"] = duration_ms(self.started)
        if count is not None:
            body["count"] = count
        return body

    def ok(self, action: str, path: str | None = None, **fields: Any) -> web.Response:
        return json_response(self.envelope(action, path, **fields))

    def raw(self, body: dict) -> web.Response:
        return json_response(body)

    def timing(self) -> dict:
        return {"timestamp": now_ms(), "duration": duration_ms(self.started)}


# -- authentication -------------------------------------------------------------------------------
def _unauthorized() -> RestError:
    return RestError(401, "unauthorized", "Unable to authenticate (OAuth)")


def _bad_token() -> RestError:
    return RestError(401, "auth_bad_access_token", "Unable to authenticate due to corrupt access token")


def authenticate(call: Call, auth: Auth) -> None:
    if auth is Auth.NONE:
        return
    scheme, _, value = call.request.headers.get("Authorization", "").partition(" ")
    value = value.strip()
    if scheme.lower() != "bearer" or not value:
        raise _unauthorized()
    state, token = call.ctx.auth.check_token(value)
    if state in (TokenState.UNKNOWN, TokenState.REVOKED):
        raise _unauthorized()
    if state is TokenState.EXPIRED:
        raise RestError(401, "unauthorized", "Unable to authenticate due to expired access token")
    if token.kind != APP:
        if auth is Auth.APP:
            raise _bad_token()
        if auth is Auth.SELF and (token.kind != USER or token.username != call.arg("username").lower()):
            raise _bad_token()
    call.token = token


def org_app_not_found(org: str, app: str, path: str) -> RestError:
    return RestError(404, "organization_application_not_found",
                     f"Could not find application for {org}/{app} from URI: {path.lstrip('/')}",
                     "org.apache.usergrid.rest.exceptions.OrganizationApplicationNotFoundException")


def wrap(route: Route) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    async def handler(request: web.Request) -> web.StreamResponse:
        ctx = request.app[CTX_KEY]
        org, app = request.match_info["org"], request.match_info["app"]
        if org.lower() != ctx.config.org.lower() or app.lower() != ctx.config.app.lower():
            raise org_app_not_found(org, app, request.path)
        call = Call(ctx, request, request.get(STARTED, time.monotonic()))
        request.app[RATE_LIMIT].admit(ctx.app_config.get("rest_rate_limit"), route.path)
        authenticate(call, route.auth)
        return await route.handler(call)

    handler.__name__ = route.handler.__name__
    return handler
