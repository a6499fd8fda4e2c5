"""The one seam faults act through.

Real code marks the functions a fault may alter, and says nothing else about faults:

    @seam("chat.one_to_one_targets")
    def one_to_one_targets(ctx, sender, ...): ...

The first argument of a seam is whatever carries the sandbox's `Faults` (`ctx.faults`, or an
object with `.faults` or `.ctx`). A call looks the seam up in the active faults' overrides (one
dict lookup; nothing when no fault is on) and, when a fault alters it, calls that fault's
behaviour with the real function instead: `behaviour(real, *args, **kwargs)`. The behaviours,
keyed by fault name, are in `im_sandbox/fault_behaviours.py`.
"""
from __future__ import annotations

import functools
from typing import Any, Callable, Iterable, Mapping, TypeVar

from .catalogue import check_names

F = TypeVar("F", bound=Callable[..., Any])
Behaviour = Callable[..., Any]  # behaviour(real, *args, **kwargs)
# fault name -> {seam name: behaviour}
Behaviours = Mapping[str, Mapping[str, Behaviour]]

SEAMS: dict[str, Callable[..., Any]] = {}  # seam name -> the real function (for checks and docs)


def _faults_of(owner: Any) -> "Faults":
    faults = getattr(owner, "faults", None)
    return faults if faults is not None else owner.ctx.faults


def seam(name: str) -> Callable[[F], F]:
    """Mark `fn` as the seam `name`: active faults may replace what it does."""

    def mark(fn: F) -> F:
        if name in SEAMS:
            raise ValueError(f"seam {name!r} is defined twice")
        SEAMS[name] = fn

        @functools.wraps(fn)
        def at_seam(owner, *args, **kwargs):
            override = _faults_of(owner).overrides.get(name)
            if override is None:
                return fn(owner, *args, **kwargs)
            return override(fn, owner, *args, **kwargs)

        at_seam.seam = name  # type: ignore[attr-defined]
        return at_seam  # type: ignore[return-value]

    return mark


def _chain(outer: Behaviour, inner: Behaviour) -> Behaviour:
    """Two faults at one seam: `outer` sees `inner` (applied to the real function) as the real one."""
    return lambda real, *args, **kwargs: outer(functools.partial(inner, real), *args, **kwargs)


class Faults:
    """The faults switched on in one sandbox, and the overrides they put at the seams."""

    def __init__(self, names: Iterable[str] = (), behaviours: Behaviours | None = None):
        self.behaviours: Behaviours = behaviours or {}
        self.active: frozenset[str] = frozenset()
        self.overrides: dict[str, Behaviour] = {}
        self.set(names)

    def on(self, name: str) -> bool:
        return name in self.active

    def set(self, names: Iterable[str]) -> frozenset[str]:
        active = check_names(names)
        overrides: dict[str, Behaviour] = {}
        for fault in sorted(active):
            for seam_name, behaviour in self.behaviours.get(fault, {}).items():
                inner = overrides.get(seam_name)
                overrides[seam_name] = behaviour if inner is None else _chain(behaviour, inner)
        self.active, self.overrides = active, overrides
        return active
