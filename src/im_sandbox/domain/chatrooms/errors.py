"""A refused room operation, with what msync and REST each answer for it.

msync answers every refusal with FAIL + `reason` (docs/protocol/msync.md §5.1, §6.1); REST with `status`,
`error` and the same text as `error_description` (docs/protocol/rest.md §6), so the SDK's substring matches
work on both paths.
"""
from __future__ import annotations

from im_wire import ErrorCode, Reason


class RoomError(Exception):
    def __init__(self, reason: str, status: int = 403, error: str = "forbidden_op",
                 code: int = ErrorCode.FAIL):
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.error = error
        self.code = code


def not_found(room_id: str) -> RoomError:
    return RoomError(Reason.ROOM_NOT_EXIST.format(room_id), 404, "resource_not_found")


def full() -> RoomError:
    return RoomError(Reason.ROOM_FULL, 403, "forbidden_op")


def blocked(user: str) -> RoomError:
    return RoomError(Reason.ROOM_BLOCKED.format(user), 403, "forbidden_op")


def too_many_joined(user: str) -> RoomError:
    return RoomError(Reason.ROOM_TOO_MANY_JOINED.format(user), 403, "exceeded_limit")


def not_member(users: list[str] | str, status: int = 403) -> RoomError:
    names = users if isinstance(users, str) else ", ".join(users)
    return RoomError(Reason.ROOM_NOT_MEMBERS.format(names), status, "forbidden_op")


def on_owner() -> RoomError:
    return RoomError(Reason.ROOM_OWNER_OPERATION, 403, "forbidden_op")
