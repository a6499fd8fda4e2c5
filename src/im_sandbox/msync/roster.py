"""The ROSTER namespace upstream (docs/protocol/msync.md §1.4 RosterBody): contact operations over msync, for
clients that do not use the REST routes (the Web SDK does; sandbox choice `roster-upstream-ops`).

    ADD (to = [invitee], reason), ACCEPT / DECLINE (to = [applicant]), REMOVE (to = [contact]),
    BAN / ALLOW (to = the users), GET_ROSTER / GET_BLACKLIST (the ack carries one ROSTER meta
    whose RosterBody.to lists the contacts / the blocked users)

The operations are domain/contacts.py's, notices included; the acting device is the connection's.
An unknown user is refused FAIL `username <x> doesn't exist!`, any other refusal FAIL with its text;
REMOTE_ACCEPT / REMOTE_DECLINE (server-only), a missing `to`: WRONG_PARAMETER `malformed payload`.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from google.protobuf.message import DecodeError

from im_wire import USER_DOMAIN, ErrorCode, Reason, pb

from ..domain import contacts
from ..domain.contacts import ContactError
from ..domain.results import MetaResult
from ..ids import now_ms

if TYPE_CHECKING:
    from ..context import Context
    from .connection import Connection

Op = pb.RosterBody


def _listing(ctx: "Context", operation: int, names: list[str]) -> bytes:
    body = Op(operation=operation)
    for name in names:
        body.to.append(pb.JID(appKey=ctx.appkey, name=name, domain=USER_DOMAIN))
    return pb.Meta(ns=pb.Meta.ROSTER, payload=body.SerializeToString()).SerializeToString()


def handle_roster(conn: "Connection", meta: pb.Meta) -> MetaResult:
    ctx = conn.ctx
    try:
        body = Op.FromString(meta.payload)
    except DecodeError:
        return MetaResult.fail(ErrorCode.PB_PARSER_ERROR, Reason.BAD_PAYLOAD)
    user, resource = conn.user, conn.resource
    names = [jid.name for jid in body.to if jid.name]
    op = body.operation
    listing = []
    try:
        if op == Op.GET_ROSTER:
            listing = [_listing(ctx, op, [c for c, _ in ctx.store.contacts.contacts(user)])]
        elif op == Op.GET_BLACKLIST:
            listing = [_listing(ctx, op, ctx.store.contacts.blocks(user))]
        elif not names or op in (Op.REMOTE_ACCEPT, Op.REMOTE_DECLINE) or not body.HasField("operation"):
            return MetaResult.fail(ErrorCode.WRONG_PARAMETER, Reason.BAD_PAYLOAD)
        elif op == Op.BAN:
            contacts.block(ctx, user, names, resource)
        elif op == Op.ALLOW:
            for name in names:
                contacts.unblock(ctx, user, name, resource)
        elif op == Op.ADD:
            for name in names:
                contacts.apply(ctx, user, name, body.reason, resource)
        else:
            action = {Op.ACCEPT: contacts.accept, Op.DECLINE: contacts.decline, Op.REMOVE: contacts.remove}[op]
            for name in names:
                action(ctx, user, name, resource)
    except ContactError as err:  # an unknown user's text is already reasons.USER_NOT_EXIST's
        return MetaResult.fail(ErrorCode.FAIL, err.message)
    return MetaResult.ok(ctx.ids.next(), now_ms(), listing)


def install(ctx: "Context") -> None:
    ctx.dispatcher.namespace(pb.Meta.ROSTER, handle_roster)
