"""Membership changes and the notifications they cause (docs/protocol/msync.md §5.2), shared by every REST path
that adds or removes members (add, invite, apply, kick, quit, block, destroy).

| change | to the users concerned | to the other members |
|---|---|---|
| added by a manager / invite without confirmation | DIRECT_JOINED | PRESENCE |
| invitation accepted | INVITE_ACCEPT to the inviter | PRESENCE |
| application approved | APPLY_ACCEPT to the applicant | PRESENCE |
| joined an open public group | — | PRESENCE |
| kicked | KICK | ABSENCE |
| blocked (and so removed) | BLOCK | ABSENCE |
| left | — | ABSENCE |
| deleted (the user account, docs/protocol/rest.md §2.2) | — | ABSENCE |
| group destroyed | DESTROY to every member | |
PRESENCE/ABSENCE carry the users in `to` and the new `mucMemberCount`; one user joining or leaving
is MUCBody.from = that user and no `members` (the SDK's `memberPresence` / `memberAbsence`), several
at once are `members` and MUCBody.from = the operator (the SDK's plural `membersPresence` /
`membersAbsence`): rule `group-presence-one-or-many`.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..domain import group_notify
from ..faults import seam
from ..store.files import shared_key
from ..store.groups import Group
from . import threads
from .group_common import Actor

if TYPE_CHECKING:
    from ..msync.context import Context

Op = group_notify.Op


def join(ctx: "Context", group: Group, names: list[str], who: Actor, how: int | None = Op.DIRECT_JOINED,
         notify: str | None = None) -> None:
    """Add `names` as members. `how` is what each joiner is told (None: nothing); `notify` (e.g.
    the inviter) gets INVITE_ACCEPT instead when `how` is INVITE_ACCEPT."""
    if not names:
        return
    others = [u for u in group.members if u not in names]
    ctx.store.groups.add_members(group.id, names)
    for name in names:
        ctx.events.emit("group.member_added", group=group.id, user=name, by=who.operator)
    if how == Op.INVITE_ACCEPT:
        group_notify.muc(ctx, group.id, how, [notify], operator=names[0], to=names, name=group.name)
    elif how is not None:
        for name in names:
            group_notify.muc(ctx, group.id, how, [name], operator=who.operator, to=[name], name=group.name,
                             skip=who.skip)
    announce_joined(ctx, group, names, others, who)


def who_moved(names: list[str], who: Actor) -> dict:
    """PRESENCE / ABSENCE fields naming who joined or left: the one user as MUCBody.from (the SDK
    then fires `memberPresence` / `memberAbsence` from them), several as `members` (`membersPresence`)."""
    if len(names) == 1:
        return {"operator": names[0]}
    return {"operator": who.operator, "members": names}


@seam("groups.announce_joined")
def announce_joined(ctx: "Context", group: Group, names: list[str], others: list[str], who: Actor) -> None:
    """PRESENCE to the members that were there before: `names` joined."""
    group_notify.muc(ctx, group.id, Op.PRESENCE, others, to=names, member_count=group.count, skip=who.skip,
                     **who_moved(names, who))


def leave(ctx: "Context", group: Group, names: list[str], who: Actor, how: int | None = Op.KICK,
          why: str | None = None) -> None:
    """Remove `names` from the group and its threads; `how` is what each of them is told, `why`
    the event's `how` when they are told nothing (default LEAVE)."""
    if not names:
        return
    remove_members(ctx, group, names, how)
    ctx.store.threads.leave_group_threads(group.id, names)
    for name in names:
        ctx.events.emit("group.member_removed", group=group.id, user=name, by=who.operator,
                        how=Op.Operation.Name(how) if how is not None else why or "LEAVE")
    if how is not None:
        for name in names:
            group_notify.muc(ctx, group.id, how, [name], operator=who.operator, to=[name], name=group.name,
                             skip=who.skip)
    group_notify.muc(ctx, group.id, Op.ABSENCE, list(group.members), to=names, member_count=group.count,
                     skip=who.skip, **who_moved(names, who))


@seam("groups.remove_members")
def remove_members(ctx: "Context", group: Group, names: list[str], how: int | None) -> None:
    """The membership of `names` ends (`how`: what they are told, KICK, BLOCK … or nothing)."""
    ctx.store.groups.remove_members(group.id, names)


def destroy(ctx: "Context", group: Group, who: Actor) -> None:
    """The group ends with its threads and its shared files; every member is told DESTROY."""
    members = list(group.members)
    threads.destroy_all(ctx, group, who)
    ctx.store.groups.delete(group.id)
    for uuid in ctx.store.files.delete_shared(shared_key("group", group.id)):
        ctx.events.emit("group.file_deleted", group=group.id, file=uuid, operator=who.operator, why="destroyed")
    ctx.events.emit("group.destroyed", group=group.id, by=who.operator, members=len(members))
    group_notify.muc(ctx, group.id, Op.DESTROY, members, operator=who.operator, name=group.name, skip=who.skip)


def to_everyone(ctx: "Context", group: Group, operation: int, who: Actor, **fields) -> None:
    """One group-wide notification (UPDATE, DESTROY, ASSIGN_OWNER, BAN_GROUP, announcements …)."""
    group_notify.muc(ctx, group.id, operation, list(group.members), operator=who.operator, name=group.name,
                     skip=who.skip, **fields)


def to_user_and_managers(ctx: "Context", group: Group, operation: int, who: Actor, user: str, **fields) -> None:
    """A notification about one member (admin, mute, allow-list): to it and to the owner and admins."""
    group_notify.muc(ctx, group.id, operation, [user, *group.managers], operator=who.operator, to=[user],
                     name=group.name, skip=who.skip, **fields)
