"""Reading one TOML table with types, defaults and a clear error for every key it does not know."""
from __future__ import annotations

import re
from typing import Any, Callable

from .errors import ConfigError

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|d)?\s*$")
_UNITS = {None: 1, "s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "d": 86400}
FALSE = ("0", "false", "no", "off")
TRUE = ("1", "true", "yes", "on")


def parse_duration(value: Any) -> float:
    """Seconds from 90, "90s", "15m", "1h", "1d"."""
    if isinstance(value, bool):
        raise ValueError(f"not a duration: {value!r}")
    if isinstance(value, (int, float)):
        return float(value)
    match = _DURATION.match(str(value))
    if not match:
        raise ValueError(f"not a duration: {value!r} (use e.g. 90, \"30s\", \"15m\", \"1h\")")
    return float(match.group(1)) * _UNITS[match.group(2)]


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected a string, got {value!r}")
    return value


def _integer(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError(f"expected an integer, got {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d+\s*", value):
        return int(value)
    raise ValueError(f"expected an integer, got {value!r}")


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValueError(f"expected a number, got {value!r}")
    return float(value)


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in FALSE + TRUE:
        return value.strip().lower() in TRUE
    raise ValueError(f"expected true or false, got {value!r}")


def _strings(value: Any) -> tuple[str, ...]:
    """A list of strings; a string is one item, or several separated by commas (as in environment variables)."""
    if isinstance(value, str):
        return tuple(v.strip() for v in value.split(",") if v.strip())
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ValueError(f"expected a list of strings, got {value!r}")


def _string_map(value: Any) -> dict[str, str]:
    if isinstance(value, dict) and all(isinstance(v, (str, int, float, bool)) for v in value.values()):
        return {str(k): str(v) for k, v in value.items()}
    raise ValueError(f"expected a table of strings, got {value!r}")


KINDS: dict[str, Callable[[Any], Any]] = {
    "str": _text, "int": _integer, "float": _number, "bool": _boolean, "strings": _strings,
    "duration": parse_duration, "map": _string_map, "any": lambda v: v,
}


class Table:
    """One table of the file: `get` each key it knows, then `close()` reports the ones left over.

    `name` is the dotted section name ("" for the top of the file, "storage.kafka", "jobs" with
    `item` = its index for a table of an array); `where` is how errors name it: `[storage.kafka]`,
    `[[jobs]] #2`."""

    def __init__(self, data: Any, name: str = "", item: int | None = None):
        self.name = name
        self.item = item
        if not isinstance(data, dict):
            raise ConfigError(f"{self.where} must be a table, got {data!r}")
        self.data = data
        self._known: set[str] = set()

    @property
    def where(self) -> str:
        if self.item is not None:
            return f"[[{self.name}]] #{self.item + 1}"
        return f"[{self.name}]" if self.name else "the file"

    def _child(self, key: str) -> str:
        return f"{self.name}.{key}" if self.name else key

    def __contains__(self, key: str) -> bool:
        return key in self.data

    @property
    def known(self) -> set[str]:
        return set(self._known)

    def get(self, key: str, kind: str = "str", default: Any = None) -> Any:
        self._known.add(key)
        if key not in self.data:
            return default
        return convert(self.data[key], kind, f"{self.where} {key}")

    def table(self, key: str) -> "Table":
        self._known.add(key)
        return Table(self.data.get(key, {}), self._child(key))

    def tables(self, key: str) -> list["Table"]:
        """An array of tables (`[[section.key]]`)."""
        self._known.add(key)
        items = self.data.get(key, [])
        if not isinstance(items, list):
            raise ConfigError(f"{self._child(key)} must be an array of tables ([[{self._child(key)}]])")
        return [Table(item, self._child(key), n) for n, item in enumerate(items)]

    def close(self) -> None:
        unknown = sorted(set(self.data) - self._known)
        if unknown:
            raise ConfigError(f"unknown key{'s' if len(unknown) > 1 else ''} in {self.where}: {', '.join(unknown)} "
                              f"(known: {', '.join(sorted(self._known))}; see docs/configuration.md)")


def convert(value: Any, kind: str, where: str) -> Any:
    try:
        return KINDS[kind](value)
    except (ValueError, TypeError) as exc:
        raise ConfigError(f"{where}: {exc}") from None
