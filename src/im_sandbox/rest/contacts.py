"""Contacts (the roster) over REST: the server API and the Web SDK's application flow.

    POST   /users/{u}/contacts/users/{f}          app token: a friendship at once (no application)
    DELETE /users/{u}/contacts/users/{f}          remove (both directions)
    PUT    /users/{u}/contacts/users/{f}          {"remark"}: the remark u keeps for f
    GET    /users/{u}/contacts/users              data: names; ?needReturnRemark=true: entities [{username, remark}]
    GET    /users/{u}/contacts?limit=&cursor=     data: {contacts: [{username, remark}], cursor} (the SDK's paged list)
    POST   /users/{u}/contacts/apply              {"usernames": [f], "reason"}: ask f (ROSTER ADD to f)
    POST   /users/{u}/contacts/accept/users/{f}   accept f's application
    POST   /users/{u}/contacts/decline/users/{f}  decline it

Every path but the app-token add takes the app token or u's own token. `?resource=` (the SDK
sends its device) names the acting device, left out of the notices to u's own devices. What the
notices are: domain/contacts.py. Errors (sandbox choice `contact-rest-errors`): an unknown user
404 `service_resource_not_found`; oneself, no pending application, not a contact, a remark over
100 characters: 400 `illegal_argument`.
"""
from __future__ import annotations

from ..domain import contacts
from ..domain.contacts import ContactError
from .envelope import RestError, illegal_argument, user_not_found
from .routing import Auth, Call, RouteTable
from .users import existing_user, user_entity

routes = RouteTable()
MAX_PAGE = 50
DEFAULT_PAGE = 20


def rest_error(err: ContactError) -> RestError:
    return user_not_found() if err.kind == "unknown_user" else illegal_argument(err.message)


def _owner(call: Call) -> str:
    return existing_user(call).username


def _resource(call: Call) -> str | None:
    return call.query.get("resource") or None


@routes.post("/users/{username}/contacts/users/{friend}", auth=Auth.APP)
async def add_contact(call: Call):
    owner = _owner(call)
    try:
        friend = contacts.add(call.ctx, owner, call.arg("friend"))
    except ContactError as err:
        raise rest_error(err) from None
    return call.ok("post", entities=[user_entity(call.ctx.store.users.get(friend))])


@routes.delete("/users/{username}/contacts/users/{friend}", auth=Auth.SELF)
async def remove_contact(call: Call):
    owner = _owner(call)
    try:
        friend = contacts.remove(call.ctx, owner, call.arg("friend"), _resource(call))
    except ContactError as err:
        raise rest_error(err) from None
    return call.ok("delete", entities=[user_entity(call.ctx.store.users.get(friend))])


@routes.put("/users/{username}/contacts/users/{friend}", auth=Auth.SELF)
async def set_remark(call: Call):
    owner = _owner(call)
    body = await call.json()
    remark = body.get("remark") if isinstance(body, dict) else None
    if not isinstance(remark, str):
        raise illegal_argument("remark must be a string")
    try:
        contacts.set_remark(call.ctx, owner, call.arg("friend"), remark)
    except ContactError as err:
        raise rest_error(err) from None
    return call.ok("put", data={"result": "ok"})


@routes.get("/users/{username}/contacts/users", auth=Auth.SELF)
async def list_contacts(call: Call):
    rows = call.ctx.store.contacts.contacts(_owner(call))
    with_remarks = call.query.get("needReturnRemark", "").lower() == "true"
    entities = [{"username": c, "remark": r} for c, r in rows] if with_remarks else []
    return call.ok("get", entities=entities, data=[c for c, _ in rows], count=len(rows))


@routes.get("/users/{username}/contacts", auth=Auth.SELF)
async def page_contacts(call: Call):
    owner = _owner(call)
    raw = call.query.get("limit") or str(DEFAULT_PAGE)
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE:
        raise illegal_argument(f"limit must be an integer from 1 to {MAX_PAGE}")
    limit = int(raw)
    rows = call.ctx.store.contacts.contacts(owner, call.query.get("cursor") or "", limit + 1)
    cursor = rows[limit - 1][0] if len(rows) > limit else ""
    page = [{"username": c, "remark": r} for c, r in rows[:limit]]
    return call.ok("get", data={"contacts": page, "cursor": cursor}, count=len(page))


@routes.post("/users/{username}/contacts/apply", auth=Auth.SELF)
async def apply(call: Call):
    owner = _owner(call)
    body = await call.json()
    names = body.get("usernames") if isinstance(body, dict) else None
    reason = body.get("reason", "") if isinstance(body, dict) else ""
    if not isinstance(names, list) or not names or not all(isinstance(n, str) and n for n in names):
        raise illegal_argument("usernames must be a non-empty array of user names")
    if not isinstance(reason, str):
        raise illegal_argument("reason must be a string")
    try:
        for name in names:
            contacts.apply(call.ctx, owner, name, reason, _resource(call))
    except ContactError as err:
        raise rest_error(err) from None
    return call.ok("post", data={"result": "ok"})


async def _answer(call: Call, operation) -> object:
    owner = _owner(call)
    try:
        operation(call.ctx, owner, call.arg("friend"), _resource(call))
    except ContactError as err:
        raise rest_error(err) from None
    return call.ok("post", data={"result": "ok"})


@routes.post("/users/{username}/contacts/accept/users/{friend}", auth=Auth.SELF)
async def accept(call: Call):
    return await _answer(call, contacts.accept)


@routes.post("/users/{username}/contacts/decline/users/{friend}", auth=Auth.SELF)
async def decline(call: Call):
    return await _answer(call, contacts.decline)
