"""Response shapes: the Usergrid success envelope (docs/protocol/rest.md §0.4) and the error body (§0.5)."""
from __future__ import annotations

import json
import time

from aiohttp import web

_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def json_response(body: dict, status: int = 200) -> web.Response:
    return web.Response(text=_dumps(body), status=status, content_type="application/json")


class RestError(Exception):
    """Raise anywhere in a handler; the middleware turns it into the JSON error body."""

    def __init__(self, status: int, error: str, description: str, exception: str | None = None, **extra):
        super().__init__(f"{status} {error}: {description}")
        self.status = status
        self.error = error
        self.description = description
        self.exception = exception
        self.extra = extra


def error_body(err: RestError, started: float) -> dict:
    body = {
        "error": err.error,
        "exception": err.exception or _default_exception(err.status),
        "timestamp": now_ms(),
        "duration": duration_ms(started),
        "error_description": err.description,
    }
    body.update(err.extra)
    return body


def duration_ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


def _default_exception(status: int) -> str:
    return {
        400: "java.lang.IllegalArgumentException",
        401: "org.apache.usergrid.rest.exceptions.SecurityException",
        403: "com.easemob.im.exceptions.EasemobForbiddenOpException",
        404: "org.apache.usergrid.services.exceptions.ServiceResourceNotFoundException",
        405: "javax.ws.rs.NotAllowedException",
    }.get(status, "javax.ws.rs.WebApplicationException")


# -- common errors ------------------------------------------------------------------------------
def illegal_argument(description: str) -> RestError:
    return RestError(400, "illegal_argument", description, "java.lang.IllegalArgumentException")


def user_not_found() -> RestError:
    return RestError(404, "service_resource_not_found", "Service resource not found", "UserNotFoundException")


def json_parse_error(detail: str) -> RestError:
    return RestError(400, "json_parse", detail, "com.fasterxml.jackson.core.JsonParseException")
