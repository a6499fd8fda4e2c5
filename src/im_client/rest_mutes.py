"""Global (app-level) user mute over REST (rest.md §4.1); app token.

    admin.mute_user(bob, chat=60)                 # seconds; -1 = permanent
    admin.mute_status(bob)["chat"]                # seconds left, 0 = not muted
    admin.unmute_user(bob)                        # every scope back to 0
"""
from __future__ import annotations

from typing import Any
from urllib.parse import quote

SCOPES = ("chat", "groupchat", "chatroom")
MAX_PAGE_SIZE = 50


class MutesApi:
    """Mixed into RestClient (uses `self.request`)."""

    def mute_user(self, username: str, *, chat: int | None = None, groupchat: int | None = None,
                  chatroom: int | None = None) -> dict:
        """Set the mute of the scopes given (seconds, -1 = permanent, 0 = lift); others stay as they are."""
        body: dict[str, Any] = {"username": username}
        for scope, seconds in (("chat", chat), ("groupchat", groupchat), ("chatroom", chatroom)):
            if seconds is not None:
                body[scope] = seconds
        return self.request("POST", "/mutes", json_body=body)["data"]

    def unmute_user(self, username: str, scopes: tuple[str, ...] = SCOPES) -> dict:
        return self.request("POST", "/mutes", json_body={"username": username, **{s: 0 for s in scopes}})["data"]

    def mute_status(self, username: str) -> dict:
        """`{"userid", "chat", "groupchat", "chatroom", "unixtime"}`: seconds left per scope."""
        return self.request("GET", f"/mutes/{quote(username)}")["data"]

    def mutes(self, page_num: int = 1, page_size: int = 10) -> list[dict]:
        """One page of active mutes, one row per (user, scope): `{"username", "<scope>": seconds}`."""
        params = {"pageNum": page_num, "pageSize": page_size}
        return self.request("GET", "/mutes", params=params)["data"]["data"]

    def all_mutes(self) -> list[dict]:
        rows, page = [], 1
        while True:
            batch = self.mutes(page, MAX_PAGE_SIZE)
            rows += batch
            if len(batch) < MAX_PAGE_SIZE:
                return rows
            page += 1
