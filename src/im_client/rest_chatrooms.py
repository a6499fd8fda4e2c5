"""Chatrooms over REST (rest.md §6.1–§6.2): lifecycle, members, admins, super admins, announcements.

Every call has a bare form returning the `requests.Response` untouched (negative tests) and a
`must_` form returning the answer's `data` and raising RestError otherwise:

    room_id = admin.must_create_chatroom(alice.username, members=[bob.username])["id"]
    resp = as_bob.add_chatroom_member(room_id, carol.username)   # a plain member may not: 403
    assert resp.status_code == 403

A RestClient holding a user token calls as that user (the Web SDK's way).
"""
from __future__ import annotations

from typing import Any, Callable, Iterable
from urllib.parse import quote

import requests

from .errors import checked_body


def room_must(bare: Callable[..., requests.Response]) -> Callable[..., Any]:
    """The `must_` form of a bare chatroom call: the answer's `data`, or RestError."""

    def checked(self, *args: Any, **kw: Any) -> Any:
        return room_answer(bare(self, *args, **kw))

    checked.__name__ = f"must_{bare.__name__}"
    checked.__doc__ = f"{bare.__doc__ or bare.__name__} Returns `data`; raises RestError."
    return checked


def room_answer(resp: requests.Response, key: str | None = "data") -> Any:
    body = checked_body(resp)
    return body if key is None else body.get(key, body)


def q(value: Any) -> str:
    return quote(str(value), safe="")


def names(users: str | Iterable[str]) -> list[str]:
    return [users] if isinstance(users, str) else list(users)


def joined(users: str | Iterable[str]) -> str:
    return ",".join(q(u) for u in names(users))


def room_path(room_id: str | Iterable[str]) -> str:
    return "/chatrooms/" + (room_id if isinstance(room_id, str) else ",".join(room_id))


