"""Chatroom moderation, attributes and REST sends (rest.md §4.3–§4.4, §6.2 blocks, §6.3, §3.1).

Same shape as rest_chatrooms.py: bare calls return the `requests.Response`, `must_` forms the
answer's `data`:

    admin.must_mute_chatroom_members(room_id, [bob.username], duration_ms=60_000)
    admin.must_set_chatroom_attributes(room_id, alice.username, {"topic": "news"}, forced=True)
    admin.must_send_to_chatrooms([room_id], "txt", {"msg": "hi"}, level="high")
"""
from __future__ import annotations

from typing import Any, Iterable

import requests

from .rest_chatrooms import joined, names, q, room_must, room_path


def _attr_path(room_id: str, username: str, forced: bool) -> str:
    return f"/metadata/chatroom/{q(room_id)}/user/{q(username)}" + ("/forced" if forced else "")


class ChatroomModerationApi:
    """Mixed into RestClient (uses `self.raw`)."""

    # member mutes and mute-all -------------------------------------------------------------------
    def chatroom_mutes(self, room_id: str) -> requests.Response:
        return self.raw("GET", f"{room_path(room_id)}/mute")

    def mute_chatroom_members(self, room_id: str, usernames: str | Iterable[str],
                              duration_ms: int) -> requests.Response:
        """`duration_ms` -1 = permanent, 0 = lift the mute."""
        return self.raw("POST", f"{room_path(room_id)}/mute",
                        json_body={"usernames": names(usernames), "mute_duration": duration_ms})

    def unmute_chatroom_members(self, room_id: str, usernames: str | Iterable[str]) -> requests.Response:
        return self.raw("DELETE", f"{room_path(room_id)}/mute/{joined(usernames)}")

    def mute_all_chatroom(self, room_id: str) -> requests.Response:
        return self.raw("POST", f"{room_path(room_id)}/ban")

    def unmute_all_chatroom(self, room_id: str) -> requests.Response:
        return self.raw("DELETE", f"{room_path(room_id)}/ban")

    # block list and allow list -------------------------------------------------------------------
    def chatroom_blocks(self, room_id: str) -> requests.Response:
        return self.raw("GET", f"{room_path(room_id)}/blocks/users")

    def block_chatroom_users(self, room_id: str, usernames: str | Iterable[str]) -> requests.Response:
        """One name (a string): the single-user path; several: the batch body."""
        if isinstance(usernames, str):
            return self.raw("POST", f"{room_path(room_id)}/blocks/users/{q(usernames)}")
        return self.raw("POST", f"{room_path(room_id)}/blocks/users", json_body={"usernames": list(usernames)})

    def unblock_chatroom_users(self, room_id: str, usernames: str | Iterable[str]) -> requests.Response:
        return self.raw("DELETE", f"{room_path(room_id)}/blocks/users/{joined(usernames)}")

    def chatroom_allowlist(self, room_id: str) -> requests.Response:
        return self.raw("GET", f"{room_path(room_id)}/white/users")

    def allow_chatroom_users(self, room_id: str, usernames: str | Iterable[str]) -> requests.Response:
        if isinstance(usernames, str):
            return self.raw("POST", f"{room_path(room_id)}/white/users/{q(usernames)}")
        return self.raw("POST", f"{room_path(room_id)}/white/users", json_body={"usernames": list(usernames)})

    def disallow_chatroom_users(self, room_id: str, usernames: str | Iterable[str]) -> requests.Response:
        return self.raw("DELETE", f"{room_path(room_id)}/white/users/{joined(usernames)}")

    # attributes (rest.md §6.3) -------------------------------------------------------------------
    def set_chatroom_attributes(self, room_id: str, username: str, values: dict[str, Any], *,
                                auto_delete: bool = True, forced: bool = False) -> requests.Response:
        body = {"metaData": values, "autoDelete": "DELETE" if auto_delete else "NO_DELETE"}
        return self.raw("PUT", _attr_path(room_id, username, forced), json_body=body)

    def get_chatroom_attributes(self, room_id: str, keys: Iterable[str] | None = None) -> requests.Response:
        body = {} if keys is None else {"keys": list(keys)}
        return self.raw("POST", f"/metadata/chatroom/{q(room_id)}", json_body=body)

    def delete_chatroom_attributes(self, room_id: str, username: str, keys: Iterable[str], *,
                                   forced: bool = False) -> requests.Response:
        return self.raw("DELETE", _attr_path(room_id, username, forced), json_body={"keys": list(keys)})

    # messages (rest.md §3.1) ---------------------------------------------------------------------
    def send_to_chatrooms(self, rooms: str | Iterable[str], msg_type: str, body: dict, *,
                          sender: str | None = None, level: str | None = None,
                          ext: dict | None = None) -> requests.Response:
        """POST /messages/chatrooms; `data` is {room id: message id}. level: high | normal | low."""
        payload: dict[str, Any] = {"to": names(rooms), "type": msg_type, "body": body}
        optional = {"from": sender, "chatroom_msg_level": level, "ext": ext}
        payload.update({k: v for k, v in optional.items() if v is not None})
        return self.raw("POST", "/messages/chatrooms", json_body=payload)

    def broadcast_to_chatrooms(self, msg: dict, *, sender: str | None = None, level: str | None = None,
                               ext: dict | None = None) -> requests.Response:
        """POST /messages/chatrooms/broadcast with the legacy `msg` object, e.g. {"type": "txt", "msg": "hi"}."""
        payload: dict[str, Any] = {"msg": msg}
        optional = {"from": sender, "chatroom_msg_level": level, "ext": ext}
        payload.update({k: v for k, v in optional.items() if v is not None})
        return self.raw("POST", "/messages/chatrooms/broadcast", json_body=payload)

    must_chatroom_mutes = room_must(chatroom_mutes)
    must_mute_chatroom_members = room_must(mute_chatroom_members)
    must_unmute_chatroom_members = room_must(unmute_chatroom_members)
    must_mute_all_chatroom = room_must(mute_all_chatroom)
    must_unmute_all_chatroom = room_must(unmute_all_chatroom)
    must_chatroom_blocks = room_must(chatroom_blocks)
    must_block_chatroom_users = room_must(block_chatroom_users)
    must_unblock_chatroom_users = room_must(unblock_chatroom_users)
    must_chatroom_allowlist = room_must(chatroom_allowlist)
    must_allow_chatroom_users = room_must(allow_chatroom_users)
    must_disallow_chatroom_users = room_must(disallow_chatroom_users)
    must_set_chatroom_attributes = room_must(set_chatroom_attributes)
    must_get_chatroom_attributes = room_must(get_chatroom_attributes)
    must_delete_chatroom_attributes = room_must(delete_chatroom_attributes)
    must_send_to_chatrooms = room_must(send_to_chatrooms)
    must_broadcast_to_chatrooms = room_must(broadcast_to_chatrooms)
