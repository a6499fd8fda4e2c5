"""The owner map (src/im_e2e/owners.toml): which owner answers for which area markers."""
from __future__ import annotations

import functools
import tomllib
from importlib import resources


@functools.cache
def owner_areas() -> dict[str, tuple[str, ...]]:
    text = resources.files("im_e2e").joinpath("owners.toml").read_text()
    return {name: tuple(areas) for name, areas in tomllib.loads(text)["owners"].items()}


def area_owner() -> dict[str, str]:
    return {area: owner for owner, areas in owner_areas().items() for area in areas}


def marker_expression(owner: str) -> str:
    """The `-m` expression selecting one owner's areas."""
    areas = owner_areas().get(owner)
    if areas is None:
        raise KeyError(f"unknown owner {owner!r}; known: {', '.join(sorted(owner_areas()))}")
    return " or ".join(areas)
