"""Global (app-level) user mute over REST (docs/protocol/rest.md §4.1); app token.

    admin.must_mute_user(bob.name, chat=60)        # seconds; -1 = permanent
    admin.must_mute_status(bob.name)["chat"]       # seconds left, 0 = not muted
    admin.must_unmute_user(bob.name)               # every scope back to 0

Bare and `must_` forms by the one rule of rest_call.py.
"""
from __future__ import annotations

from typing import Any
from urllib.parse import quote

import requests

from .rest_call import rest_call

SCOPES = ("chat", "groupchat", "chatroom")
MAX_PAGE_SIZE = 50


class MutesApi:
    """Mixed into RestClient (uses `self.request`, which returns the response)."""

    @rest_call
    def mute_user(self, username: str, *, chat: int | None = None, groupchat: int | None = None,
                  chatroom: int | None = None) -> requests.Response:
        """Set the mute of the scopes given (seconds, -1 = permanent, 0 = lift); others stay as they are."""
        body: dict[str, Any] = {"username": username}
        for scope, seconds in (("chat", chat), ("groupchat", groupchat), ("chatroom", chatroom)):
            if seconds is not None:
                body[scope] = seconds
        return self.request("POST", "/mutes", json_body=body)

    @rest_call
    def unmute_user(self, username: str, scopes: tuple[str, ...] = SCOPES) -> requests.Response:
        return self.request("POST", "/mutes", json_body={"username": username, **{s: 0 for s in scopes}})

    @rest_call
    def mute_status(self, username: str) -> requests.Response:
        """`must_`: `{"userid", "chat", "groupchat", "chatroom", "unixtime"}`: seconds left per scope."""
        return self.request("GET", f"/mutes/{quote(username)}")

    @rest_call(must=lambda body: body["data"]["data"])
    def mutes(self, page_num: int = 1, page_size: int = 10) -> requests.Response:
        """One page of active mutes; `must_`: one row per (user, scope): `{"username", "<scope>": seconds}`."""
        params = {"pageNum": page_num, "pageSize": page_size}
        return self.request("GET", "/mutes", params=params)

    def must_all_mutes(self) -> list[dict]:
        """Every active mute, page after page (RestError on a refused page)."""
        rows, page = [], 1
        while True:
            batch = self.must_mutes(page, MAX_PAGE_SIZE)
            rows += batch
            if len(batch) < MAX_PAGE_SIZE:
                return rows
            page += 1
