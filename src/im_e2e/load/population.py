"""Users, tokens and the group of one cell: made fresh through the REST API (app token), or taken
from a provisioned roster (provision.py); members' user tokens by password grant or by the
service's `inherit` grant on the app token (`[load] tokens`). Every REST call goes through the
cell's Throttle (429 retried and counted)."""
from __future__ import annotations

from dataclasses import dataclass

import gevent.pool

from im_client import RestClient, Target

from .provision import BATCH, PASSWORD, Roster, ensure_group, ensure_users
from .scenarios import Cell
from .throttle import Throttle

TOKEN_CONCURRENCY = 16

__all__ = ["BATCH", "PASSWORD", "Population", "populate", "population_of"]


@dataclass
class Population:
    group_id: str
    senders: list[str]
    online: list[str]
    offline: list[str]
    tokens: dict[str, str]

    @property
    def receivers(self) -> list[str]:
        return [*self.senders, *self.online, *self.offline]


def populate(target: Target, admin: RestClient, cell: Cell, prefix: str, throttle: Throttle | None = None,
             tokens: str = "password") -> Population:
    """A fresh roster for the cell (registered, group filled), then its population."""
    throttle = throttle or Throttle()
    roster = Roster.new(cell.group_size, prefix)
    ensure_users(admin, throttle, roster.names)
    roster.group_id = ensure_group(admin, throttle, roster)[0]
    return population_of(target, admin, throttle, cell, roster, tokens)


def population_of(target: Target, admin: RestClient, throttle: Throttle, cell: Cell, roster: Roster,
                  tokens: str = "password") -> Population:
    """Senders, online and offline members of `cell` from a roster (its first names send), with tokens."""
    names = roster.names[:cell.group_size]
    senders = names[:max(1, cell.senders)]
    others = names[len(senders):]
    online_count = min(len(others), cell.online_members)
    if tokens == "inherit":
        def token(name: str) -> str:
            return throttle.must(admin.inherit_token, name, unwrap=lambda body: body["access_token"])
    else:
        users = RestClient(target)

        def token(name: str) -> str:
            return throttle.must(users.user_token, name, PASSWORD, unwrap=lambda body: body["access_token"])
    pool = gevent.pool.Pool(TOKEN_CONCURRENCY)
    return Population(roster.group_id, senders, others[:online_count], others[online_count:],
                      dict(zip(names, pool.imap(token, names))))
