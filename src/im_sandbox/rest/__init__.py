"""The REST API: one route table per API area, mounted under /{org}/{app}; plus the WebSocket."""
from __future__ import annotations

from aiohttp import web

from ..msync.context import CTX_KEY, Context
from ..msync.transports import websocket_handler
from . import (admin, app_config, group_members, group_messages, group_moderation, groups, messages_users, mutes,
               presence, reactions, recall, roaming, threads, tokens, users)
from . import chatroom_attrs, chatroom_members, chatroom_messages, chatroom_moderation, chatrooms
from . import blocks, contacts, user_attrs, user_presence
from . import conversations, pinned_messages, push_settings
from . import chatroom_checks, directed_messages, edit, offline_status
from . import chatfiles, chatroom_tags, shared_files
from . import group_member_attrs, group_state
from . import faults
from . import openapi
from .middleware import json_errors
from .rate_limit import RateLimit
from .routing import RATE_LIMIT, wrap

# order matters where paths overlap (e.g. /users/batch/status before /users/{username}/...)
API_MODULES = (tokens, presence, users, app_config, roaming, messages_users, recall, mutes, reactions,
               chatfiles, shared_files, chatroom_tags,
               groups, group_members, group_moderation, group_messages, threads,
               chatrooms, chatroom_members, chatroom_moderation, chatroom_attrs, chatroom_messages,
               contacts, blocks, user_attrs, user_presence, conversations, pinned_messages, push_settings,
               chatroom_checks, directed_messages, edit, offline_status, group_state, group_member_attrs, faults)
WEBSOCKET_PATHS = ("/websocket", "/ws")


def build_app(ctx: Context) -> web.Application:
    app = web.Application(middlewares=[json_errors], client_max_size=8 * 1024 * 1024)
    app[CTX_KEY] = ctx
    app[RATE_LIMIT] = RateLimit()
    for path in WEBSOCKET_PATHS:
        app.router.add_get(path, websocket_handler)
    admin.add_routes(app)
    openapi.add_routes(app, API_MODULES)
    for module in API_MODULES:
        for route in module.routes.routes:
            app.router.add_route(route.method, "/{org}/{app}" + route.path, wrap(route))
    return app
