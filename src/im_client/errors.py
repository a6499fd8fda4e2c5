"""Typed errors. Each carries what the server said, verbatim."""
from __future__ import annotations

from typing import Any

from im_wire.codes import status_name


class ImError(Exception):
    """Base class of every im_client error."""


class MsyncError(ImError):
    """The server answered with a non-OK msync Status."""

    def __init__(self, code: int, reason: str, what: str = "request"):
        self.code = int(code)
        self.reason = reason
        self.what = what
        super().__init__(f"{what} refused: {status_name(self.code)}({self.code}) {reason!r}")

    @property
    def status_name(self) -> str:
        return status_name(self.code)


class LoginError(MsyncError):
    """PROVISION was refused (docs/protocol/msync.md §3.3)."""

    def __init__(self, code: int, reason: str):
        super().__init__(code, reason, what="login")


class SendError(MsyncError):
    """An upstream meta was acked with an error status (docs/protocol/msync.md §6.1)."""

    def __init__(self, ack: Any):
        self.ack = ack
        super().__init__(ack.code, ack.reason, what=f"meta {ack.meta_id}")


class RestError(ImError):
    """A REST call returned a non-200 status; fields follow the Easemob error envelope."""

    def __init__(self, method: str, url: str, status: int, body: Any):
        self.method = method
        self.url = url
        self.status = status
        self.body = body if isinstance(body, dict) else {"raw": body}
        self.error = self.body.get("error")
        self.description = self.body.get("error_description")
        self.error_code = self.body.get("error_code")
        super().__init__(f"{method} {url} -> {status} {self.error!r}: {self.description!r}")


def checked_body(resp: Any) -> Any:
    """The body of a REST answer (JSON, else its text) when its status is 200; RestError otherwise."""
    try:
        body = resp.json()
    except ValueError:
        body = resp.text
    if resp.status_code != 200:
        raise RestError(resp.request.method, resp.url, resp.status_code, body)
    return body


class ConnectionClosed(ImError):
    """The transport closed (by the peer, by a kick, or locally)."""


class Timeout(ImError, AssertionError):
    """A wait ran out. An AssertionError so that pytest reports it as a failed expectation."""


class WaitTimeout(Timeout):
    """wait_for() gave up; the message lists what did arrive instead."""
