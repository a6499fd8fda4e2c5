"""Stored messages over REST: roaming history (docs/protocol/rest.md §3.8) and one-way deletes (docs/protocol/rest.md §3.9).

`must_message_roaming()` is one page as the server sent it; `must_history()` walks every page and
decodes the base64 Meta frames into `Message`s, oldest first. Bare and `must_` forms by the one
rule of rest_call.py.
"""
from __future__ import annotations

import base64
from typing import Any, Iterable
from urllib.parse import quote

import requests

from .messages import Message, decode_meta
from .rest_call import rest_call, whole
from im_wire import pb
from im_wire.jid import CONFERENCE_DOMAIN, USER_DOMAIN

PAGE = 50


def conversation_queue(peer: str | None = None, *, group: str | None = None, room: str | None = None) -> str:
    """The `queue` of a roaming request: `peer@easemob.com` or `id@conference.easemob.com`."""
    if sum(x is not None for x in (peer, group, room)) != 1:
        raise ValueError("name exactly one of peer, group, room")
    if peer is not None:
        return f"{peer}@{USER_DOMAIN}"
    return f"{group if group is not None else room}@{CONFERENCE_DOMAIN}"


def decode_roaming_page(data: dict) -> list[Message]:
    queue = "roaming"
    return [decode_meta(pb.Meta.FromString(base64.b64decode(item["msg"])), queue) for item in data.get("msgs", [])]


class StorageApi:
    """Mixed into RestClient (uses `self.request`, which returns the response)."""

    # ------------------------------------------------------------------ roaming (docs/protocol/rest.md §3.8)
    @rest_call
    def message_roaming(self, username: str, queue: str, *, start: int | str = -1, pull_number: int = 20,
                        is_positive: bool = False, msg_types: Iterable[str] = (), start_time: int | None = None,
                        end_time: int | None = None, sender: str | None = None) -> requests.Response:
        """One page; `must_`: `{"msgs": [{"msg": base64 Meta}], "next_key": str, "is_last": bool}`."""
        body: dict[str, Any] = {"queue": queue, "start": start, "end": -1, "pull_number": pull_number,
                                "is_positive": is_positive, "msgType": ",".join(msg_types),
                                "startTime": start_time, "endTime": end_time}
        if sender is not None:
            body["userId"] = sender
        return self.request("POST", f"/users/{quote(username)}/messageroaming", json_body=body)

    def must_history(self, username: str, queue: str, *, page: int = PAGE, **kw: Any) -> list[Message]:
        """Every stored message of one conversation of `username`, oldest first (RestError on a refused page)."""
        found: list[Message] = []
        start: int | str = -1
        while True:
            data = self.must_message_roaming(username, queue, start=start, pull_number=page, is_positive=True, **kw)
            found += decode_roaming_page(data)
            if data.get("is_last", True) or not data.get("next_key"):
                return found
            start = data["next_key"]

    # ------------------------------------------------------------------ one-way deletes (docs/protocol/rest.md §3.9)
    @rest_call(must=whole)
    def delete_roaming_messages(self, username: str, msg_ids: Iterable[int], *, peer: str | None = None,
                                group: str | None = None, notify: bool = True) -> requests.Response:
        kind, key, value = ("chat", "userId", peer) if peer is not None else ("group", "groupId", group)
        params = {key: value, "msgIdList": ",".join(str(i) for i in msg_ids), "isNotify": str(notify).lower()}
        return self.request("DELETE", f"/rest/message/roaming/{kind}/user/{quote(username)}", params=params)

    @rest_call(must=whole)
    def clear_roaming_before(self, username: str, del_time: int, *, peer: str | None = None,
                             group: str | None = None, notify: bool = True) -> requests.Response:
        kind, key, value = ("chat", "userId", peer) if peer is not None else ("group", "groupId", group)
        params = {key: value, "delTime": str(del_time), "isNotify": str(notify).lower()}
        return self.request("DELETE", f"/rest/message/roaming/{kind}/user/{quote(username)}/time", params=params)

    @rest_call(must=whole)
    def clear_roaming(self, username: str) -> requests.Response:
        return self.request("POST", f"/rest/message/roaming/user/{quote(username)}/delete/all")

    @rest_call(must=whole)
    def delete_conversation(self, username: str, channel: str, chat_type: str = "chat",
                            delete_roam: bool = True) -> requests.Response:
        body = {"channel": channel, "type": chat_type, "delete_roam": delete_roam}
        return self.request("DELETE", f"/users/{quote(username)}/user_channel", json_body=body)
