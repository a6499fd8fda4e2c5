"""How one cell is cut into shares for several worker processes: which online members and which
sender slots each worker connects, and the assignment message that tells it so.

Locust's UsersDispatcher decides how many users of each class a worker runs (workers sorted by id,
fixed_count users handed out round-robin); that split is not precomputed here. The master waits
for each worker to report the users it actually spawned and sizes the worker's share to exactly
that, so a user on a worker always finds a member (or a sender slot) of its own.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

MEMBERS = "Members"  # Locust user class names (users.user_classes)
SENDERS = "Senders"
TRANSPORTS = ("tcp", "ws")


def transport_of(index: int) -> str:
    """Members and senders alternate TCP and WS by their place in the cell."""
    return TRANSPORTS[index % 2]


def with_transports(names: list[str]) -> list[tuple[str, str]]:
    return [(name, transport_of(i)) for i, name in enumerate(names)]


@dataclass
class Share:
    members: list[tuple[str, str]]  # (name, transport) of the online members this worker connects
    sender_slots: list[int]         # indexes into the cell's senders; slot i sends seq i, i + n, i + 2n, ...


def partition(online: list[str], senders: list[str], running: dict[str, dict[str, int]], block: int = 1
              ) -> dict[str, Share]:
    """One share per worker id, in id order, sized by `running[worker] = {MEMBERS: k, SENDERS: s}` (the
    users the worker reported; a members user drives `block` members, the last one the rest). Every
    online member and every sender slot goes to exactly one worker."""
    want = {MEMBERS: -(-len(online) // block) if online else 0, SENDERS: len(senders)}
    have = {kind: sum(counts.get(kind, 0) for counts in running.values()) for kind in want}
    if have != want:
        raise ValueError(f"workers run {have} users for a cell of {want}")
    members, shares = with_transports(online), {}
    next_member = next_slot = 0
    for worker in sorted(running):
        k, s = running[worker].get(MEMBERS, 0), running[worker].get(SENDERS, 0)
        shares[worker] = Share(members[next_member:next_member + k * block], list(range(next_slot, next_slot + s)))
        next_member, next_slot = min(len(members), next_member + k * block), next_slot + s
    return shares


@dataclass
class Assignment:
    """Everything a worker needs for its share of a cell (sent by the master as a Locust message)."""
    worker: str                  # label of the worker in the result
    target: dict[str, Any]       # the sandbox's info line (Target.from_info)
    group_id: str
    senders: list[str]           # every sender of the cell; a sender slot is an index into this list
    members: list[tuple[str, str]]
    sender_slots: list[int]
    tokens: dict[str, str]       # of this worker's members and senders only
    rate: float                  # messages/s, all senders together
    total: int
    ack_wait_s: float
    drain_wait_s: float
    send_wait_s: float
    last: bool                   # no further cell follows: the worker process may exit afterwards
    pull_delay_s: float = 0.0    # live members send each queue pull this much later (a slow uplink)
    engine: str = "gevent"       # of the members: "multiplex" or "gevent" (users.ENGINES)
    block: int = 1               # members one Locust user drives

    @property
    def member_users(self) -> int:
        """The Locust users that drive this share's members."""
        return -(-len(self.members) // self.block) if self.members else 0

    @property
    def users(self) -> int:
        return len(self.members) + len(self.sender_slots)

    def to_wire(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_wire(cls, data: dict[str, Any]) -> "Assignment":
        fields = dict(data)
        fields["members"] = [(name, transport) for name, transport in data["members"]]
        fields["sender_slots"] = [int(slot) for slot in data["sender_slots"]]
        return cls(**fields)


def assign(share: Share, *, worker: str, target: dict[str, Any], group_id: str, senders: list[str],
           tokens: dict[str, str], **cell: Any) -> Assignment:
    names = [name for name, _ in share.members] + [senders[slot] for slot in share.sender_slots]
    return Assignment(worker=worker, target=target, group_id=group_id, senders=senders, members=share.members,
                      sender_slots=share.sender_slots, tokens={n: tokens[n] for n in names}, **cell)
