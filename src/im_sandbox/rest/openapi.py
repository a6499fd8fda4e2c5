"""`GET /openapi.json`: an OpenAPI 3 description of the REST API, generated from the route tables.

Generated, not written, so it cannot drift from what is served: every route of every module in
`rest.API_MODULES` appears, with its auth (bearer or none), its path parameters (aiohttp regex
patterns become `pattern`s), a JSON request body for POST/PUT (a schema for the main endpoints,
any JSON for the rest) and the Easemob error body as the default response (docs/protocol/rest.md §0.5).
"""
from __future__ import annotations

import re
from typing import Any

from aiohttp import web

from ..msync.context import CTX_KEY
from .envelope import json_response
from .routing import Auth

_PARAM = re.compile(r"\{(\w+)(?::([^{}]*(?:\{[^{}]*\}[^{}]*)*))?\}")

_STR = {"type": "string"}
_NAMES = {"type": "array", "items": _STR}
_OBJ = {"type": "object"}

# request bodies of the main endpoints (rest.md); other POST/PUT routes accept any JSON value
REQUEST_BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/token"): {"type": "object", "required": ["grant_type"], "properties": {
        "grant_type": {"enum": ["client_credentials", "password", "inherit"]}, "client_id": _STR,
        "client_secret": _STR, "username": _STR, "password": _STR, "ttl": {"type": "integer"}}},
    ("POST", "/users"): {"oneOf": [
        {"type": "object", "required": ["username"], "properties": {"username": _STR, "password": _STR,
                                                                     "nickname": _STR}},
        {"type": "array", "items": {"type": "object", "properties": {"username": _STR, "password": _STR}}}]},
    ("PUT", "/users/{username}/password"): {"type": "object", "properties": {"newpassword": _STR}},
    ("POST", "/messages/users"): {"type": "object", "required": ["to", "type", "body"], "properties": {
        "from": _STR, "to": _NAMES, "type": {"enum": ["txt", "cmd", "custom", "loc", "img", "audio", "video", "file"]},
        "body": _OBJ, "ext": _OBJ, "sync_device": {"type": "boolean"}, "routetype": _STR}},
    ("POST", "/messages/msg_recall"): {"type": "object", "required": ["msg_id", "to"], "properties": {
        "msg_id": _STR, "to": _STR, "from": _STR, "chat_type": {"enum": ["chat", "groupchat", "chatroom"]},
        "force": {"type": "boolean"}}},
    ("POST", "/mutes"): {"type": "object", "required": ["username"], "properties": {
        "username": _STR, "chat": {"type": "integer"}, "groupchat": {"type": "integer"},
        "chatroom": {"type": "integer"}}},
    ("POST", "/chatgroups"): {"type": "object", "required": ["owner"], "properties": {
        "groupname": _STR, "desc": _STR, "description": _STR, "public": {"type": "boolean"},
        "maxusers": {"type": "integer"}, "owner": _STR, "members": _NAMES, "membersonly": {"type": "boolean"},
        "allowinvites": {"type": "boolean"}, "invite_need_confirm": {"type": "boolean"}, "custom": _STR}},
    ("POST", "/chatrooms"): {"type": "object", "required": ["owner"], "properties": {
        "name": _STR, "description": _STR, "maxusers": {"type": "integer"}, "owner": _STR, "members": _NAMES,
        "custom": _STR}},
    ("POST", "/users/{username}/messageroaming"): {"type": "object", "required": ["queue"], "properties": {
        "queue": _STR, "start": {"oneOf": [_STR, {"type": "integer"}]}, "pull_number": {"type": "integer"},
        "is_positive": {"type": "boolean"}}},
    ("PUT", "/app_config"): _OBJ,
}

ERROR_BODY = {"type": "object", "required": ["error", "error_description"], "properties": {
    "error": _STR, "error_description": _STR, "exception": _STR, "timestamp": {"type": "integer"},
    "duration": {"type": "integer"}, "error_code": {"type": "integer"}}}


def _path_and_params(path: str) -> tuple[str, list[dict]]:
    params: list[dict] = []

    def plain(match: re.Match) -> str:
        name, pattern = match.group(1), match.group(2)
        schema: dict[str, Any] = {"type": "string", "minLength": 1}
        if pattern:
            schema["pattern"] = f"^{pattern}$"
        params.append({"name": name, "in": "path", "required": True, "schema": schema})
        return "{" + name + "}"

    return _PARAM.sub(plain, path), params


def _operation(route, org: str, app: str) -> tuple[str, dict]:
    path, params = _path_and_params(route.path)
    fixed = [{"name": "org", "in": "path", "required": True, "schema": {"type": "string", "enum": [org]}},
             {"name": "app", "in": "path", "required": True, "schema": {"type": "string", "enum": [app]}}]
    doc = (route.handler.__doc__ or route.handler.__name__.replace("_", " ")).strip().splitlines()[0]
    op: dict[str, Any] = {
        "operationId": f"{route.handler.__module__.rsplit('.', 1)[-1]}.{route.handler.__name__}.{route.method}",
        "summary": doc,
        "tags": [route.handler.__module__.rsplit(".", 1)[-1]],
        "parameters": fixed + params,
        "security": [] if route.auth is Auth.NONE else [{"bearer": []}],
        "responses": {
            "200": {"description": "success (Easemob envelope)", "content": {"application/json": {"schema": _OBJ}}},
            "default": {"description": "error", "content": {"application/json": {"schema": ERROR_BODY}}},
        },
    }
    if route.method in ("POST", "PUT"):
        schema = REQUEST_BODIES.get((route.method, route.path), {})
        op["requestBody"] = {"required": False, "content": {"application/json": {"schema": schema}}}
    return "/{org}/{app}" + path, op


def build_spec(org: str, app: str, modules) -> dict:
    paths: dict[str, dict] = {}
    for module in modules:
        for route in module.routes.routes:
            path, op = _operation(route, org, app)
            paths.setdefault(path, {}).setdefault(route.method.lower(), op)  # first registered wins, as in routing
    return {
        "openapi": "3.0.3",
        "info": {"title": "im_sandbox REST API (Easemob-compatible)", "version": "1",
                 "description": "Generated from the sandbox's route tables. Errors: the Easemob error body."},
        "paths": paths,
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
                       "schemas": {"Error": ERROR_BODY}},
    }


def add_routes(app: web.Application, modules) -> None:
    """`GET /openapi.json` describing the route tables of `modules` (rest.API_MODULES)."""

    async def openapi_json(request: web.Request) -> web.Response:
        config = request.app[CTX_KEY].config
        return json_response(build_spec(config.org, config.app, modules))

    app.router.add_get("/openapi.json", openapi_json)
