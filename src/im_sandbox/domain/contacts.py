"""Contacts (the roster) and block lists: what each operation changes and who is told.

Every notice is a ROSTER meta (docs/protocol/msync.md §1.4 RosterBody) on the system queue of each device of
its recipient, like the MUC notices (group_notify.py). In every notice `RosterBody.from` is the
contact the event is about and `to` is the recipient, because the Web SDK reads the contact from
`from.name` (handleRosterMsg). Who gets what (sandbox choice `contact-notices`):

    apply    A → B          B: ADD (reason = the application text)
    accept   B accepts A    A: REMOTE_ACCEPT;  B: ACCEPT (every device)
    decline  B declines A   A: REMOTE_DECLINE; B's other devices: DECLINE
    remove   A removes B    B: REMOVE;         A's other devices: REMOVE
    add      (app token)    both: ACCEPT
    block / unblock         the owner's other devices: BAN / ALLOW (the SDK ignores both)

"Other devices" leaves out the device that acted (the `resource` the SDK sends with each call;
without one, every device is told).

Sending (`send_refusal`): a 1:1 message to a user who blocked the sender is refused FAIL `blocked`
(SDK 603); with the app setting `friends_only_chat`, a message to a non-contact is refused FAIL
`nonroster` (SDK 221). The blocker may still message the blocked user (`block-one-way`).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from im_wire import USER_DOMAIN, ErrorCode, Reason, pb

from ..faults import seam
from ..ids import now_ms
from ..store import StoredMessage
from .delivery import deliver
from .fanout import device_targets
from .queues import SYSTEM_QUEUE
from .results import MetaResult

if TYPE_CHECKING:
    from .services import Services

Op = pb.RosterBody
MAX_BLOCKS = 500        # docs/protocol/rest.md §8.3: contact blocklist ≤ 500
MAX_REMARK = 100        # characters (sandbox choice `contact-remark-limit`)
NOTIFICATION_TYPE = 0   # StoredMessage.chat_type of notifications


class ContactError(Exception):
    """A refused contact operation; `kind` says which (the transports map it to their answer)."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind
        self.message = message


def _jid(ctx: "Services", name: str) -> pb.JID:
    return pb.JID(appKey=ctx.appkey, name=name, domain=USER_DOMAIN)


@seam("contacts.notify")
def notify(ctx: "Services", recipient: str, operation: int, contact: str, *, reason: str | None = None,
           skip_resource: str | None = None) -> None:
    """One ROSTER meta about `contact` to the devices of `recipient` (minus `skip_resource`)."""
    if ctx.store.users.get(recipient) is None:
        return
    body = Op(operation=operation, **{"from": _jid(ctx, contact)})
    body.to.append(_jid(ctx, recipient))
    if reason:
        body.reason = reason
    server_id, ts = ctx.ids.next(), now_ms()
    meta = pb.Meta(id=server_id, timestamp=ts, ns=pb.Meta.ROSTER, payload=body.SerializeToString(),
                   to=_jid(ctx, recipient), **{"from": _jid(ctx, contact)})
    skip = (recipient, skip_resource) if skip_resource else None
    targets = device_targets(ctx, [recipient], SYSTEM_QUEUE, skip=skip)
    if targets:
        deliver(ctx, StoredMessage(server_id, contact, None, recipient, NOTIFICATION_TYPE,
                                   meta.SerializeToString(), ts), targets)


def _other_user(ctx: "Services", owner: str, other: str) -> str:
    other = other.lower()
    if other == owner:
        raise ContactError("self", f"can not operate on oneself: {owner}")
    if ctx.store.users.get(other) is None:
        raise ContactError("unknown_user", f"username {other} doesn't exist!")
    return other


def apply(ctx: "Services", applicant: str, invitee: str, reason: str = "", resource: str | None = None) -> None:
    invitee = _other_user(ctx, applicant, invitee)
    contacts = ctx.store.contacts
    if contacts.are_contacts(applicant, invitee):
        return  # already friends: nothing to ask
    contacts.apply(applicant, invitee, reason)
    ctx.events.emit("contact.applied", user=applicant, contact=invitee)
    notify(ctx, invitee, Op.ADD, applicant, reason=reason or None)


def accept(ctx: "Services", invitee: str, applicant: str, resource: str | None = None) -> None:
    applicant = _other_user(ctx, invitee, applicant)
    contacts = ctx.store.contacts
    if not contacts.has_application(applicant, invitee):
        raise ContactError("no_application", f"no contact invitation from {applicant}")
    befriend(ctx, invitee, applicant)
    ctx.events.emit("contact.accepted", user=invitee, contact=applicant)
    notify(ctx, applicant, Op.REMOTE_ACCEPT, invitee)
    notify(ctx, invitee, Op.ACCEPT, applicant)


