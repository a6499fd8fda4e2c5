"""Chatrooms over REST (docs/protocol/rest.md §6.1–§6.2): lifecycle, members, admins, super admins, announcements.

Every call has a bare form returning the `requests.Response` untouched (negative tests) and a
`must_` form returning the answer's `data` and raising RestError otherwise (the one rule of
rest_call.py):

    room_id = admin.must_create_chatroom(alice.name, members=[bob.name])["id"]
    resp = as_bob.add_chatroom_member(room_id, carol.name)   # a plain member may not: 403
    assert resp.status_code == 403

A RestClient holding a user token calls as that user (the Web SDK's way).
"""
from __future__ import annotations

from typing import Any, Iterable
from urllib.parse import quote

import requests

from .rest_call import rest_call, whole


def q(value: Any) -> str:
    return quote(str(value), safe="")


def names(users: str | Iterable[str]) -> list[str]:
    return [users] if isinstance(users, str) else list(users)


def joined(users: str | Iterable[str]) -> str:
    return ",".join(q(u) for u in names(users))


def room_path(room_id: str | Iterable[str]) -> str:
    return "/chatrooms/" + (room_id if isinstance(room_id, str) else ",".join(room_id))


class ChatroomsApi:
    """Mixed into RestClient (uses `self.request`)."""

    # lifecycle (docs/protocol/rest.md §6.1) -----------------------------------------------------------------
    @rest_call
    def create_chatroom(self, owner: str, *, name: str | None = None, description: str = "a room",
                        maxusers: int | None = None, members: Iterable[str] | None = None,
                        custom: str | None = None, **extra: Any) -> requests.Response:
        body: dict[str, Any] = {"name": name or f"room of {owner}", "description": description, "owner": owner}
        optional = {"maxusers": maxusers, "members": None if members is None else list(members), "custom": custom}
        body.update({k: v for k, v in optional.items() if v is not None})
        body.update(extra)
        return self.request("POST", "/chatrooms", json_body=body)

    @rest_call
    def get_chatroom(self, room_id: str | Iterable[str]) -> requests.Response:
        """Details of one room (or several: an iterable of ids); `data` is a list."""
        return self.request("GET", room_path(room_id))

    @rest_call(must=whole)
    def list_chatrooms(self, limit: int | None = None, cursor: str | None = None) -> requests.Response:
        """`must_`: the whole answer (`data`, `count`, and `cursor` when there are more rooms)."""
        params = {k: v for k, v in {"limit": limit, "cursor": cursor}.items() if v is not None}
        return self.request("GET", "/chatrooms", params=params or None)

    @rest_call
    def update_chatroom(self, room_id: str, **fields: Any) -> requests.Response:
        return self.request("PUT", room_path(room_id), json_body=fields)

    @rest_call
    def transfer_chatroom_owner(self, room_id: str, new_owner: str) -> requests.Response:
        return self.request("PUT", room_path(room_id), json_body={"newowner": new_owner})

    @rest_call
    def delete_chatroom(self, room_id: str) -> requests.Response:
        return self.request("DELETE", room_path(room_id))

    @rest_call
    def joined_chatrooms(self, username: str, pagenum: int | None = None,
                         pagesize: int | None = None) -> requests.Response:
        params = {k: v for k, v in {"pagenum": pagenum, "pagesize": pagesize}.items() if v is not None}
        return self.request("GET", f"/users/{q(username)}/joined_chatrooms", params=params or None)

    # members, admins, super admins (docs/protocol/rest.md §6.2) ---------------------------------------------
    @rest_call
    def chatroom_members(self, room_id: str, pagenum: int | None = None,
                         pagesize: int | None = None) -> requests.Response:
        params = {k: v for k, v in {"pagenum": pagenum, "pagesize": pagesize}.items() if v is not None}
        return self.request("GET", f"{room_path(room_id)}/users", params=params or None)

    @rest_call
    def add_chatroom_member(self, room_id: str, username: str) -> requests.Response:
        return self.request("POST", f"{room_path(room_id)}/users/{q(username)}")

    @rest_call
    def add_chatroom_members(self, room_id: str, usernames: Iterable[str]) -> requests.Response:
        return self.request("POST", f"{room_path(room_id)}/users", json_body={"usernames": list(usernames)})

    @rest_call
    def remove_chatroom_members(self, room_id: str, usernames: str | Iterable[str]) -> requests.Response:
        """One name: `data` is one result; several: a list of results."""
        return self.request("DELETE", f"{room_path(room_id)}/users/{joined(usernames)}")

    @rest_call
    def chatroom_admins(self, room_id: str) -> requests.Response:
        return self.request("GET", f"{room_path(room_id)}/admin")

    @rest_call
    def add_chatroom_admin(self, room_id: str, username: str) -> requests.Response:
        return self.request("POST", f"{room_path(room_id)}/admin", json_body={"newadmin": username})

    @rest_call
    def remove_chatroom_admin(self, room_id: str, username: str) -> requests.Response:
        return self.request("DELETE", f"{room_path(room_id)}/admin/{q(username)}")

    @rest_call
    def chatroom_super_admins(self, pagenum: int | None = None, pagesize: int | None = None) -> requests.Response:
        params = {k: v for k, v in {"pagenum": pagenum, "pagesize": pagesize}.items() if v is not None}
        return self.request("GET", "/chatrooms/super_admin", params=params or None)

    @rest_call
    def add_chatroom_super_admin(self, username: str) -> requests.Response:
        return self.request("POST", "/chatrooms/super_admin", json_body={"superadmin": username})

    @rest_call
    def remove_chatroom_super_admin(self, username: str) -> requests.Response:
        return self.request("DELETE", f"/chatrooms/super_admin/{q(username)}")

    # announcement ---------------------------------------------------------------------------------
    @rest_call
    def chatroom_announcement(self, room_id: str) -> requests.Response:
        return self.request("GET", f"{room_path(room_id)}/announcement")

    @rest_call
    def set_chatroom_announcement(self, room_id: str, text: str) -> requests.Response:
        return self.request("POST", f"{room_path(room_id)}/announcement", json_body={"announcement": text})
