"""What the group REST modules share: who is calling (app admin or a user with a role), group
lookup, the Easemob error strings of groups (docs/protocol/rest.md §5.1–§5.2, §10.3), body parsing.

Every group path accepts app tokens (the admin may do anything) and user tokens (as the Web SDK
calls them, docs/protocol/rest.md §0.3): a user then needs the role the operation asks for. `?resource=` names
the calling device, which does not get the notification of its own operation (the other devices
of the same user do: that is the multi-device sync).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..domain.group_notify import ADMIN
from ..store import APP
from ..faults import seam
from ..store.groups import ADMIN as ADMIN_ROLE
from ..store.groups import OWNER, Group
from .envelope import RestError, illegal_argument
from .routing import Call

MAX_BATCH = 60


@dataclass(frozen=True)
class Actor:
    """The caller of a group operation: a user, or None for the app admin."""

    user: str | None
    resource: str | None

    @property
    def is_app(self) -> bool:
        return self.user is None

    @property
    def operator(self) -> str:
        return self.user or ADMIN

    @property
    def skip(self) -> tuple[str, str] | None:
        return (self.user, self.resource) if self.user and self.resource else None


def actor(call: Call) -> Actor:
    token = call.token
    user = None if token is None or token.kind == APP else token.username
    return Actor(user, call.query.get("resource") or None)


# -- errors ------------------------------------------------------------------------------------
def forbidden(description: str) -> RestError:
    return RestError(403, "forbidden_op", description, "EasemobForbiddenOpException")


def group_not_found(group_id: str) -> RestError:
    return RestError(404, "resource_not_found", f"grpID {group_id} does not exist!", "ResourceNotFoundException")


def user_missing(username: str) -> RestError:
    return RestError(404, "resource_not_found", f"username {username} doesn't exist!", "ResourceNotFoundException")


def invalid_parameter(description: str) -> RestError:
    return RestError(400, "invalid_parameter", description, "InvalidParameterException")


def not_members(group: Group, names: list[str]) -> RestError:
    return forbidden(f"users [{', '.join(names)}] are not members of this group!")


def already_member(group: Group, username: str) -> RestError:
    return forbidden(f"can not join this group, reason:user: {username} already in group: {group.id}\n")


def blocked(group: Group, username: str) -> RestError:
    return forbidden(f"can not join this group, reason:user: {username} is in the blacklist of group: {group.id}")


def on_owner() -> RestError:
    return forbidden("forbidden operation on group owner!")


def too_many_members() -> RestError:
    return RestError(403, "exceed_limit", "members size is greater than max user size !", "ExceedLimitException")


def group_full() -> RestError:
    return forbidden("group member list is full!")


def group_disabled() -> RestError:
    return forbidden("can not operate this group, reason: group is disabled")


def no_permission(actor_: Actor, group: Group, what: str) -> RestError:
    return forbidden(f"user: {actor_.user} has no permission to {what} in group: {group.id}")


# -- lookups and role checks -------------------------------------------------------------------
def existing_group(call: Call, group_id: str | None = None, *, change: bool | None = None) -> Group:
    """The group of the path (or `group_id`); a user's `change` (default: any method but GET) of a
    disabled group is refused."""
    group_id = group_id if group_id is not None else call.arg("group_id")
    group = call.ctx.store.groups.get(group_id)
    if group is None:
        raise group_not_found(group_id)
    if change is None:
        change = call.request.method != "GET"
    if group.disabled and change and actor(call).user is not None:
        raise group_disabled()  # rule group-disabled-refuses-users: the app may still act (and enable it)
    return group


def require_owner(group: Group, who: Actor, what: str) -> None:
    if not who.is_app and group.role(who.user) != OWNER:
        raise no_permission(who, group, what)


def require_manager(group: Group, who: Actor, what: str) -> None:
    if not who.is_app and not group.is_manager(who.user):
        raise no_permission(who, group, what)


@seam("groups.touches_admin")
def touches_admin(ctx, group: Group, who: Actor, names: list[str]) -> bool:
    """An admin (not the owner, not the app) moderating another admin: refused by every moderation
    operation (remove, block, mute); only the owner and the app may act on admins."""
    return not who.is_app and group.role(who.user) != OWNER and any(group.role(n) == ADMIN_ROLE for n in names)


@seam("groups.room_for")
def room_for(ctx, group: Group, adding: int) -> bool:
    """`adding` more members keep the group within its `maxusers` (owner included): a group of
    maxusers N takes its Nth member and refuses the N+1st."""
    return group.count + adding <= group.maxusers


@seam("groups.save_settings")
def save_settings(ctx, group_id: str, **values) -> None:
    """A change of group settings (name, description, maxusers, announcement, mute-all …), written
    to the store: it survives a restart."""
    ctx.store.groups.update(group_id, **values)


def require_member(group: Group, who: Actor) -> None:
    if not who.is_app and who.user not in group.members:
        raise not_members(group, [who.user])


def existing_users(call: Call, names: list[str]) -> list[str]:
    users = call.ctx.store.users
    for name in names:
        if users.get(name) is None:
            raise user_missing(name)
    return names


# -- bodies ------------------------------------------------------------------------------------
async def body_object(call: Call, required: bool = True) -> dict:
    body = await call.json(required=required)
    if body is None:
        return {}
    if not isinstance(body, dict):
        raise illegal_argument("request body must be a JSON object")
    return body


def name_list(value: Any, field: str = "usernames", limit: int = MAX_BATCH,
              too_many: str = "userNames size is more than max limit : 60") -> list[str]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
        raise invalid_parameter(f"{field} must be provided")
    if len(value) > limit:
        raise invalid_parameter(too_many)
    return list(dict.fromkeys(v.lower() for v in value))


def path_names(call: Call, arg: str = "usernames", limit: int = MAX_BATCH,
               too_many: str = "userNames size is more than max limit : 60") -> list[str]:
    """`u1,u2,…` in the path (batch removals)."""
    return name_list([n for n in call.arg(arg).split(",") if n], arg, limit, too_many)


def flag(value: Any, field: str) -> bool:
    if not isinstance(value, bool):
        raise invalid_parameter(f"{field} must be a boolean")
    return value
