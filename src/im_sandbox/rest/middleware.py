"""Every error leaves as a JSON object: RestError, router 404/405, aiohttp HTTP errors, crashes."""
from __future__ import annotations

import logging
import time

from aiohttp import web

from ..msync.context import CTX_KEY
from .envelope import RestError, error_body, json_response
from .routing import STARTED, org_app_not_found

log = logging.getLogger(__name__)


def _not_found(request: web.Request) -> RestError:
    config = request.app[CTX_KEY].config
    parts = [p for p in request.path.split("/") if p]
    if len(parts) >= 2 and parts[0] != "_sandbox" and (
        parts[0].lower() != config.org.lower() or parts[1].lower() != config.app.lower()
    ):
        return org_app_not_found(parts[0], parts[1], request.path)
    return RestError(404, "service_resource_not_found", "Service resource not found")


@web.middleware
async def json_errors(request: web.Request, handler) -> web.StreamResponse:
    started = time.monotonic()
    request[STARTED] = started
    try:
        return await handler(request)
    except RestError as err:
        return json_response(error_body(err, started), err.status)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        if exc.status == 404:
            err = _not_found(request)
        elif exc.status == 405:
            err = RestError(405, "method_not_allowed",
                            f"HTTP method {request.method} is not allowed for {request.path}")
        else:
            err = RestError(exc.status, "web_application", exc.reason or exc.text or "error")
        response = json_response(error_body(err, started), err.status)
        if exc.status == 405 and "Allow" in exc.headers:
            response.headers["Allow"] = exc.headers["Allow"]
        return response
    except Exception:
        log.exception("unhandled error in %s %s", request.method, request.path)
        err = RestError(500, "internal_server_error", "internal server error")
        return json_response(error_body(err, started), 500)
