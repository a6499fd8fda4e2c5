"""The REST API: one route table per API area, mounted under /{org}/{app}; plus the WebSocket."""
from __future__ import annotations

from aiohttp import web

from ..context import CTX_KEY, Context
from ..msync.transports import websocket_handler
from . import admin, app_config, presence, tokens, users
from .middleware import json_errors
from .routing import wrap

# order matters where paths overlap (e.g. /users/batch/status before /users/{username}/...)
API_MODULES = (tokens, presence, users, app_config)
WEBSOCKET_PATHS = ("/websocket", "/ws")


def build_app(ctx: Context) -> web.Application:
    app = web.Application(middlewares=[json_errors], client_max_size=8 * 1024 * 1024)
    app[CTX_KEY] = ctx
    for path in WEBSOCKET_PATHS:
        app.router.add_get(path, websocket_handler)
    admin.add_routes(app)
    for module in API_MODULES:
        for route in module.routes.routes:
            app.router.add_route(route.method, "/{org}/{app}" + route.path, wrap(route))
    return app
