"""Chatroom attributes (docs/protocol/rest.md §6.3): set / delete with per-key results, and their notifications.

Each key remembers the member who set it. Without `forced`, a key someone else set is refused for
that key only (`properties key 'k' is not part of you`); the other keys still apply and the
request answers 200 with `successKeys` and `errorKeys`. Present members other than the operator
get SET_METADATA / DELETE_METADATA (docs/protocol/msync.md §5.2) with
`eventInfo.ext = {"result": {"successKeys": [...], "errorKeys": {...}}, "properties": {...}}`,
only when at least one key changed.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from im_wire import Reason, pb

if TYPE_CHECKING:
    from ..services import Services
    from .notify import Notifier

KEY_RE = re.compile(r"[A-Za-z0-9_.\-]+")
MAX_BATCH = 10
MAX_KEY = 128
MAX_VALUE = 4096
MAX_KEYS_PER_ROOM = 100

Result = tuple[list[str], dict[str, str]]


class Attributes:
    def __init__(self, ctx: "Services", notify: "Notifier"):
        self.ctx = ctx
        self.notify = notify
        self.store = ctx.store.chatroom_attrs

    def get(self, room_id: str, keys: list[str] | None) -> dict[str, str]:
        return {k: v for k, (v, _) in self.store.entries(room_id, keys).items()}

    def set(self, room_id: str, user: str, values: dict, auto_delete: bool, forced: bool) -> Result:
        existing = self.store.entries(room_id)
        count = len(existing)
        success: list[str] = []
        errors: dict[str, str] = {}
        for key, value in values.items():
            reason = self._key_problem(key)
            if reason is None and not isinstance(value, str):
                reason = Reason.ROOM_ATTR_VALUE_ILLEGAL.format(key)
            elif reason is None and len(value) > MAX_VALUE:
                reason = Reason.ROOM_ATTR_VALUE_TOO_LONG.format(key)
            elif reason is None and key in existing and existing[key][1] != user and not forced:
                reason = Reason.ROOM_ATTR_NOT_YOURS.format(key)
            elif reason is None and key not in existing and count >= MAX_KEYS_PER_ROOM:
                reason = Reason.ROOM_ATTR_ROOM_FULL
            if reason is not None:
                errors[key] = reason
                continue
            if key not in existing:
                count += 1
            self.store.put(room_id, key, value, user, auto_delete)
            success.append(key)
        if success:
            self._notify(room_id, pb.MUCBody.SET_METADATA, user, success, errors,
                         {k: values[k] for k in success})
        self.ctx.events.emit("chatroom.attributes_set", room=room_id, user=user, forced=forced,
                                   keys=success, refused=sorted(errors))
        return success, errors

    def delete(self, room_id: str, user: str, keys: list[str], forced: bool) -> Result:
        existing = self.store.entries(room_id, keys)
        success: list[str] = []
        errors: dict[str, str] = {}
        for key in keys:
            if key not in existing:
                errors[key] = Reason.ROOM_ATTR_MISSING.format(key)
            elif existing[key][1] != user and not forced:
                errors[key] = Reason.ROOM_ATTR_NOT_YOURS.format(key)
            else:
                self.store.delete(room_id, key)
                success.append(key)
        if success:
            self._notify(room_id, pb.MUCBody.DELETE_METADATA, user, success, errors, {})
        self.ctx.events.emit("chatroom.attributes_deleted", room=room_id, user=user, forced=forced,
                                   keys=success, refused=sorted(errors))
        return success, errors

    def owner_left(self, room_id: str, user: str) -> None:
        """autoDelete=DELETE: the keys of a member who leaves go with them."""
        keys = self.store.auto_delete_keys(room_id, user)
        if keys:
            self.delete(room_id, user, keys, forced=True)

    @staticmethod
    def _key_problem(key: str) -> str | None:
        if len(key) > MAX_KEY:
            return Reason.ROOM_ATTR_KEY_TOO_LONG.format(key)
        if not KEY_RE.fullmatch(key):
            return Reason.ROOM_ATTR_KEY_ILLEGAL.format(key)
        return None

    def _notify(self, room_id: str, operation: int, user: str, success: list[str], errors: dict[str, str],
                properties: dict[str, str]) -> None:
        event = {"result": {"successKeys": success, "errorKeys": errors}, "properties": properties}
        self.notify.to_present(room_id, operation, skip_user=user, operator=user, event_ext=event)
