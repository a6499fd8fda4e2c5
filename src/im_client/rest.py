"""REST client for the Easemob API (rest.md): tokens and users; the feature areas are mixed in.

One rule for every call (rest_call.py): `x()` returns the `requests.Response` untouched (negative
tests), `must_x()` returns the data and raises RestError (with the Easemob `error` /
`error_description`) otherwise:

    token = rest.must_app_token()                         # a Token
    resp = rest.user_token(name, "wrong")                 # 400 invalid_grant
    body = admin.must_request("GET", "/users/bob")        # any path: the whole body of a 200
"""
from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import requests

from .rest_call import first_entity, only_value, rest_call, whole
from .rest_chatroom_moderation import ChatroomModerationApi
from .rest_chatrooms import ChatroomsApi
from .rest_contacts import ContactsApi
from .rest_conversations import ConversationsApi
from .rest_files import FilesApi
from .rest_group_moderation import GroupModerationApi
from .rest_group_state import GroupStateApi
from .rest_groups import GroupsApi
from .rest_messages import MessagesApi
from .rest_mutes import MutesApi
from .rest_presence import PresenceApi
from .rest_push import PushApi
from .rest_reactions import ReactionsApi
from .rest_storage import StorageApi
from .rest_threads import ThreadsApi
from .rest_user_attrs import UserAttrsApi
from .target import Target
from .wirelog import WireLog

DEFAULT_TIMEOUT = 15.0


@dataclass(frozen=True)
class Token:
    access_token: str
    expires_in: int
    obtained_at: float
    body: dict

    @property
    def expires_at(self) -> float | None:
        return None if not self.expires_in else self.obtained_at + self.expires_in


def token_of(body: dict) -> Token:
    """The `must_` form of a token grant; `obtained_at` is when the answer arrived."""
    return Token(body["access_token"], int(body.get("expires_in") or 0), time.time(), body)


def http_session(rest_url: str) -> requests.Session:
    """A requests Session that reads the environment's proxy and CA settings once, for the target's
    URL: with `trust_env` requests looks every proxy variable up again on each call (about 5 % of a
    feature run's CPU). HTTP(S)_PROXY / NO_PROXY and REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE still apply."""
    session = requests.Session()
    proxies = requests.utils.get_environ_proxies(rest_url)
    session.trust_env = False
    session.proxies.update(proxies)
    bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
    if bundle:
        session.verify = bundle
    return session


