"""Per-app settings (the console's "app_config"), kept in SQLite and changed without a restart.

Every setting is declared once, in im_wire.settings (features add theirs there); handlers read
them with `ctx.app_config.get(name)` at the moment they need them, so a change applies to the
next message.
"""
from __future__ import annotations

import json
from typing import Any

from im_wire.settings import SETTINGS, AppConfigError, Setting, validate

from .db import Database

__all__ = ["SETTINGS", "AppConfig", "AppConfigError", "Setting", "validate"]


class AppConfig:
    def __init__(self, db: Database):
        self.db = db
        self._values: dict[str, Any] = {}
        for key, raw in db.all("SELECT key, value FROM app_config"):
            if key in SETTINGS:
                self._values[key] = json.loads(raw)

    def get(self, name: str) -> Any:
        if name in self._values:
            return self._values[name]
        return SETTINGS[name].default

    def values(self) -> dict[str, Any]:
        return {name: self.get(name) for name in SETTINGS}

    def update(self, changes: dict[str, Any]) -> dict[str, Any]:
        """Validate all changes first, then apply them together. `None` restores the default."""
        checked = {name: validate(name, value) for name, value in changes.items()}
        for name, value in checked.items():
            if changes[name] is None:
                self._values.pop(name, None)
                self.db.write("DELETE FROM app_config WHERE key = ?", (name,))
            else:
                self._values[name] = value
                self.db.write("INSERT OR REPLACE INTO app_config(key, value) VALUES (?, ?)",
                              (name, json.dumps(value)))
        return {name: self.get(name) for name in checked}

    def reset(self) -> None:
        self._values.clear()
        self.db.write("DELETE FROM app_config")
