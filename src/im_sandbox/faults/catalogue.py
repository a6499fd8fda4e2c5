"""The catalogue of named faults: deliberate bugs the sandbox can switch on, to prove that the suite
catches them.

Every fault is off by default. Switch faults on with `IM_SANDBOX_FAULTS=name1,name2` (read when a
sandbox starts), `python -m im_sandbox --faults name1,name2`, `SandboxConfig(faults=...)`, or at
run time with the sandbox-only endpoint `PUT /{org}/{app}/_sandbox/faults {"faults": [...]}`
(app token). What each fault does is in `im_sandbox/fault_behaviours.py`, at the named seams of the real code
(`seam.py`). `im-e2e faults` runs each fault's area suite against a sandbox with that fault on
(docs/faults.md).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Iterable

ENV = "IM_SANDBOX_FAULTS"


@dataclass(frozen=True)
class Fault:
    name: str
    area: str         # the pytest area marker whose suite must catch it (src/im_e2e/owners.toml)
    description: str  # what breaks, in one line
    load: bool = False  # caught by a load cell's ledger (tests/load), not by the area's feature suite


_FAULTS = [
    # login (xinbo)
    Fault("token_expiry_ignored", "login", "an expired user token still logs in over msync"),
    Fault("kick_not_sent", "login", "a forced logout (REST disconnect, password change, user deletion) "
                                    "neither sends the kick nor closes the devices"),
    Fault("wrong_password_reason", "login", "a wrong password is refused with reason 'invalid password' "
                                            "instead of 'invalid token or password'"),
    Fault("same_resource_not_kicked", "login", "a second login with the same resource does not kick the "
                                               "first connection"),
    Fault("revoked_token_accepted", "login", "a password change revokes no token: the old tokens still work on "
                                             "REST and msync"),
    Fault("client_secret_not_checked", "login", "an app token is issued for any client_secret"),
    # one-to-one chat (caixiangyue)
    Fault("ack_deletes_too_much", "chat", "a pull acking key K deletes every item of the queue, not only those <= K"),
    Fault("offline_queue_skipped", "chat", "1:1 messages are queued only for connected devices: offline "
                                           "devices never get them"),
    Fault("multi_device_copy_missing", "chat", "the sender's other devices get no copy of a 1:1 message"),
    Fault("ordering_swapped", "chat", "a pulled page lists its messages newest first"),
    Fault("read_ack_dropped", "chat", "READ_ACK receipts are acked to the sender but never delivered"),
    Fault("sensitive_words_not_applied", "chat", "the app setting sensitive_words has no effect"),
    Fault("upstream_event_not_logged", "chat", "accepted 1:1 messages write no message.upstream event"),
    Fault("send_rate_drops_silently", "chat", "a sender over user_send_rate gets OK and the message is dropped, "
                                              "instead of PERMISSION_DENIED 'traffic limit'"),
    Fault("ack_deletes_other_queues", "chat", "a pull acking key K of one queue also deletes the device's items "
                                              "<= K of its other queues (other conversations' pending messages)"),
    Fault("ack_deletes_other_devices", "chat", "a pull acking key K deletes the items <= K of that queue for every "
                                               "device of the user, not only the device that pulled"),
    # files and media messages (caixiangyue; shared files and tags: jiahao, yifan)
    Fault("thumbnail_is_full_image", "chat", "an image's thumbnail is the full image, not a smaller copy"),
    Fault("share_secret_not_checked", "chat", "a restricted chat file downloads without (or with a wrong) share-secret"),
    Fault("chatfile_size_limit_ignored", "chat", "uploads larger than chatfile_max_size are stored instead of "
                                                 "refused with 413"),
    Fault("media_secret_dropped", "chat", "1:1 media messages reach the peer without their share-secret (secretKey): "
                                          "the peer cannot download a restricted file"),
    Fault("shared_file_delete_ignored", "group", "deleting a group's or room's shared file answers result true and "
                                                 "removes nothing"),
    Fault("room_tag_mute_ignored", "chatroom", "a tag mute answers result true and mutes none of the tagged members"),
    Fault("ext_big_int_truncated", "ext", "REST 1:1 sends cut integer ext values to 32 bits (2**31 arrives as -2**31)"),
    Fault("ext_types_changed", "ext", "REST sends type integer ext values as DOUBLE instead of INT"),
    # mute (caixiangyue)
    Fault("mute_ignored", "mute", "global mutes (/mutes) do not stop a muted user's messages"),
    Fault("mute_expiry_ignored", "mute", "a global mute of N seconds is stored as permanent"),
    # recall (caixiangyue)
    Fault("recall_ignored", "recall", "an msync recall is acked OK but removes nothing and sends no notice"),
    Fault("recall_of_others_allowed", "recall", "a user may recall a message someone else sent"),
    Fault("recall_time_limit_ignored", "recall", "recall_time_limit is not enforced"),
    Fault("recall_time_limit_in_ms", "recall", "recall_time_limit is read as milliseconds instead of seconds"),
    Fault("recall_notice_one_device_only", "recall", "an msync recall notice reaches one device per user: the "
                                                     "user's other devices keep showing the message"),
    # passthrough (caixiangyue)
    Fault("cmd_stored_in_history", "passthrough", "command messages appear in the roaming history"),
    Fault("cmd_recallable", "passthrough", "command messages can be recalled"),
    # reactions (caixiangyue)
    Fault("reaction_count_off_by_one", "reaction", "the reaction list reports each count one too high"),
    Fault("reaction_notify_missing", "reaction", "reaction changes send no NOTIFY to the other participants"),
    # groups and threads (jiahao)
    Fault("group_fanout_skips_member", "group", "a group message skips one member (the last by name)"),
    Fault("group_kicked_member_receives", "group", "a kicked member is told KICK but stays a member and keeps "
                                                   "receiving"),
    Fault("group_admin_may_moderate_admin", "group", "a group admin may remove, block or mute another admin "
                                                     "(only the owner may)"),
    Fault("group_limit_off_by_one", "group", "a group of maxusers N takes an N+1st member"),
    Fault("group_settings_not_persisted", "group", "group setting changes (name, description, announcement, "
                                                   "mute-all …) are kept in memory only: a restart loses them"),
    Fault("group_mute_all_ignored", "group", "mute-all does not stop plain members from speaking"),
    Fault("group_presence_missing", "group", "members get no PRESENCE when someone joins the group"),
    Fault("traffic_control_drops_silently", "group", "a group message that waited past traffic_control_timeout "
                                                     "is acked OK and dropped, instead of refused"),
    Fault("thread_meta_missing", "thread", "thread messages reach members without MessageBody.meta.thread"),
    Fault("group_shield_ignored", "group", "a member who blocked the group's messages (shield) still receives them"),
    Fault("group_member_attrs_anyone_writes", "group", "any member may write another member's group member "
                                                       "attributes (only oneself, the owner and admins may)"),
    Fault("group_disable_not_applied", "group", "disabling a group is answered but not stored: it still carries "
                                                "messages"),
    Fault("thread_update_msg_missing", "thread", "a thread message sends no NOTIFY update_msg to the group"),
    Fault("thread_multi_device_missing", "thread", "the operator's other devices get no MUC THREAD_CREATE / "
                                                   "DESTROY / JOIN / LEAVE / UPDATE"),
    Fault("thread_limit_off_by_one", "thread", "thread limits (name length, usernames per call, ids per "
                                               "last-message query) accept one more than documented"),
    Fault("thread_rename_not_persisted", "thread", "a thread rename is kept in memory only: a restart loses it"),
    # chatrooms (yifan)
    Fault("room_left_member_receives", "chatroom", "a user who LEAVEs a room stays present and keeps "
                                                   "receiving its messages"),
    Fault("room_presence_count_wrong", "chatroom", "PRESENCE notifications carry mucMemberCount one too high"),
    Fault("room_kick_not_enforced", "chatroom", "a kicked room member is told KICK but stays in the room"),
    Fault("room_unknown_priority_high", "chatroom", "a room message with an unknown priority tag is treated as "
                                                    "high instead of normal"),
    Fault("room_mute_all_ignored", "chatroom", "room mute-all does not stop plain members from speaking"),
    Fault("room_admin_may_moderate_admin", "chatroom", "a room admin may remove, block or mute another admin "
                                                       "(only the owner may)"),
    # load mode: exact amounts under load, for the load ledger to catch (load_fault_behaviours.py, tests/load)
    Fault("load_drop_one_in_n", "group", "every N-th group delivery (after the first D) is silently dropped",
          load=True),
    Fault("load_deliver_twice", "group", "every N-th group delivery (after the first D) is queued twice",
          load=True),
    Fault("load_stop_acking", "group", "group sends after the first K are neither acked nor delivered", load=True),
    Fault("load_stall_fanout", "group", "group fan-out stops for S seconds from the first message on (acks "
                                        "go on)", load=True),
    # contacts and block lists (xinbo)
    Fault("block_list_ignored", "contact", "a blocked user's 1:1 messages are delivered instead of refused 'blocked'"),
    Fault("contact_one_sided", "contact", "a new friendship is stored for one side only: the other side does not "
                                          "list the new contact"),
    Fault("contact_accept_unannounced", "contact", "the applicant is never told (ROSTER REMOTE_ACCEPT) that its "
                                                   "application was accepted"),
    # user attributes (xinbo)
    Fault("user_attrs_put_replaces", "userinfo", "a user-attribute PUT drops every key it does not name"),
    # conversations (caixiangyue)
    Fault("conversation_read_ack_ignored", "conversation", "a CHANNEL_ACK leaves the conversation's unread count "
                                                           "as it was"),
    Fault("conversation_unread_counts_own", "conversation", "a conversation's unread count also counts the "
                                                            "messages its owner sent"),
    Fault("group_unread_not_cleared", "conversation", "a CHANNEL_ACK to a group leaves the group conversation's "
                                                      "unread count as it was"),
    Fault("conversation_notice_to_acting_device", "conversation", "pin, mark and delete notices also go to the "
                                                                  "device that made the change"),
    # do-not-disturb and push (xinbo)
    Fault("silent_mode_ignored", "push", "do-not-disturb settings never hold back an offline push"),
    # presence (xinbo)
    Fault("presence_expiry_ignored", "presence", "presence changes still reach subscribers whose subscription "
                                                 "has ended"),
    Fault("load_presence_drop_one_in_n", "presence", "every N-th presence notice (one subscriber's, after the "
                                                     "first D) is silently dropped", load=True),
]
FAULTS: dict[str, Fault] = {f.name: f for f in _FAULTS}


class UnknownFault(ValueError):
    pass


def check_names(names: Iterable[str]) -> frozenset[str]:
    chosen = frozenset(n.strip() for n in names if n and n.strip())
    unknown = sorted(chosen - FAULTS.keys())
    if unknown:
        raise UnknownFault(f"unknown fault(s) {', '.join(unknown)}; known: {', '.join(sorted(FAULTS))}")
    return chosen


def parse_list(text: str | None) -> frozenset[str]:
    """`name1,name2` (the env var and --faults syntax) → checked names."""
    return check_names((text or "").split(","))


def from_env() -> frozenset[str]:
    return parse_list(os.environ.get(ENV))

