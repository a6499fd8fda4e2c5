"""msync status codes and the exact reason strings the official SDK matches on (docs/protocol/msync.md §3.3, §6)."""
from __future__ import annotations

import enum

from . import msync_pb2 as pb


class ErrorCode(enum.IntEnum):
    OK = 0
    FAIL = 1
    UNAUTHORIZED = 2
    MISSING_PARAMETER = 3
    WRONG_PARAMETER = 4
    REDIRECT = 5
    TOKEN_EXPIRED = 6
    PERMISSION_DENIED = 7
    NO_ROUTE = 8
    UNKNOWN_COMMAND = 9
    PB_PARSER_ERROR = 10
    BIND_ANOTHER_DEVICE = 11
    IM_FORBIDDEN = 12
    TOO_MANY_DEVICES = 13
    PLATFORM_LIMIT = 14
    USER_MUTED = 15
    ENCRYPT_DISABLE = 16
    ENCRYPT_ENABLE = 17
    DECRYPT_FAILURE = 18
    PERMISSION_DENIED_EXTERNAL = 19
    RESOURCE_CHANGED = 20


# The enum above must mirror the schema; a drift would silently mislabel codes.
assert {c.name: c.value for c in ErrorCode} == dict(pb.Status.ErrorCode.items())


class Reason:
    """Reason strings, verbatim. The SDK maps them to its error types by exact comparison."""

    # PROVISION (docs/protocol/msync.md §3.3)
    TOKEN_EXPIRED = "Sorry, token expired"
    TOKEN_MISMATCH = "Sorry, token or password does not match login info"
    USER_NOT_FOUND = "Sorry, user not found"
    WHO_ARE_YOU = "Sorry, who are you?"
    NO_GUID = "no guid"
    NO_CLIENT_RESOURCE = "no client resource"
    IM_FORBIDDEN = "Sorry, im forbidden"
    TOO_MANY_DEVICES = "Sorry, you devices is overflow?"

    # upstream meta failures (docs/protocol/msync.md §6.1)
    USER_MUTED = "user muted"
    GLOBAL_MUTE = "user is mute"
    BLOCKED = "blocked"
    GROUP_NOT_FOUND = "group not found"
    NOT_IN_GROUP = "not in group or chatroom"
    RECALL_TIME_LIMIT = "exceed recall time limit"
    RECALL_DISABLED = "message recall disabled"
    NOT_IN_WHITE_LIST = "not in group or chatroom white list"
    NONROSTER = "nonroster"
    GROUP_DISABLED = "group is disabled"
    LIMIT_DIRECTED_USERS = "limit directed users"
    SENSITIVE_WORDS = "sensitive words"
    TRAFFIC_LIMIT = "traffic limit"
    DATA_TOO_LARGE = "Sorry, data is too large"
    TRAFFIC_CONTROL = "traffic control happened, retry later"
    MESSAGE_NOT_EXIST = "Sorry, message does not exist"
    NO_PERMISSION = "Sorry, You do not have permission"
    FORMAT_INCORRECT = "Sorry, format is incorrect"
    EDIT_LIMIT = "Sorry, edit limit reached"
    # recall of a message that does not exist (any more): expired, already recalled, a command
    # (docs/protocol/rest.md §3.4 "not_found msg"; the sandbox uses it for msync recalls too)
    RECALL_NOT_FOUND = "not_found msg"

    # chatrooms: join refusals (docs/protocol/msync.md §5.1) and REST errors (docs/protocol/rest.md §6); templates take
    # `.format(room id / user name)`. The SDK matches `grpID`+`does not exist!` (705),
    # `can not join this group`+`is in the blacklist` (603), `has joined too many chatrooms` (50).
    ROOM_NOT_EXIST = "grpID {} does not exist!"
    ROOM_FULL = "group member list is full!"
    ROOM_BLOCKED = "can not join this group, reason:user {} is in the blacklist"
    ROOM_TOO_MANY_JOINED = "can not join this group, reason:user {} has joined too many chatrooms!"
    ROOM_NOT_MEMBERS = "users [{}] are not members of this group!"
    ROOM_OWNER_OPERATION = "forbidden operation on group owner!"
    ROOM_BROADCAST_OFF = "message broadcast service is unopened"
    # chatroom attributes (docs/protocol/rest.md §6.3): request errors and per-key reasons in `errorKeys`
    ROOM_ATTR_NOT_IN_ROOM = "user is not in chatroom"
    ROOM_ATTR_BATCH = "exceed allowed batch size 10"
    ROOM_ATTR_NOT_YOURS = "properties key '{}' is not part of you"
    ROOM_ATTR_KEY_TOO_LONG = "properties key '{}' is exceeding maximum limit 128"
    ROOM_ATTR_VALUE_TOO_LONG = "properties value of key '{}' is exceeding maximum limit 4096"
    ROOM_ATTR_KEY_ILLEGAL = "properties key '{}' is not Legal"
    ROOM_ATTR_VALUE_ILLEGAL = "properties value of key '{}' is not Legal"
    ROOM_ATTR_ROOM_FULL = "size of metadata for this single chatroom exceeds the user defined limit"
    ROOM_ATTR_MISSING = "properties key '{}' does not exist"

    # framing / state machine (sandbox choices, documented in README "Bad input")
    NOT_PROVISIONED = "not provisioned"
    BAD_FRAME = "malformed msync frame"
    BAD_PAYLOAD = "malformed payload"
    UNKNOWN_COMMAND = "unknown command"
    FRAME_TOO_LARGE = "frame too large"
    ALREADY_PROVISIONED = "already provisioned"


def status_name(code: int) -> str:
    try:
        return ErrorCode(code).name
    except ValueError:
        return f"UNKNOWN({code})"
