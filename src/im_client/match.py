"""Predicates for Inbox.wait_for(), each with a description shown when a wait times out.

    bob.wait_for(match.text("hello") & match.sender("alice"))
"""
from __future__ import annotations

from typing import Any, Callable

from .messages import Message, Notice


class Match:
    def __init__(self, fn: Callable[[Any], bool], description: str):
        self.fn = fn
        self.description = description

    def __call__(self, item: Any) -> bool:
        try:
            return bool(self.fn(item))
        except (AttributeError, KeyError, TypeError):
            return False

    def __and__(self, other: "Match") -> "Match":
        return Match(lambda i: self(i) and other(i), f"{self.description} and {other.description}")

    def __or__(self, other: "Match") -> "Match":
        return Match(lambda i: self(i) or other(i), f"({self.description} or {other.description})")

    def __invert__(self) -> "Match":
        return Match(lambda i: not self(i), f"not {self.description}")

    def __repr__(self) -> str:
        return f"<match {self.description}>"


def _msg(pred: Callable[[Message], bool], description: str) -> Match:
    return Match(lambda i: isinstance(i, Message) and pred(i), description)


def message(kind: str | None = None) -> Match:
    return _msg(lambda m: kind is None or m.kind == kind, f"message kind={kind or 'any'}")


def text(value: str) -> Match:
    return _msg(lambda m: m.content_type == "text" and m.text == value, f"text {value!r}")


def message_id(server_id: int) -> Match:
    return _msg(lambda m: m.id == server_id, f"message id={server_id}")


def of(sent: Any) -> Match:
    """The delivered copy of something we sent (matched by its server id)."""
    return message_id(sent.server_id)


def sender(name: str) -> Match:
    return _msg(lambda m: m.sender == name, f"from {name}")


def command(action: str) -> Match:
    return _msg(lambda m: m.content_type == "command" and m.action == action, f"command {action!r}")


def custom(event: str) -> Match:
    return _msg(lambda m: m.content_type == "custom" and m.custom_event == event, f"custom {event!r}")


def ack_of(kind: str, sent: Any) -> Match:
    return _msg(lambda m: m.kind == kind and m.ack_message_id == sent.server_id, f"{kind} of {sent.server_id}")


def notice(ns: str, pred: Callable[[Any], bool] | None = None, description: str = "") -> Match:
    return Match(lambda i: isinstance(i, Notice) and i.ns == ns and (pred is None or pred(i.payload)),
                 f"{ns} notice {description}".strip())


def kicked(operation: str | None = None) -> Match:
    from .protocol import pb
    ops = pb.StatisticsBody.Operation

    def check(payload: Any) -> bool:
        return payload.operation != ops.INFORMATION and (operation is None or ops.Name(payload.operation) == operation)

    return notice("STATISTIC", check, f"kick {operation or ''}".strip())
