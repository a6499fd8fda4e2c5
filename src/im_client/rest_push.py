"""Do-not-disturb and push language over REST (docs/protocol/rest.md §12.4), as the Web SDK calls them.

    as_bob.must_set_silent_mode(bob.name, type="NONE")                  # user-wide (target = bob)
    as_bob.must_set_silent_mode(bob.name, alice.name, ignoreDuration=60_000)
    as_bob.must_silent_modes(bob.name, users=[alice.name])              # {user: {alice: {...}}, group: {}}

A setting is `{type?, ignoreDuration? (epoch ms it ends), ignoreInterval?}`.
"""
from __future__ import annotations

from typing import Any, Iterable
from urllib.parse import quote

import requests

from .rest_call import rest_call, whole


def _target(username: str, peer: str | None, group: str | None) -> str:
    if group is not None:
        return f"/users/{quote(username)}/notification/chatgroup/{quote(group)}"
    return f"/users/{quote(username)}/notification/user/{quote(peer or username)}"


class PushApi:
    """Mixed into RestClient (uses `self.request`, which returns the response)."""

    @rest_call
    def set_silent_mode(self, username: str, peer: str | None = None, *, group: str | None = None,
                        resource: str | None = None, **fields: Any) -> requests.Response:
        """PUT one of type / ignoreDuration / ignoreInterval (no peer or group: user-wide)."""
        return self.request("PUT", _target(username, peer, group), json_body=fields,
                            params={"resource": resource} if resource else None)

    @rest_call
    def silent_mode(self, username: str, peer: str | None = None, *, group: str | None = None) -> requests.Response:
        return self.request("GET", _target(username, peer, group))

    @rest_call
    def silent_modes(self, username: str, users: Iterable[str] = (), groups: Iterable[str] = ()) -> requests.Response:
        return self.request("GET", f"/users/{quote(username)}/notification",
                            params={"user": ",".join(users), "group": ",".join(groups)})

    @rest_call(must=whole)
    def remind_types(self, username: str, limit: int = 10, cursor: str = "") -> requests.Response:
        """`must_`: the whole answer: `data` [{user|group, value}] and `cursor`."""
        params = {"limit": limit, **({"cursor": cursor} if cursor else {})}
        return self.request("GET", f"/users/{quote(username)}/notification/mute/type", params=params)

    @rest_call
    def set_push_language(self, username: str, language: str) -> requests.Response:
        return self.request("PUT", f"/users/{quote(username)}/notification/language",
                            json_body={"translationLanguage": language})

    @rest_call
    def push_language(self, username: str) -> requests.Response:
        return self.request("GET", f"/users/{quote(username)}/notification/language")
