"""A user's block list over REST: the server API and the Web SDK's `/sdk/user/{u}/blocks`.

    GET    /users/{u}/blocks/users          data: the blocked names, count
    POST   /users/{u}/blocks/users          {"usernames": [...]}: data: the names now blocked
    DELETE /users/{u}/blocks/users/{x}      entities: [x]
    POST   /sdk/user/{u}/blocks             {"usernames": [...]} (the SDK's addUsersToBlocklist)
    DELETE /sdk/user/{u}/blocks             {"usernames": [...]} (its removeUserFromBlocklist)

App token or u's own token. At most 500 users on one list (docs/protocol/rest.md §8.3); a batch that would go
over is refused whole, 400 `illegal_argument`. A blocked user's 1:1 messages to u are refused
FAIL `blocked` (domain/contacts.py); REST sends do not check block lists (docs/protocol/rest.md §3.1).
"""
from __future__ import annotations

from ..domain import contacts
from ..domain.contacts import ContactError
from .contacts import rest_error
from .envelope import illegal_argument
from .routing import Auth, Call, RouteTable
from .users import existing_user, user_entity

routes = RouteTable()


async def _names(call: Call) -> list[str]:
    body = await call.json()
    names = body.get("usernames") if isinstance(body, dict) else None
    if not isinstance(names, list) or not names or not all(isinstance(n, str) and n for n in names):
        raise illegal_argument("usernames must be a non-empty array of user names")
    return names


async def _block(call: Call):
    owner = existing_user(call).username
    names = await _names(call)
    try:
        blocked = contacts.block(call.ctx, owner, names, call.query.get("resource"))
    except ContactError as err:
        raise rest_error(err) from None
    return call.ok("post", data=blocked)


@routes.get("/users/{username}/blocks/users", auth=Auth.SELF)
async def list_blocks(call: Call):
    names = call.ctx.store.contacts.blocks(existing_user(call).username)
    return call.ok("get", data=names, count=len(names))


@routes.post("/users/{username}/blocks/users", auth=Auth.SELF)
async def block_users(call: Call):
    return await _block(call)


@routes.delete("/users/{username}/blocks/users/{blocked}", auth=Auth.SELF)
async def unblock_user(call: Call):
    owner = existing_user(call).username
    try:
        name = contacts.unblock(call.ctx, owner, call.arg("blocked"), call.query.get("resource"))
    except ContactError as err:
        raise rest_error(err) from None
    return call.ok("delete", entities=[user_entity(call.ctx.store.users.get(name))])


@routes.post("/sdk/user/{username}/blocks", auth=Auth.SELF)
async def sdk_block(call: Call):
    return await _block(call)


@routes.delete("/sdk/user/{username}/blocks", auth=Auth.SELF)
async def sdk_unblock(call: Call):
    owner = existing_user(call).username
    names = await _names(call)
    try:
        done = [contacts.unblock(call.ctx, owner, n, call.query.get("resource")) for n in names]
    except ContactError as err:
        raise rest_error(err) from None
    return call.ok("delete", data=done)
