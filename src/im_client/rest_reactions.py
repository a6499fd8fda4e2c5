"""Reactions over REST (docs/protocol/rest.md §7, docs/protocol/msync.md §5.5); app token or the user's own token.

    admin.must_add_reaction(bob.name, sent.server_id, "👍")
    admin.must_reactions(bob.name, [sent.server_id])   # [{"msgId", "reactionList": [{reaction, count, state, userList}]}]
    admin.must_reaction_users(bob.name, sent.server_id, "👍")   # every user, in the order they reacted

Bare and `must_` forms by the one rule of rest_call.py.
"""
from __future__ import annotations

from typing import Any, Iterable
from urllib.parse import quote

import requests

from .rest_call import rest_call, whole


class ReactionsApi:
    """Mixed into RestClient (uses `self.request`, which returns the response)."""

    @rest_call
    def add_reaction(self, username: str, msg_id: int | str, reaction: str) -> requests.Response:
        body = {"msgId": str(msg_id), "message": reaction}
        return self.request("POST", f"/reaction/user/{quote(username)}", json_body=body)

    @rest_call(must=whole)
    def remove_reaction(self, username: str, msg_id: int | str, reaction: str) -> requests.Response:
        params = {"msgId": str(msg_id), "message": reaction}
        return self.request("DELETE", f"/reaction/user/{quote(username)}", params=params)

    @rest_call
    def reactions(self, username: str, msg_ids: Iterable[int | str], msg_type: str = "chat",
                  group_id: str | None = None) -> requests.Response:
        params: dict[str, Any] = {"msgIdList": ",".join(str(i) for i in msg_ids), "msgType": msg_type}
        if group_id is not None:
            params["groupId"] = group_id
        return self.request("GET", f"/reaction/user/{quote(username)}", params=params)

    @rest_call
    def reaction_detail(self, username: str, msg_id: int | str, reaction: str, *, limit: int | None = None,
                        cursor: str | None = None) -> requests.Response:
        """One page of the users of a reaction; `must_`: `{reactionId, reaction, count, state, userList, cursor}`."""
        params: dict[str, Any] = {"msgId": str(msg_id), "message": reaction}
        if limit is not None:
            params["limit"] = limit
        if cursor is not None:
            params["cursor"] = cursor
        return self.request("GET", f"/reaction/user/{quote(username)}/detail", params=params)

    def must_reaction_users(self, username: str, msg_id: int | str, reaction: str, page: int = 50) -> list[str]:
        """Every user of a reaction, page after page (RestError on a refused page)."""
        users: list[str] = []
        cursor = None
        while True:
            data = self.must_reaction_detail(username, msg_id, reaction, limit=page, cursor=cursor)
            users += data["userList"]
            cursor = data.get("cursor")
            if not cursor:
                return users
