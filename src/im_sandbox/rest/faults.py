"""The sandbox-only endpoint that switches named faults (faults.py; not an Easemob API). App token only.

    GET /{org}/{app}/_sandbox/faults                      -> data: [active names],
                                                             properties: {name: {area, description}}
    PUT /{org}/{app}/_sandbox/faults {"faults": [names]}  -> data: [active names] (replaces the set; [] = none)
"""
from __future__ import annotations

from ..faults import FAULTS, UnknownFault
from .envelope import RestError
from .routing import Auth, Call, RouteTable

routes = RouteTable()


@routes.get("/_sandbox/faults", auth=Auth.APP)
async def get_faults(call: Call):
    known = {f.name: {"area": f.area, "description": f.description} for f in FAULTS.values()}
    return call.ok("get", data=sorted(call.ctx.faults.active), properties=known)


@routes.put("/_sandbox/faults", auth=Auth.APP)
async def put_faults(call: Call):
    body = await call.json()
    names = body.get("faults") if isinstance(body, dict) else None
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise RestError(400, "illegal_argument", 'body must be {"faults": [fault names]}')
    try:
        active = call.ctx.faults.set(names)
    except UnknownFault as exc:
        raise RestError(400, "illegal_argument", str(exc)) from None
    call.ctx.events.emit("sandbox.faults", active=sorted(active))
    return call.ok("put", data=sorted(active))
