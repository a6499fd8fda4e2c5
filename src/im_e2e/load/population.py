"""Users, tokens and the group of one cell, made through the REST API (app token)."""
from __future__ import annotations

from dataclasses import dataclass

import gevent.pool

from im_client import RestClient, Target

from .scenarios import Cell

PASSWORD = "load-pw"
BATCH = 60


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


def populate(target: Target, admin: RestClient, cell: Cell, prefix: str) -> Population:
    names = [f"{prefix}-{n}" for n in range(cell.group_size)]
    for start in range(0, len(names), BATCH):
        admin.must_register_users([{"username": n, "password": PASSWORD} for n in names[start:start + BATCH]])
    owner, rest = names[0], names[1:]
    group_id = admin.must_create_group(owner, public=True, maxusers=cell.group_size)["groupid"]
    for start in range(0, len(rest), BATCH):
        admin.must_add_group_members(group_id, rest[start:start + BATCH])
    senders = names[:max(1, cell.senders)]
    others = names[len(senders):]
    online_count = min(len(others), cell.online_members)
    rest_client = RestClient(target)
    pool = gevent.pool.Pool(16)
    tokens = dict(zip(names, pool.imap(lambda n: rest_client.must_user_token(n, PASSWORD).access_token, names)))
    return Population(group_id, senders, others[:online_count], others[online_count:], tokens)
