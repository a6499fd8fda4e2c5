"""A minimal REST client for the sandbox self-tests (requests, no im_client)."""
from __future__ import annotations

import requests

from selftest.sandbox.sandbox_wire import unique_name


class Rest:
    def __init__(self, info: dict):
        self.info = info
        self.base = f"{info['rest_url']}/{info['org']}/{info['app']}"
        self.http = requests.Session()
        self._app_token: str | None = None

    @property
    def app_token(self) -> str:
        if self._app_token is None:
            r = self.post("/token", {"grant_type": "client_credentials", "client_id": self.info["client_id"],
                                     "client_secret": self.info["client_secret"]}, token=None)
            assert r.status_code == 200, r.text
            self._app_token = r.json()["access_token"]
        return self._app_token

    def request(self, method: str, path: str, body=None, token: str | None | bool = True, **kw) -> requests.Response:
        headers = kw.pop("headers", {})
        if token is True:
            token = self.app_token
        if token:
            headers["Authorization"] = f"Bearer {token}"
        url = path if path.startswith("http") else self.base + path
        return self.http.request(method, url, json=body, headers=headers, timeout=10, **kw)

    def get(self, path, token=True, **kw):
        return self.request("GET", path, None, token, **kw)

    def post(self, path, body=None, token=True, **kw):
        return self.request("POST", path, body, token, **kw)

    def put(self, path, body=None, token=True, **kw):
        return self.request("PUT", path, body, token, **kw)

    def delete(self, path, token=True, **kw):
        return self.request("DELETE", path, None, token, **kw)

    def create_user(self, name: str | None = None, password: str = "pw-123") -> str:
        name = name or unique_name()
        r = self.post("/users", {"username": name, "password": password})
        assert r.status_code == 200, r.text
        return name

    def user_token(self, name: str, password: str = "pw-123", ttl: int | None = None) -> str:
        body = {"grant_type": "password", "username": name, "password": password}
        if ttl is not None:
            body["ttl"] = ttl
        r = self.post("/token", body, token=None)
        assert r.status_code == 200, r.text
        return r.json()["access_token"]
