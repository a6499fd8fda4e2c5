"""The Web SDK as the tests use it: connections (one per browser tab), their sends and events.

    sdk = WebSdk(target).start()
    alice = sdk.connection("alice")          # one SDK connection, not yet open
    alice.open(password="pw")
    sent = alice.must_send_text("bob", "hi", ext={"k": 1})
    alice.wait_for(sdk_message(bobs_sent))   # onTextMessage of what bob sent
    sdk.close()
"""
from __future__ import annotations

import itertools
import os
from dataclasses import dataclass, field
from typing import Any, Callable

from im_client.inbox import DEFAULT_TIMEOUT
from im_client.match import Match
from .sdk_process import DriverError, DriverProcess, SdkError, SdkEvent, SdkOutcome, driver_problem

__all__ = ["WebSdk", "SdkConnection", "SdkSent", "SdkError", "SdkOutcome", "SdkEvent", "DriverError",
           "driver_problem", "sdk_event", "sdk_message", "JS_UNDEFINED", "JS_NAN", "JS_INFINITY", "js_bigint",
           "js_symbol", "js_function"]

_devices = itertools.count(1)


# JS values JSON cannot carry, for ext values: the driver turns these markers into the real thing.
JS_UNDEFINED = {"$js": "undefined"}
JS_NAN = {"$js": "NaN"}
JS_INFINITY = {"$js": "Infinity"}


def js_bigint(digits: str) -> dict:
    return {"$js": "bigint", "value": digits}


def js_symbol(description: str) -> dict:
    return {"$js": "symbol", "value": description}


def js_function(source: str) -> dict:
    return {"$js": "function", "value": source}


def sdk_event(name: str, pred: Callable[[Any], bool] | None = None, **fields: Any) -> Match:
    """An event called `name` whose payload has these field values (and satisfies `pred`)."""
    def check(item: Any) -> bool:
        if not isinstance(item, SdkEvent) or item.name != name:
            return False
        data = item.data if isinstance(item.data, dict) else {}
        return all(data.get(k) == v for k, v in fields.items()) and (pred is None or pred(item.data))

    shown = " ".join(f"{k}={v!r}" for k, v in fields.items())
    return Match(check, f"SDK {name} {shown}".strip())


def sdk_message(sent: Any, name: str = "onTextMessage") -> Match:
    """The SDK's delivery of something an im_client user sent (matched by its server id)."""
    return sdk_event(name, id=str(sent.server_id))


class WebSdk(DriverProcess):
    """One Node process running the Web SDK; it may hold several connections."""

    def connection(self, name: str, *, device: str | None = None, quiet: bool = False,
                   **options: Any) -> "SdkConnection":
        """A new SDK connection for the user `name` (not yet open). Its resource is `webim_node_<device>`;
        `quiet` connections report no events (for benchmarks)."""
        conn_id = f"c{next(_devices)}"
        device = device or f"e2e{os.getpid()}x{conn_id}"
        opts = {"appKey": self.target.appkey, "url": self.target.ws_url, "apiUrl": self.target.rest_url,
                "deviceId": device, **options}
        self.command("create", conn=conn_id, options=opts, quiet=quiet)
        return SdkConnection(self, conn_id, name, f"webim_node_{device}")


@dataclass
class SdkSent:
    """A message the SDK sent and the server acked: `send()` resolved with these ids."""

    local_id: int
    server_id: int
    time: int
    to: str
    message: dict = field(repr=False)

    @classmethod
    def from_result(cls, value: dict) -> "SdkSent":
        message = value.get("message") or {}
        return cls(int(value["localMsgId"]), int(value["serverMsgId"]), int(message.get("time") or 0),
                   message.get("to", ""), message)


