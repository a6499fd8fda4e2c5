"""Sending, recalling and editing as the app admin over REST (docs/protocol/rest.md §3.1 incl. the directed sends, §3.4, §3.5); app token.

    ids = admin.must_send_text_to_users([bob.name], "hi", sender=alice.name)   # {bob's name: "<msg id>"}
    admin.must_send_command_to_users([bob.name], "refresh", ext={"k": 1})
    admin.must_recall_message(msg_id, to=bob.name, sender=alice.name, ext="why")
    admin.must_rewrite_message(msg_id, {"type": "txt", "msg": "fixed"}, user=alice.name, new_ext={"k": 2})
    admin.must_send_directed_text("chatrooms", room.id, [bob.name], "psst", sender=alice.name)  # {room id: id}

Bare and `must_` forms by the one rule of rest_call.py.
"""
from __future__ import annotations

from typing import Any, Iterable

import requests

from .rest_call import rest_call


def _names(to: str | Iterable[str]) -> list[str]:
    return [to] if isinstance(to, str) else list(to)


class MessagesApi:
    """Mixed into RestClient (uses `self.request`, which returns the response)."""

    @rest_call
    def send_to_users(self, to: str | Iterable[str], msg_type: str, body: dict, *, sender: str | None = None,
                      ext: dict | None = None, sync_device: bool | None = None,
                      routetype: str | None = None) -> requests.Response:
        """POST /messages/users; `must_`: {recipient: message id}."""
        payload: dict[str, Any] = {"to": _names(to), "type": msg_type, "body": body}
        optional = {"from": sender, "ext": ext, "sync_device": sync_device, "routetype": routetype}
        payload.update({k: v for k, v in optional.items() if v is not None})
        return self.request("POST", "/messages/users", json_body=payload)

    @rest_call
    def send_text_to_users(self, to: str | Iterable[str], text: str, **kw: Any) -> requests.Response:
        return self.send_to_users(to, "txt", {"msg": text}, **kw)

    @rest_call
    def send_command_to_users(self, to: str | Iterable[str], action: str, **kw: Any) -> requests.Response:
        return self.send_to_users(to, "cmd", {"action": action}, **kw)

    @rest_call
    def send_custom_to_users(self, to: str | Iterable[str], event: str | None = None,
                             exts: dict[str, str] | None = None, **kw: Any) -> requests.Response:
        body: dict[str, Any] = {}
        if event is not None:
            body["customEvent"] = event
        if exts is not None:
            body["customExts"] = exts
        return self.send_to_users(to, "custom", body, **kw)

    @rest_call
    def send_directed(self, target_kind: str, target: str, users: Iterable[str], msg_type: str, body: dict, *,
                      sender: str | None = None, ext: dict | None = None) -> requests.Response:
        """POST /messages/chatgroups/users or /messages/chatrooms/users (target_kind "chatgroups" |
        "chatrooms"): a message to one group or room that only `users` receive; `must_`: {target: msg id}."""
        payload: dict[str, Any] = {"to": [target], "users": list(users), "type": msg_type, "body": body}
        optional = {"from": sender, "ext": ext}
        payload.update({k: v for k, v in optional.items() if v is not None})
        return self.request("POST", f"/messages/{target_kind}/users", json_body=payload)

    @rest_call
    def send_directed_text(self, target_kind: str, target: str, users: Iterable[str], text: str,
                           **kw: Any) -> requests.Response:
        return self.send_directed(target_kind, target, users, "txt", {"msg": text}, **kw)

    @rest_call
    def batch_recall(self, msgs: list[dict], *, path: str = "/messages/batch_recall") -> requests.Response:
        """POST /messages/batch_recall (or the older path="/messages/recall"): `msgs` are single
        recall bodies {msg_id, to, chat_type, force, from?, sync_device?}; `must_`: one item each."""
        return self.request("POST", path, json_body={"msgs": msgs})

    @rest_call
    def rewrite_message(self, msg_id: int | str, new_msg: dict, *, user: str | None = None,
                        new_ext: dict | None = None, combine_ext: bool | None = None) -> requests.Response:
        """PUT /messages/rewrite/{msg_id} (docs/protocol/rest.md §3.5), new_msg e.g. {"type": "txt", "msg": "fixed"};
        `must_`: "success"."""
        payload: dict[str, Any] = {"new_msg": new_msg}
        optional = {"user": user, "new_ext": new_ext, "is_combine_ext": combine_ext}
        payload.update({k: v for k, v in optional.items() if v is not None})
        return self.request("PUT", f"/messages/rewrite/{msg_id}", json_body=payload)

    @rest_call
    def recall_message(self, msg_id: int | str, to: str, chat_type: str = "chat", *, sender: str | None = None,
                       force: bool | None = None, sync_device: bool | None = None,
                       ext: str | None = None) -> requests.Response:
        """POST /messages/msg_recall; `must_`: `{"recalled": "yes", "chattype", "from", "to", "msg_id"}`."""
        payload: dict[str, Any] = {"msg_id": str(msg_id), "to": to, "chat_type": chat_type}
        optional = {"from": sender, "force": force, "sync_device": sync_device, "recallMessageExtensionInfo": ext}
        payload.update({k: v for k, v in optional.items() if v is not None})
        return self.request("POST", "/messages/msg_recall", json_body=payload)