class RestClient(StorageApi, MessagesApi, MutesApi, ReactionsApi, GroupsApi, GroupModerationApi, GroupStateApi,
                 ThreadsApi, ChatroomsApi, ChatroomModerationApi, ContactsApi,
                 UserAttrsApi, PresenceApi, FilesApi, ConversationsApi, PushApi):
    def __init__(self, target: Target, token: str | None = None, *, timeout: float = DEFAULT_TIMEOUT,
                 http: requests.Session | None = None, wire_log: WireLog | None = None):
        self.target = target
        self.token = token
        self.timeout = timeout
        self.http = http or http_session(target.rest_url)
        self.wire_log = wire_log
        self.base = f"{target.rest_url}/{target.org}/{target.app}"

    def with_token(self, token: str | None) -> "RestClient":
        return RestClient(self.target, token, timeout=self.timeout, http=self.http, wire_log=self.wire_log)

    # ------------------------------------------------------------------ plumbing
    def url(self, path: str) -> str:
        return self.base + path

    @rest_call(must=whole)
    def request(self, method: str, path: str, *, json_body: Any = None, params: dict | None = None,
                token: str | None | bool = True, headers: dict | None = None, data: Any = None,
                files: Any = None) -> requests.Response:
        """Send a request and return the response as is (`must_request`: the whole body of a 200).
        token=True uses this client's token, None/False sends no Authorization header, a string
        sends that token. `files` (requests' multipart form) sends a multipart body."""
        hdrs = {"Accept": "application/json"}
        if files is None and (json_body is not None or data is None):
            hdrs["Content-Type"] = "application/json"
        bearer = self.token if token is True else (token or None)
        if bearer:
            hdrs["Authorization"] = f"Bearer {bearer}"
        hdrs.update(headers or {})
        body = json.dumps(json_body) if json_body is not None else data
        url = self.url(path)
        started = time.monotonic()
        resp = self.http.request(method, url, data=body, params=params, headers=hdrs, timeout=self.timeout,
                                 files=files)
        if self.wire_log is not None:  # described when the log is read (a failed test's report)
            ms = (time.monotonic() - started) * 1000
            self.wire_log.record("rest", ">", lambda: f"{method} {path} {params or ''} {body or ''}"[:1000])
            status, head, encoding = resp.status_code, resp.content[:4000], resp.encoding or "utf-8"
            self.wire_log.record("rest", "<", lambda: f"{status} ({ms:.0f} ms) "
                                                      f"{head.decode(encoding, 'replace')[:1000]}")
        return resp

    # ------------------------------------------------------------------ tokens (docs/protocol/rest.md §1)
    @rest_call(must=token_of)
    def app_token(self, client_id: str | None = None, client_secret: str | None = None,
                  ttl: int | None = None) -> requests.Response:
        body = {"grant_type": "client_credentials", "client_id": client_id or self.target.client_id,
                "client_secret": client_secret or self.target.client_secret}
        if ttl is not None:
            body["ttl"] = ttl
        return self.request("POST", "/token", json_body=body, token=None)

    @rest_call(must=token_of)
    def user_token(self, username: str, password: str, ttl: int | None = None) -> requests.Response:
        body: dict[str, Any] = {"grant_type": "password", "username": username, "password": password,
                                "timestamp": int(time.time() * 1000)}
        if ttl is not None:
            body["ttl"] = ttl
        return self.request("POST", "/token", json_body=body, token=None)

    @rest_call(must=token_of)
    def inherit_token(self, username: str, ttl: int | None = None, auto_create: bool | None = None
                      ) -> requests.Response:
        """A user token on the app token's authority, no password (docs/protocol/rest.md §1.3, `grant_type: inherit`)."""
        body: dict[str, Any] = {"grant_type": "inherit", "username": username}
        if ttl is not None:
            body["ttl"] = ttl
        if auto_create is not None:
            body["autoCreateUser"] = auto_create
        return self.request("POST", "/token", json_body=body)

    @rest_call(must=whole)
    def token_expiry(self, username: str) -> requests.Response:
        return self.request("GET", f"/sdk/users/{quote(username)}/token/expires")

    # ------------------------------------------------------------------ users (docs/protocol/rest.md §2)
    @rest_call(must=first_entity)
    def register_user(self, username: str, password: str, nickname: str | None = None) -> requests.Response:
        body = {"username": username, "password": password}
        if nickname is not None:
            body["nickname"] = nickname
        return self.request("POST", "/users", json_body=body)

    @rest_call(must=whole)
    def register_users(self, users: list[dict]) -> requests.Response:
        return self.request("POST", "/users", json_body=users)

    @rest_call(must=first_entity)
    def get_user(self, username: str) -> requests.Response:
        return self.request("GET", f"/users/{quote(username)}")

    @rest_call(must=whole)
    def delete_user(self, username: str) -> requests.Response:
        return self.request("DELETE", f"/users/{quote(username)}")

    @rest_call(must=whole)
    def change_password(self, username: str, new_password: str) -> requests.Response:
        return self.request("PUT", f"/users/{quote(username)}/password", json_body={"newpassword": new_password})

    @rest_call(must=whole)
    def deactivate_user(self, username: str) -> requests.Response:
        return self.request("POST", f"/users/{quote(username)}/deactivate")

    @rest_call(must=whole)
    def activate_user(self, username: str) -> requests.Response:
        return self.request("POST", f"/users/{quote(username)}/activate")

    @rest_call(must=whole)
    def disconnect_user(self, username: str, resource: str | None = None) -> requests.Response:
        if resource is None:
            return self.request("GET", f"/users/{quote(username)}/disconnect")
        return self.request("DELETE", f"/users/{quote(username)}/disconnect/{quote(resource)}")

    @rest_call
    def user_resources(self, username: str) -> requests.Response:
        """`must_`: [{"res": resource, ...}] of the user's online devices."""
        return self.request("GET", f"/users/{quote(username)}/resources")

    @rest_call(must=only_value)
    def user_status(self, username: str) -> requests.Response:
        """`must_`: "online" or "offline"."""
        return self.request("GET", f"/users/{quote(username)}/status")

    @rest_call(must=lambda body: int(only_value(body)))
    def offline_msg_count(self, username: str) -> requests.Response:
        """`must_`: the number of messages waiting for the user (an int)."""
        return self.request("GET", f"/users/{quote(username)}/offline_msg_count")

    @rest_call(must=only_value)
    def offline_msg_status(self, username: str, msg_id: int | str) -> requests.Response:
        """`must_`: "delivered" or "undelivered" (docs/protocol/rest.md §2.5)."""
        return self.request("GET", f"/users/{quote(username)}/offline_msg_status/{msg_id}")

    # ------------------------------------------------------------------ sandbox app settings
    @rest_call
    def app_config(self) -> requests.Response:
        """The sandbox's app settings (GET /app_config; not an Easemob API)."""
        return self.request("GET", "/app_config")

    @rest_call
    def set_app_config(self, **settings: object) -> requests.Response:
        """Change sandbox app settings; a value of None restores the default."""
        return self.request("PUT", "/app_config", json_body=settings)
