"""User attributes ("user metadata") over REST, as the Web SDK's updateUserInfo / fetchUserInfoById.

    as_alice.must_set_user_attributes(alice.name, {"nickname": "Al"})  # form-urlencoded, like the SDK
    admin.must_user_attributes(alice.name)                              # {"nickname": "Al"}
    admin.must_user_attributes_of([alice.name, bob.name], ["nickname"]) # {name: {key: value}}

Bare and `must_` forms by the one rule of rest_call.py.
"""
from __future__ import annotations

from typing import Iterable, Mapping
from urllib.parse import quote, urlencode

import requests

from .rest_call import rest_call

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


class UserAttrsApi:
    """Mixed into RestClient (uses `self.request`, which returns the response)."""

    @rest_call
    def set_user_attributes(self, username: str, attrs: Mapping[str, str] | str) -> requests.Response:
        """PUT the keys given (the others stay); `attrs` as a mapping or an already encoded form body."""
        body = attrs if isinstance(attrs, str) else urlencode(dict(attrs))
        return self.request("PUT", f"/metadata/user/{quote(username)}", data=body.encode(), headers=FORM)

    @rest_call
    def user_attributes(self, username: str) -> requests.Response:
        return self.request("GET", f"/metadata/user/{quote(username)}")

    @rest_call
    def user_attributes_of(self, targets: Iterable[str], properties: Iterable[str] = ()) -> requests.Response:
        """The batch get; `must_`: {user: {key: value}} (unknown users left out)."""
        return self.request("POST", "/metadata/user/get",
                            json_body={"targets": list(targets), "properties": list(properties)})

    @rest_call
    def delete_user_attributes(self, username: str) -> requests.Response:
        return self.request("DELETE", f"/metadata/user/{quote(username)}")

    @rest_call
    def user_attributes_capacity(self) -> requests.Response:
        """App token; `must_`: bytes used by every user's attributes."""
        return self.request("GET", "/metadata/user/capacity")
