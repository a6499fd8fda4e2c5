"""Presence over REST, as the Web SDK's publishPresence / subscribePresence / unsubscribePresence /
getSubscribedPresenceList / getPresenceStatus send it; the app token or the user's own token.

    as_bob.must_subscribe_presence(bob.name, [alice.name], expiry=3600)   # [presence of alice]
    as_alice.must_publish_presence(alice.name, alice_client.resource, 1, "busy")
    bob_client.wait_for(match.presence(alice.name))                       # NOTIFY presence

A presence: {uid, last_time, expiry, ext, status: {resource: "n"}}. Bare and `must_` forms by the
one rule of rest_call.py; `must_` returns the answer's `result`.
"""
from __future__ import annotations

from typing import Any, Iterable
from urllib.parse import quote

import requests

from .rest_call import rest_call


def result(body: Any) -> Any:
    return body["result"]


class PresenceApi:
    """Mixed into RestClient (uses `self.request`, which returns the response)."""

    @rest_call(must=result)
    def publish_presence(self, username: str, resource: str, status: int | str = 1, ext: str = "") -> requests.Response:
        return self.request("POST", f"/users/{quote(username)}/presence/{quote(resource)}/{status}",
                            json_body={"ext": ext})

    @rest_call(must=result)
    def subscribe_presence(self, username: str, targets: Iterable[str], expiry: int | str = 3600) -> requests.Response:
        return self.request("POST", f"/users/{quote(username)}/presence/{expiry}",
                            json_body={"usernames": list(targets)})

    @rest_call(must=result)
    def presence_status(self, username: str, targets: Iterable[str]) -> requests.Response:
        return self.request("POST", f"/users/{quote(username)}/presence", json_body={"usernames": list(targets)})

    @rest_call(must=result)
    def unsubscribe_presence(self, username: str, targets: Iterable[str]) -> requests.Response:
        return self.request("DELETE", f"/users/{quote(username)}/presence", json_body=list(targets))

    @rest_call(must=result)
    def presence_sublist(self, username: str, page_num: int = 1, page_size: int = 20) -> requests.Response:
        """`must_`: {"totalnum", "sublist": [{"uid", "expiry"}]}."""
        return self.request("GET", f"/users/{quote(username)}/presence/sublist",
                            params={"pageNum": page_num, "pageSize": page_size})