# -- one connection -------------------------------------------------------------------------------
class SdkConnection:
    """One `new WebIM.connection(...)` of the SDK, used by one user: `name` is the user's name,
    `conn_id` the driver's key for this connection."""

    def __init__(self, sdk: WebSdk, conn_id: str, name: str, resource: str):
        self.sdk = sdk
        self.conn_id = conn_id
        self.name = name
        self.resource = resource
        self.access_token: str | None = None
        self.user: Any = None  # the suite's User when the connection came from `sdk_login`

    def __repr__(self) -> str:
        return f"<SdkConnection {self.name}/{self.resource}>"

    # -- session ----------------------------------------------------------------------------------
    def open(self, *, password: str | None = None, token: str | None = None) -> dict:
        """`conn.open({user, pwd})` or `conn.open({user, accessToken})`; raises SdkError on refusal."""
        return self._open(password, token).value

    def try_open(self, *, password: str | None = None, token: str | None = None) -> SdkOutcome:
        """The bare form of open(): the outcome, refused or not."""
        return self._open(password, token, raise_error=False)

    def _open(self, password: str | None, token: str | None, raise_error: bool = True) -> SdkOutcome:
        args: dict[str, Any] = {"user": self.name}
        if token is not None:
            args["accessToken"] = token
        else:
            args["pwd"] = password
        outcome = self.sdk.try_command("open", conn=self.conn_id, **args)
        if outcome.ok:
            self.resource = outcome.value.get("resource") or self.resource
            self.access_token = (outcome.value.get("result") or {}).get("accessToken")
        elif raise_error:
            raise outcome.error
        return outcome

    def close(self) -> None:
        self.call("close")

    def drop(self) -> None:
        """Kill the socket without a close handshake, like a lost network; the SDK reconnects by itself."""
        self.sdk.command("drop", conn=self.conn_id)

    def call(self, method: str, *args: Any) -> Any:
        """`conn[method](...args)`, awaited; raises SdkError when it rejects."""
        return self.sdk.command("call", conn=self.conn_id, method=method, args=list(args))

    def try_call(self, method: str, *args: Any) -> SdkOutcome:
        return self.sdk.try_command("call", conn=self.conn_id, method=method, args=list(args))

    # -- messages ---------------------------------------------------------------------------------
    def send(self, message: dict) -> SdkOutcome:
        """`conn.send(WebIM.message.create(message))`: the raw outcome."""
        return self.sdk.try_command("send", conn=self.conn_id, message=message)

    def must_send(self, message: dict) -> SdkSent:
        outcome = self.send(message)
        if not outcome.ok:
            raise outcome.error
        return SdkSent.from_result(outcome.value)

    def send_text(self, to: str, text: str, ext: dict | None = None, chat_type: str = "singleChat",
                  **extra: Any) -> SdkOutcome:
        return self.send(_message("txt", chat_type, to, ext, msg=text, **extra))

    def must_send_text(self, to: str, text: str, ext: dict | None = None, chat_type: str = "singleChat",
                       **extra: Any) -> SdkSent:
        return self.must_send(_message("txt", chat_type, to, ext, msg=text, **extra))

    def must_send_command(self, to: str, action: str, ext: dict | None = None,
                          chat_type: str = "singleChat") -> SdkSent:
        return self.must_send(_message("cmd", chat_type, to, ext, action=action))

    def must_send_custom(self, to: str, event: str, exts: dict | None = None, ext: dict | None = None,
                         chat_type: str = "singleChat") -> SdkSent:
        return self.must_send(_message("custom", chat_type, to, ext, customEvent=event, customExts=exts or {}))

    def modify_text(self, message_id: int | str, to: str, text: str, ext: dict | None = None,
                    chat_type: str = "singleChat") -> SdkOutcome:
        """`conn.modifyMessage({messageId, modifiedMessage: <a txt message>})`: the raw outcome."""
        return self.sdk.try_command("modify", conn=self.conn_id, messageId=str(message_id),
                                    message=_message("txt", chat_type, to, ext, msg=text))

    def must_modify_text(self, message_id: int | str, to: str, text: str, ext: dict | None = None,
                         chat_type: str = "singleChat") -> dict:
        """The resolved value: {localMsgId, serverMsgId, message} with message.modifiedInfo."""
        outcome = self.modify_text(message_id, to, text, ext, chat_type)
        if not outcome.ok:
            raise outcome.error
        return outcome.value

    def must_send_read_ack(self, to: str, message_id: int) -> SdkSent:
        return self.must_send({"type": "read", "chatType": "singleChat", "to": to, "id": str(message_id)})

    def must_send_delivery_ack(self, to: str, message_id: int) -> SdkSent:
        return self.must_send({"type": "delivery", "to": to, "ackId": str(message_id)})

    # -- events -----------------------------------------------------------------------------------
    def _mine(self, pred: Callable[[Any], bool]) -> Match:
        return Match(lambda i: isinstance(i, SdkEvent) and i.conn == self.conn_id and pred(i),
                     f"{self.name}: {getattr(pred, 'description', pred)}")

    def wait_for(self, pred: Callable[[Any], bool], timeout: float = DEFAULT_TIMEOUT) -> Any:
        """Wait for an event of this connection; returns its payload."""
        return self.sdk.inbox.wait_for(self._mine(pred), timeout).data

    def wait_for_all(self, pred: Callable[[Any], bool], count: int, timeout: float = DEFAULT_TIMEOUT) -> list[Any]:
        return [e.data for e in self.sdk.inbox.wait_for_all(self._mine(pred), count, timeout)]

    def received(self, pred: Callable[[Any], bool]) -> list[Any]:
        return [e.data for e in self.sdk.inbox.items(self._mine(pred))]

    def events(self) -> list[str]:
        """Names of every event this connection fired so far, in order."""
        return [e.name for e in self.sdk.inbox.items(lambda i: isinstance(i, SdkEvent) and i.conn == self.conn_id)]


def _message(kind: str, chat_type: str, to: str, ext: dict | None, **fields: Any) -> dict:
    message = {"type": kind, "chatType": chat_type, "to": to, **fields}
    if ext is not None:
        message["ext"] = ext
    return message
