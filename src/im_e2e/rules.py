"""The catalogue of behaviour rules (docs/protocol/rules.toml), loaded and checked in one place.

Each rule says what the server does and where that knowledge comes from: `documented` (official
docs or Easemob's own server), `sdk` (what the official Web SDK needs or does) or `chosen` (the
sandbox picked it; the real service's behaviour is not known). Tests name the rules they rest on
with `@pytest.mark.rule("id", ...)` (fixtures/rules.py); a failure of a test resting on a chosen rule
against a real cluster is reported as "rule differs", not as a regression.

`$IM_E2E_RULES` names another catalogue file (used by the project's own tests).
"""
from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

RULES_ENV = "IM_E2E_RULES"
SOURCES = ("documented", "sdk", "chosen")
REQUIRED = ("id", "statement", "source", "evidence", "where")
OPTIONAL = ("section",)
ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class CatalogueError(ValueError):
    """rules.toml is malformed: the message names every problem found."""


@dataclass(frozen=True)
class Rule:
    id: str
    statement: str
    source: str
    evidence: str
    where: str
    section: str = ""

    @property
    def chosen(self) -> bool:
        return self.source == "chosen"


def default_path() -> Path:
    """$IM_E2E_RULES, else docs/protocol/rules.toml of the checkout this package lives in."""
    explicit = os.environ.get(RULES_ENV)
    if explicit:
        return Path(explicit)
    return Path(__file__).resolve().parents[2] / "docs" / "protocol" / "rules.toml"


def parse(data: dict, origin: str = "rules.toml") -> dict[str, Rule]:
    """Check and convert the parsed TOML; raises CatalogueError listing every problem."""
    problems: list[str] = []
    rules: dict[str, Rule] = {}
    unknown_top = set(data) - {"rule"}
    if unknown_top:
        problems.append(f"unknown top-level keys {sorted(unknown_top)} (only [[rule]] tables)")
    for n, entry in enumerate(data.get("rule", []), start=1):
        where = f"rule #{n}" + (f" ({entry.get('id')!r})" if isinstance(entry, dict) and entry.get("id") else "")
        if not isinstance(entry, dict):
            problems.append(f"{where}: not a table")
            continue
        missing = [k for k in REQUIRED if not isinstance(entry.get(k), str) or not entry[k].strip()]
        if missing:
            problems.append(f"{where}: missing or empty {', '.join(missing)}")
        extra = set(entry) - set(REQUIRED) - set(OPTIONAL)
        if extra:
            problems.append(f"{where}: unknown keys {sorted(extra)}")
        rule_id = entry.get("id")
        if isinstance(rule_id, str) and rule_id and not ID_PATTERN.match(rule_id):
            problems.append(f"{where}: id is not kebab-case")
        source = entry.get("source")
        if isinstance(source, str) and source and source not in SOURCES:
            problems.append(f"{where}: source {source!r} is not one of {', '.join(SOURCES)}")
        if isinstance(rule_id, str) and rule_id in rules:
            problems.append(f"{where}: duplicate id")
        if missing or extra:
            continue
        rules[rule_id] = Rule(**{k: entry[k] for k in (*REQUIRED, *OPTIONAL) if k in entry})
    if not rules and not problems:
        problems.append("no [[rule]] entries")
    if problems:
        raise CatalogueError(f"{origin}: " + "; ".join(problems))
    return rules


def load(path: str | Path | None = None) -> dict[str, Rule]:
    """The catalogue, id -> Rule, in file order."""
    path = Path(path) if path is not None else default_path()
    with path.open("rb") as fh:
        try:
            data = tomllib.load(fh)
        except tomllib.TOMLDecodeError as exc:
            raise CatalogueError(f"{path}: {exc}") from exc
    return parse(data, str(path))


@lru_cache(maxsize=4)
def _cached(path: str) -> dict[str, Rule]:
    return load(path)


def catalogue() -> dict[str, Rule]:
    """The default catalogue, loaded once per process."""
    return _cached(str(default_path()))


def chosen_ids(rules: dict[str, Rule]) -> list[str]:
    return [r.id for r in rules.values() if r.chosen]
