"""Chatroom moderation, attributes and REST sends (docs/protocol/rest.md §4.3–§4.4, §6.2 blocks, §6.3, §3.1).

The one rule of rest_call.py: bare calls return the `requests.Response`, `must_` forms the
answer's `data`:

    admin.must_mute_chatroom_members(room_id, [bob.name], duration_ms=60_000)
    admin.must_set_chatroom_attributes(room_id, alice.name, {"topic": "news"}, forced=True)
    admin.must_send_to_chatrooms([room_id], "txt", {"msg": "hi"}, level="high")
"""
from __future__ import annotations

from typing import Any, Iterable

import requests

from .rest_call import rest_call
from .rest_chatrooms import joined, names, q, room_path


def _attr_path(room_id: str, username: str, forced: bool) -> str:
    return f"/metadata/chatroom/{q(room_id)}/user/{q(username)}" + ("/forced" if forced else "")


class ChatroomModerationApi:
    """Mixed into RestClient (uses `self.request`)."""

    # member mutes and mute-all -------------------------------------------------------------------
    @rest_call
    def chatroom_mutes(self, room_id: str) -> requests.Response:
        return self.request("GET", f"{room_path(room_id)}/mute")

    @rest_call
    def mute_chatroom_members(self, room_id: str, usernames: str | Iterable[str],
                              duration_ms: int) -> requests.Response:
        """`duration_ms` -1 = permanent, 0 = lift the mute."""
        return self.request("POST", f"{room_path(room_id)}/mute",
                        json_body={"usernames": names(usernames), "mute_duration": duration_ms})

    @rest_call
    def unmute_chatroom_members(self, room_id: str, usernames: str | Iterable[str]) -> requests.Response:
        return self.request("DELETE", f"{room_path(room_id)}/mute/{joined(usernames)}")

    @rest_call
    def mute_all_chatroom(self, room_id: str) -> requests.Response:
        return self.request("POST", f"{room_path(room_id)}/ban")

    @rest_call
    def unmute_all_chatroom(self, room_id: str) -> requests.Response:
        return self.request("DELETE", f"{room_path(room_id)}/ban")

    # block list and allow list -------------------------------------------------------------------
    @rest_call
    def chatroom_blocks(self, room_id: str) -> requests.Response:
        return self.request("GET", f"{room_path(room_id)}/blocks/users")

    @rest_call
    def block_chatroom_users(self, room_id: str, usernames: str | Iterable[str]) -> requests.Response:
        """One name (a string): the single-user path; several: the batch body."""
        if isinstance(usernames, str):
            return self.request("POST", f"{room_path(room_id)}/blocks/users/{q(usernames)}")
        return self.request("POST", f"{room_path(room_id)}/blocks/users", json_body={"usernames": list(usernames)})

    @rest_call
    def unblock_chatroom_users(self, room_id: str, usernames: str | Iterable[str]) -> requests.Response:
        return self.request("DELETE", f"{room_path(room_id)}/blocks/users/{joined(usernames)}")

    @rest_call
    def chatroom_allowlist(self, room_id: str) -> requests.Response:
        return self.request("GET", f"{room_path(room_id)}/white/users")

    @rest_call
    def chatroom_allows(self, room_id: str, username: str) -> requests.Response:
        """GET /chatrooms/{r}/white/users/{u} (the SDK's isInChatRoomAllowlist); `must_`: True | False."""
        return self.request("GET", f"{room_path(room_id)}/white/users/{q(username)}")

    @rest_call
    def chatroom_mute_of(self, room_id: str, username: str) -> requests.Response:
        """GET /sdk/chatrooms/{r}/mute/{u} (the SDK's isInChatRoomMutelist); `must_`: {userid, mute, expire}."""
        return self.request("GET", f"/sdk/chatrooms/{q(room_id)}/mute/{q(username)}", params={"version": "v3"})

    @rest_call
    def allow_chatroom_users(self, room_id: str, usernames: str | Iterable[str]) -> requests.Response:
        if isinstance(usernames, str):
            return self.request("POST", f"{room_path(room_id)}/white/users/{q(usernames)}")
        return self.request("POST", f"{room_path(room_id)}/white/users", json_body={"usernames": list(usernames)})

    @rest_call
    def disallow_chatroom_users(self, room_id: str, usernames: str | Iterable[str]) -> requests.Response:
        return self.request("DELETE", f"{room_path(room_id)}/white/users/{joined(usernames)}")

    # attributes (docs/protocol/rest.md §6.3) -------------------------------------------------------------------
    @rest_call
    def set_chatroom_attributes(self, room_id: str, username: str, values: dict[str, Any], *,
                                auto_delete: bool = True, forced: bool = False) -> requests.Response:
        body = {"metaData": values, "autoDelete": "DELETE" if auto_delete else "NO_DELETE"}
        return self.request("PUT", _attr_path(room_id, username, forced), json_body=body)

    @rest_call
    def get_chatroom_attributes(self, room_id: str, keys: Iterable[str] | None = None) -> requests.Response:
        body = {} if keys is None else {"keys": list(keys)}
        return self.request("POST", f"/metadata/chatroom/{q(room_id)}", json_body=body)

    @rest_call
    def delete_chatroom_attributes(self, room_id: str, username: str, keys: Iterable[str], *,
                                   forced: bool = False) -> requests.Response:
        return self.request("DELETE", _attr_path(room_id, username, forced), json_body={"keys": list(keys)})

    # messages (docs/protocol/rest.md §3.1) ---------------------------------------------------------------------
    @rest_call
    def send_to_chatrooms(self, rooms: str | Iterable[str], msg_type: str, body: dict, *,
                          sender: str | None = None, level: str | None = None,
                          ext: dict | None = None) -> requests.Response:
        """POST /messages/chatrooms; `data` is {room id: message id}. level: high | normal | low."""
        payload: dict[str, Any] = {"to": names(rooms), "type": msg_type, "body": body}
        optional = {"from": sender, "chatroom_msg_level": level, "ext": ext}
        payload.update({k: v for k, v in optional.items() if v is not None})
        return self.request("POST", "/messages/chatrooms", json_body=payload)

    @rest_call
    def broadcast_to_chatrooms(self, msg: dict, *, sender: str | None = None, level: str | None = None,
                               ext: dict | None = None) -> requests.Response:
        """POST /messages/chatrooms/broadcast with the legacy `msg` object, e.g. {"type": "txt", "msg": "hi"}."""
        payload: dict[str, Any] = {"msg": msg}
        optional = {"from": sender, "chatroom_msg_level": level, "ext": ext}
        payload.update({k: v for k, v in optional.items() if v is not None})
        return self.request("POST", "/messages/chatrooms/broadcast", json_body=payload)
