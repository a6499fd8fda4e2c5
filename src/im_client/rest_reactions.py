"""Reactions over REST (rest.md §7, msync.md §5.5); app token or the user's own token.

    admin.add_reaction(bob, sent.server_id, "👍")
    admin.reactions(bob, [sent.server_id])      # [{"msgId", "reactionList": [{reaction, count, state, userList}]}]
    admin.reaction_users(bob, sent.server_id, "👍")   # every user, in the order they reacted
"""
from __future__ import annotations

from typing import Any, Iterable
from urllib.parse import quote


class ReactionsApi:
    """Mixed into RestClient (uses `self.request`)."""

    def add_reaction(self, username: str, msg_id: int | str, reaction: str) -> dict:
        body = {"msgId": str(msg_id), "message": reaction}
        return self.request("POST", f"/reaction/user/{quote(username)}", json_body=body)["data"]

    def remove_reaction(self, username: str, msg_id: int | str, reaction: str) -> dict:
        params = {"msgId": str(msg_id), "message": reaction}
        return self.request("DELETE", f"/reaction/user/{quote(username)}", params=params)

    def reactions(self, username: str, msg_ids: Iterable[int | str], msg_type: str = "chat",
                  group_id: str | None = None) -> list[dict]:
        params: dict[str, Any] = {"msgIdList": ",".join(str(i) for i in msg_ids), "msgType": msg_type}
        if group_id is not None:
            params["groupId"] = group_id
        return self.request("GET", f"/reaction/user/{quote(username)}", params=params)["data"]

    def reaction_detail(self, username: str, msg_id: int | str, reaction: str, *, limit: int | None = None,
                        cursor: str | None = None) -> dict:
        """One page of the users of a reaction: `{reactionId, reaction, count, state, userList, cursor}`."""
        params: dict[str, Any] = {"msgId": str(msg_id), "message": reaction}
        if limit is not None:
            params["limit"] = limit
        if cursor is not None:
            params["cursor"] = cursor
        return self.request("GET", f"/reaction/user/{quote(username)}/detail", params=params)["data"]

    def reaction_users(self, username: str, msg_id: int | str, reaction: str, page: int = 50) -> list[str]:
        users: list[str] = []
        cursor = None
        while True:
            data = self.reaction_detail(username, msg_id, reaction, limit=page, cursor=cursor)
            users += data["userList"]
            cursor = data.get("cursor")
            if not cursor:
                return users
