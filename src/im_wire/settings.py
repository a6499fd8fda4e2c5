"""The app settings both sides know: name, type, default, meaning and the real service's key.

The sandbox stores and enforces them (im_sandbox.store.app_config); the suite checks a test's
`@pytest.mark.app_config(...)` against them before anything runs. `service_key` is the name of
the setting on the real service where it is known: the traffic-control pair are the `ticket_max`
and `timeout` entries of the msync release's sys.config (reloaded by restarting
easemob_traffic_control_sup), `is_use_channel_sync` is message_store's application env.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable


@dataclass(frozen=True)
class Setting:
    type: type
    default: Any
    doc: str
    check: Callable[[Any], bool] = lambda v: True
    # the key on the real service where it is known (None: console-only or not known)
    service_key: str | None = None


def _non_negative(v: Any) -> bool:
    return v >= 0


def _priority_budget(v: Any) -> bool:
    """chatroom_msg_budget: window_ms >= 0 and per-priority ceilings with low <= normal <= high."""
    if set(v) != {"window_ms", "high", "normal", "low"}:
        return False
    if not all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in v.values()):
        return False
    return v["low"] <= v["normal"] <= v["high"]


SETTINGS: dict[str, Setting] = {
    "recall_enabled": Setting(bool, True, "message recall service on/off"),
    "recall_time_limit": Setting(int, 120, "seconds after sending during which a message may be recalled", _non_negative),
    "reactions_enabled": Setting(bool, True, "reaction service on/off"),
    "threads_enabled": Setting(bool, True, "thread service on/off"),
    "max_message_size": Setting(int, 5120, "bytes of body + ext a message may carry", _non_negative),
    "user_send_rate": Setting(int, 0, "messages per second one user may send (0 = unlimited)", _non_negative),
    "group_offline_limit": Setting(int, 200, "offline group messages kept per member device and group"
                                   " (newest evict oldest; 0 = no limit)", _non_negative),
    "chatroom_max_joined": Setting(int, 100, "chatrooms one user may belong to at once (joined over msync or added by REST)", _non_negative),
    "chatroom_max_members": Setting(int, 10000, "upper bound for a chatroom's maxusers", _non_negative),
    "chatroom_leave_grace": Setting(int, 120, "seconds a chatroom member whose devices all disconnected stays present"
                                              " before leaving the room (ABSENCE to the others)", _non_negative),
    "chatroom_msg_budget": Setting(dict, {"window_ms": 1000, "low": 20, "normal": 40, "high": 80},
                                   "per-room delivery budget: a room message of priority p is delivered only while the"
                                   " room delivered fewer than p messages in the last window_ms (so low drops first,"
                                   " high last); window_ms 0 = no budget", _priority_budget),
    "chatroom_broadcast_enabled": Setting(bool, False, "chatroom broadcast service (POST /messages/chatrooms/broadcast)"
                                                       " on/off; off by default, as on the real service"),
    "sensitive_words": Setting(list, [], "words that get a message refused with PERMISSION_DENIED 'sensitive words'",
                               lambda v: all(isinstance(w, str) and w for w in v)),
    "is_use_channel_sync": Setting(bool, False, "the seed's message_store is_use_channel_sync switch",
                                   service_key="message_store.is_use_channel_sync"),
    "traffic_control_enabled": Setting(bool, False, "downstream traffic control (ticket pool) on/off"),
    "traffic_control_ticket_max": Setting(int, 2000, "in-flight downstream deliveries allowed", _non_negative,
                                          service_key="ticket_max"),
    "traffic_control_timeout": Setting(int, 30000, "ms a message may wait for tickets before it is refused",
                                       _non_negative, service_key="timeout"),
    "rest_rate_limit": Setting(int, 0, "REST calls per second the app may make (a fixed 1 s window; over it: 429"
                                       " reach_limit; the app_config admin endpoint is not counted); 0 = no limit",
                               _non_negative),
    "friends_only_chat": Setting(bool, False, "the console's friend check for 1:1: a message to a user who is not a "
                                              "contact is refused with FAIL 'nonroster' (SDK 221); off by default"),
    "user_metadata_enabled": Setting(bool, True, "user attribute service (/metadata/user) on/off: off answers 403 "
                                                 "FORBIDDEN '{appkey} user metadata service not allow'"),
    "presence_enabled": Setting(bool, True, "presence service on/off: the /users/{u}/presence routes answer 400 "
                                            "'the app not open presence' when off"),
    "chatfile_max_size": Setting(int, 10 * 1024 * 1024, "bytes one uploaded chat file (POST /chatfiles, shared files) "
                                                       "may have; larger: 413 file_too_large", _non_negative),
    "roaming_enabled": Setting(bool, True, "message roaming (history) service on/off: POST /users/{me}/messageroaming "
                                           "and the one-way deletes answer 400 'this appKey not open message roaming' when off"),
}


class AppConfigError(ValueError):
    """An unknown setting or a value of the wrong type; the message says which."""


def validate(name: str, value: Any) -> Any:
    setting = SETTINGS.get(name)
    if setting is None:
        raise AppConfigError(f"unknown setting {name!r}; known: {', '.join(sorted(SETTINGS))}")
    if value is None:
        return setting.default
    ok_type = isinstance(value, setting.type) and not (setting.type is int and isinstance(value, bool))
    if not ok_type:
        raise AppConfigError(f"{name} must be {setting.type.__name__}, got {type(value).__name__} {value!r}")
    if not setting.check(value):
        raise AppConfigError(f"{name}: value {value!r} is out of range ({setting.doc})")
    return value
