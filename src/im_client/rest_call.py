"""The one REST rule of im_client: every call has a bare form and a `must_` form.

    resp = admin.mute_user(bob.name, chat=-2)         # requests.Response, status and body untouched
    assert resp.status_code == 400 and resp.json()["error"] == "illegal_argument"

    admin.must_mute_user(bob.name, chat=60)           # the data, or RestError

- `x()` returns the `requests.Response` exactly as the service sent it: for negative tests, which
  assert on `resp.status_code` and the body (`error`, `error_description`).
- `must_x()` returns the data of a 200 answer and raises `RestError` otherwise, carrying the
  service's `error` / `error_description` verbatim. "The data" is the answer's `data`, else its
  `entities`, else the whole body; a call whose data is something else says so where it is defined
  (`@rest_call(must=...)`, e.g. the first entity, a `Token`).

Both forms come from one definition: a method decorated with `@rest_call` returns the response,
and the decorator adds its `must_` twin to the class. Helpers that walk several pages
(`must_history`, `must_all_mutes`, `must_reaction_users`) have only the `must_` form: there is no
one response to return.
"""
from __future__ import annotations

import functools
from typing import Any, Callable

import requests

from .errors import checked_body

Unwrap = Callable[[Any], Any]


def answer(body: Any) -> Any:
    """The data of an answer: `data`, else `entities`, else the whole body."""
    if isinstance(body, dict):
        for key in ("data", "entities"):
            if key in body:
                return body[key]
    return body


def whole(body: Any) -> Any:
    """The whole answer (for calls whose `count`, `cursor` … sit next to `data`)."""
    return body


def first_entity(body: Any) -> Any:
    return body["entities"][0]


def only_value(body: Any) -> Any:
    """The one value of `data` when it is keyed by the name asked about: `{"bob": "online"}` -> "online"."""
    (value,) = body["data"].values()
    return value


def must(bare: Callable[..., requests.Response], unwrap: Unwrap = answer) -> Callable[..., Any]:
    """The `must_` form of a bare call: `unwrap(body)` of a 200 answer, RestError otherwise."""

    @functools.wraps(bare)
    def must_form(client: Any, *args: Any, **kw: Any) -> Any:
        return unwrap(checked_body(bare(client, *args, **kw)))

    must_form.__name__ = must_form.__qualname__ = f"must_{bare.__name__}"
    must_form.__doc__ = f"{bare.__doc__ or bare.__name__} Returns the data; raises RestError."
    del must_form.__wrapped__
    return must_form


class rest_call:
    """`@rest_call` or `@rest_call(must=unwrap)` on a method returning a `requests.Response`:
    keeps the method as the bare form and adds `must_<name>` to the class (see `must`)."""

    def __init__(self, fn: Callable[..., requests.Response] | None = None, *, must: Unwrap = answer):
        self.fn = fn
        self.unwrap = must

    def __call__(self, fn: Callable[..., requests.Response]) -> "rest_call":
        self.fn = fn
        return self

    def __set_name__(self, owner: type, name: str) -> None:
        assert self.fn is not None and self.fn.__name__ == name, f"@rest_call on {owner.__name__}.{name}"
        setattr(owner, name, self.fn)
        setattr(owner, f"must_{name}", must(self.fn, self.unwrap))