@seam("contacts.befriend")
def befriend(ctx: "Services", a: str, b: str) -> None:
    ctx.store.contacts.befriend(a, b)


def decline(ctx: "Services", invitee: str, applicant: str, resource: str | None = None) -> None:
    applicant = _other_user(ctx, invitee, applicant)
    if not ctx.store.contacts.drop_application(applicant, invitee):
        raise ContactError("no_application", f"no contact invitation from {applicant}")
    ctx.events.emit("contact.declined", user=invitee, contact=applicant)
    notify(ctx, applicant, Op.REMOTE_DECLINE, invitee)
    notify(ctx, invitee, Op.DECLINE, applicant, skip_resource=resource or "")


def add(ctx: "Services", owner: str, contact: str) -> str:
    """The app-token add: a friendship at once, no application."""
    contact = _other_user(ctx, owner, contact)
    if ctx.store.contacts.are_contacts(owner, contact):
        return contact
    befriend(ctx, owner, contact)
    ctx.events.emit("contact.added", user=owner, contact=contact)
    notify(ctx, owner, Op.ACCEPT, contact)
    notify(ctx, contact, Op.ACCEPT, owner)
    return contact


def remove(ctx: "Services", owner: str, contact: str, resource: str | None = None) -> str:
    contact = _other_user(ctx, owner, contact)
    if not ctx.store.contacts.unfriend(owner, contact):
        raise ContactError("not_contact", f"{contact} is not a contact of {owner}")
    ctx.events.emit("contact.removed", user=owner, contact=contact)
    notify(ctx, contact, Op.REMOVE, owner)
    notify(ctx, owner, Op.REMOVE, contact, skip_resource=resource or "")
    return contact


def set_remark(ctx: "Services", owner: str, contact: str, remark: str) -> None:
    contact = _other_user(ctx, owner, contact)
    if len(remark) > MAX_REMARK:
        raise ContactError("bad_remark", f"remark length must be at most {MAX_REMARK}")
    if not ctx.store.contacts.set_remark(owner, contact, remark):
        raise ContactError("not_contact", f"{contact} is not a contact of {owner}")


# -- block lists -----------------------------------------------------------------------------
def block(ctx: "Services", owner: str, users: Iterable[str], resource: str | None = None) -> list[str]:
    names = list(dict.fromkeys(u.lower() for u in users))
    if len(names) > MAX_BLOCKS:
        raise ContactError("too_many", f"the block list can hold at most {MAX_BLOCKS} users")
    for name in names:
        _other_user(ctx, owner, name)
    contacts = ctx.store.contacts
    new = [n for n in names if not contacts.is_blocked(owner, n)]
    if contacts.block_count(owner) + len(new) > MAX_BLOCKS:
        raise ContactError("too_many", f"the block list can hold at most {MAX_BLOCKS} users")
    contacts.block(owner, new)
    for name in new:
        ctx.events.emit("contact.blocked", user=owner, contact=name)
        notify(ctx, owner, Op.BAN, name, skip_resource=resource or "")
    return names


def unblock(ctx: "Services", owner: str, user: str, resource: str | None = None) -> str:
    user = _other_user(ctx, owner, user)
    if ctx.store.contacts.unblock(owner, user):
        ctx.events.emit("contact.unblocked", user=owner, contact=user)
        notify(ctx, owner, Op.ALLOW, user, skip_resource=resource or "")
    return user


@seam("contacts.send_check")
def send_refusal(ctx: "Services", sender: str, recipient: str) -> MetaResult | None:
    """None when `sender` may send a 1:1 message to `recipient`; else the refusal (docs/protocol/msync.md §6.1)."""
    if sender == recipient:
        return None
    contacts = ctx.store.contacts
    if contacts.is_blocked(recipient, sender):
        return MetaResult.fail(ErrorCode.FAIL, Reason.BLOCKED)
    if ctx.app_config.get("friends_only_chat") and not contacts.are_contacts(sender, recipient):
        return MetaResult.fail(ErrorCode.FAIL, Reason.NONROSTER)
    return None


def rest_send_refusal(ctx: "Services", sender: str, recipient: str) -> str | None:
    """A REST 1:1 send (docs/protocol/rest.md §3.1) checks the friend rule only, and only for a sender that
    is a user (the default `admin` is not): `nonroster` when refused (rule `friends-only-rest`)."""
    if sender == recipient or not ctx.app_config.get("friends_only_chat"):
        return None
    if ctx.store.users.get(sender) is None or ctx.store.contacts.are_contacts(sender, recipient):
        return None
    return Reason.NONROSTER