class ChatroomsApi:
    """Mixed into RestClient (uses `self.raw`)."""

    # lifecycle (rest.md §6.1) -----------------------------------------------------------------
    def create_chatroom(self, owner: str, *, name: str | None = None, description: str = "a room",
                        maxusers: int | None = None, members: Iterable[str] | None = None,
                        custom: str | None = None, **extra: Any) -> requests.Response:
        body: dict[str, Any] = {"name": name or f"room of {owner}", "description": description, "owner": owner}
        optional = {"maxusers": maxusers, "members": None if members is None else list(members), "custom": custom}
        body.update({k: v for k, v in optional.items() if v is not None})
        body.update(extra)
        return self.raw("POST", "/chatrooms", json_body=body)

    def get_chatroom(self, room_id: str | Iterable[str]) -> requests.Response:
        """Details of one room (or several: an iterable of ids); `data` is a list."""
        return self.raw("GET", room_path(room_id))

    def list_chatrooms(self, limit: int | None = None, cursor: str | None = None) -> requests.Response:
        params = {k: v for k, v in {"limit": limit, "cursor": cursor}.items() if v is not None}
        return self.raw("GET", "/chatrooms", params=params or None)

    def update_chatroom(self, room_id: str, **fields: Any) -> requests.Response:
        return self.raw("PUT", room_path(room_id), json_body=fields)

    def transfer_chatroom_owner(self, room_id: str, new_owner: str) -> requests.Response:
        return self.raw("PUT", room_path(room_id), json_body={"newowner": new_owner})

    def delete_chatroom(self, room_id: str) -> requests.Response:
        return self.raw("DELETE", room_path(room_id))

    def joined_chatrooms(self, username: str, pagenum: int | None = None,
                         pagesize: int | None = None) -> requests.Response:
        params = {k: v for k, v in {"pagenum": pagenum, "pagesize": pagesize}.items() if v is not None}
        return self.raw("GET", f"/users/{q(username)}/joined_chatrooms", params=params or None)

    # members, admins, super admins (rest.md §6.2) ---------------------------------------------
    def chatroom_members(self, room_id: str, pagenum: int | None = None,
                         pagesize: int | None = None) -> requests.Response:
        params = {k: v for k, v in {"pagenum": pagenum, "pagesize": pagesize}.items() if v is not None}
        return self.raw("GET", f"{room_path(room_id)}/users", params=params or None)

    def add_chatroom_member(self, room_id: str, username: str) -> requests.Response:
        return self.raw("POST", f"{room_path(room_id)}/users/{q(username)}")

    def add_chatroom_members(self, room_id: str, usernames: Iterable[str]) -> requests.Response:
        return self.raw("POST", f"{room_path(room_id)}/users", json_body={"usernames": list(usernames)})

    def remove_chatroom_members(self, room_id: str, usernames: str | Iterable[str]) -> requests.Response:
        """One name: `data` is one result; several: a list of results."""
        return self.raw("DELETE", f"{room_path(room_id)}/users/{joined(usernames)}")

    def chatroom_admins(self, room_id: str) -> requests.Response:
        return self.raw("GET", f"{room_path(room_id)}/admin")

    def add_chatroom_admin(self, room_id: str, username: str) -> requests.Response:
        return self.raw("POST", f"{room_path(room_id)}/admin", json_body={"newadmin": username})

    def remove_chatroom_admin(self, room_id: str, username: str) -> requests.Response:
        return self.raw("DELETE", f"{room_path(room_id)}/admin/{q(username)}")

    def chatroom_super_admins(self, pagenum: int | None = None, pagesize: int | None = None) -> requests.Response:
        params = {k: v for k, v in {"pagenum": pagenum, "pagesize": pagesize}.items() if v is not None}
        return self.raw("GET", "/chatrooms/super_admin", params=params or None)

    def add_chatroom_super_admin(self, username: str) -> requests.Response:
        return self.raw("POST", "/chatrooms/super_admin", json_body={"superadmin": username})

    def remove_chatroom_super_admin(self, username: str) -> requests.Response:
        return self.raw("DELETE", f"/chatrooms/super_admin/{q(username)}")

    # announcement ---------------------------------------------------------------------------------
    def chatroom_announcement(self, room_id: str) -> requests.Response:
        return self.raw("GET", f"{room_path(room_id)}/announcement")

    def set_chatroom_announcement(self, room_id: str, text: str) -> requests.Response:
        return self.raw("POST", f"{room_path(room_id)}/announcement", json_body={"announcement": text})

    must_create_chatroom = room_must(create_chatroom)
    must_get_chatroom = room_must(get_chatroom)
    must_update_chatroom = room_must(update_chatroom)
    must_transfer_chatroom_owner = room_must(transfer_chatroom_owner)
    must_delete_chatroom = room_must(delete_chatroom)
    must_joined_chatrooms = room_must(joined_chatrooms)
    must_chatroom_members = room_must(chatroom_members)
    must_add_chatroom_member = room_must(add_chatroom_member)
    must_add_chatroom_members = room_must(add_chatroom_members)
    must_remove_chatroom_members = room_must(remove_chatroom_members)
    must_chatroom_admins = room_must(chatroom_admins)
    must_add_chatroom_admin = room_must(add_chatroom_admin)
    must_remove_chatroom_admin = room_must(remove_chatroom_admin)
    must_chatroom_super_admins = room_must(chatroom_super_admins)
    must_add_chatroom_super_admin = room_must(add_chatroom_super_admin)
    must_remove_chatroom_super_admin = room_must(remove_chatroom_super_admin)
    must_chatroom_announcement = room_must(chatroom_announcement)
    must_set_chatroom_announcement = room_must(set_chatroom_announcement)

    def must_list_chatrooms(self, limit: int | None = None, cursor: str | None = None) -> dict:
        """The whole answer (`data`, `count`, and `cursor` when there are more rooms)."""
        return room_answer(self.list_chatrooms(limit, cursor), key=None)
