"""`GET /users/{username}/offline_msg_status/{msg_id}` (docs/protocol/rest.md §2.5), app token:
`data: {"<msg_id>": "delivered" | "undelivered"}`.

"undelivered" while some device of the user (or its pending bucket, before its first login)
still has the message in a queue, i.e. has not pulled and acknowledged it; "delivered"
otherwise, also for a message id the user was never sent (rule `offline-status-from-queues`).
An unknown user is 404; a message id that is not a number 400 `illegal_argument`.
"""
from __future__ import annotations

from .envelope import illegal_argument
from .routing import Auth, Call, RouteTable
from .users import existing_user

routes = RouteTable()


@routes.get("/users/{username}/offline_msg_status/{msg_id}", auth=Auth.APP)
async def offline_status(call: Call):
    user = existing_user(call)
    raw = call.arg("msg_id")
    if not raw.isdigit():
        raise illegal_argument(f"msg_id must be a message id, got {raw}")
    waiting = call.ctx.store.messages.waits_for(user.username, int(raw))
    return call.ok("get", entities=[], data={raw: "undelivered" if waiting else "delivered"}, count=0)
