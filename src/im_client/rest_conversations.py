"""The server-side conversation list and pinned messages over REST, as the Web SDK calls them
(docs/protocol/rest.md §12): the user's own token (or the app token).

    as_bob = admin.with_token(bob.user.token())
    page = as_bob.must_conversations(bob.name)            # {cursor, channel_infos: [...]}
    as_bob.must_pin_conversation(bob.name, alice.name)    # {is_top, update_top_status_time}
    as_bob.must_mark_conversations(bob.name, "mark_1", [alice.name])
    as_bob.must_pin_message(bob.name, alice.name, sent.server_id)

A conversation is `{session_to, session_type, is_top, update_top_status_time, unread_num, meta, marks}`;
`meta` is the last message `{id, from, to, timestamp, payload}` with `payload` a JSON text ({} when none).
`resource` names the acting device: its own multi-device notice is left out.
"""
from __future__ import annotations

from typing import Iterable
from urllib.parse import quote

import requests

from .rest_call import rest_call


def _res(resource: str | None) -> dict:
    return {"resource": resource} if resource else {}


class ConversationsApi:
    """Mixed into RestClient (uses `self.request`, which returns the response)."""

    @rest_call
    def conversations(self, username: str, *, limit: int | None = None, cursor: str = "",
                      pinned: bool = False) -> requests.Response:
        """getServerConversations (`pinned`: getServerPinnedConversations)."""
        params = {"cursor": cursor, "need_mark": "true", **({"limit": limit} if limit else {})}
        if pinned:
            params["is_top"] = "true"
        return self.request("GET", f"/sdk/user/{quote(username)}/user_channels/list", params=params)

    def must_all_conversations(self, username: str, page_size: int = 20) -> list[dict]:
        """Every conversation, walking the cursor."""
        found, cursor = [], ""
        while True:
            page = self.must_conversations(username, limit=page_size, cursor=cursor)
            found += page["channel_infos"]
            cursor = page["cursor"]
            if not cursor:
                return found

    def must_conversation(self, username: str, peer: str) -> dict | None:
        """One conversation of the list, or None."""
        return next((c for c in self.must_all_conversations(username) if c["session_to"] == peer), None)

    @rest_call
    def conversations_by_mark(self, username: str, mark: str, *, limit: int | None = None,
                              cursor: str = "") -> requests.Response:
        params = {"mark": mark, "cursor": cursor, "need_mark": "true", **({"limit": limit} if limit else {})}
        return self.request("GET", f"/sdk/user/{quote(username)}/user_channels/mark/search", params=params)

    @rest_call
    def mark_conversations(self, username: str, mark: str, peers: Iterable[str], chat_type: str = "chat", *,
                           resource: str | None = None, remove: bool = False) -> requests.Response:
        body = {"mark": mark, "targets": [{"to": p, "type": chat_type} for p in peers]}
        return self.request("DELETE" if remove else "POST", f"/sdk/user/{quote(username)}/user_channels/mark",
                            params=_res(resource), json_body=body)

    @rest_call
    def pin_conversation(self, username: str, peer: str, chat_type: str = "chat", *,
                         resource: str | None = None) -> requests.Response:
        return self.request("POST", f"/sdk/user/{quote(username)}/user_channel/top", params=_res(resource),
                            json_body={"type": chat_type, "to": peer})

    @rest_call
    def unpin_conversation(self, username: str, peer: str, chat_type: str = "chat", *,
                           resource: str | None = None) -> requests.Response:
        return self.request("DELETE", f"/sdk/user/{quote(username)}/user_channel/top",
                            params={"type": chat_type, "to": peer, **_res(resource)})

    @rest_call
    def remove_conversation(self, username: str, peer: str, chat_type: str = "chat", *, delete_roam: bool = False,
                            resource: str | None = None) -> requests.Response:
        """deleteConversation's path (`/user/{u}/user_channel`)."""
        return self.request("DELETE", f"/user/{quote(username)}/user_channel", params=_res(resource),
                            json_body={"channel": peer, "type": chat_type, "delete_roam": delete_roam})

    # ------------------------------------------------------------------ pinned messages
    @rest_call
    def pin_message(self, username: str, peer: str, msg_id: int | str, chat_type: str = "chat", *,
                    resource: str | None = None, unpin: bool = False) -> requests.Response:
        return self.request("DELETE" if unpin else "POST", f"/sdk/user/{quote(username)}/user_channel/pin",
                            params=_res(resource), json_body={"to": peer, "type": chat_type, "pin_msg_id": str(msg_id)})

    @rest_call
    def pinned_messages(self, username: str, peer: str, chat_type: str = "chat", *, limit: int | None = None,
                        cursor: str = "") -> requests.Response:
        """`must_`: {msg_infos: [{message, pin_opt_at, pin_operator}], cursor}."""
        params = {"to": peer, "type": chat_type, "cursor": cursor, **({"limit": limit} if limit else {})}
        return self.request("GET", f"/sdk/user/{quote(username)}/user_channel/pin", params=params)
