"""Contact operations over msync (the ROSTER namespace, docs/protocol/msync.md §1.4), for targets whose clients
manage contacts over msync rather than REST:

    alice.must_roster("ADD", bob.name, reason="hi")        # bob: ROSTER ADD
    ack = bob.roster("ACCEPT", alice.name)                  # bare form: the raw Ack
    alice.must_roster_list()                                # the contacts' names (GET_ROSTER)
    alice.must_roster_list("GET_BLACKLIST")                 # the blocked users' names
"""
from __future__ import annotations

from im_wire import pb
from im_wire.jid import USER_DOMAIN, make_jid

from .errors import SendError
from .replies import Ack
from .session import Session

Op = pb.RosterBody


def roster_meta(appkey: str, username: str, operation: str, users: tuple[str, ...], reason: str | None) -> pb.Meta:
    """A ROSTER item for the system queue: RosterBody.from = me, to = the users."""
    body = Op(operation=Op.Operation.Value(operation), **{"from": make_jid(appkey, username, USER_DOMAIN)})
    for user in users:
        body.to.append(make_jid(appkey, user, USER_DOMAIN))
    if reason is not None:
        body.reason = reason
    return pb.Meta(ns=pb.Meta.ROSTER, to=pb.JID(domain=USER_DOMAIN), payload=body.SerializeToString(),
                   **{"from": make_jid(appkey, username, USER_DOMAIN)})


class RosterMixin:
    """Roster actions; mixed into Client on top of Session."""

    def roster(self: Session, operation: str, *users: str, reason: str | None = None) -> Ack:
        return self.send_meta(roster_meta(self.appkey, self.name, operation, users, reason))

    def must_roster(self, operation: str, *users: str, reason: str | None = None) -> Ack:
        ack = self.roster(operation, *users, reason=reason)
        if not ack.ok:
            raise SendError(ack)
        return ack

    def must_roster_list(self, operation: str = "GET_ROSTER") -> list[str]:
        """GET_ROSTER / GET_BLACKLIST: the names the ack's ROSTER meta lists."""
        ack = self.must_roster(operation)
        return [jid.name for jid in Op.FromString(ack.metas[0].payload).to]
