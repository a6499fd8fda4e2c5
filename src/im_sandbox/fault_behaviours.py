"""What each named fault does, at the seams of the real code (faults/seam.py): fault name → {seam: behaviour}.

It sits beside app.py, above the domain, because behaviours build the domain's results; the seam
and the catalogue stay at the base, where every layer may mark a seam.

A behaviour is called instead of the seam's function, with the real function first and the seam's
own arguments after it: `behaviour(real, *args)`. It may call `real` (with other arguments, or
then change what it returned) or not call it at all. The catalogue (names, areas, descriptions)
is catalogue.py; app.py hands this table to `Faults`.
"""
from __future__ import annotations

from im_wire import Reason, pb

from .domain.results import MetaResult
from .faults.seam import Behaviours
from .ids import now_ms
from .load_fault_behaviours import BEHAVIOURS as LOAD_BEHAVIOURS
from .store.history_rules import is_command

ALL_ITEMS = 1 << 62  # an ack key above every message id


def _nothing(real, *args, **kwargs) -> None:
    return None


def _true(real, *args, **kwargs) -> bool:
    return True


def _false(real, *args, **kwargs) -> bool:
    return False


# -- login -------------------------------------------------------------------------------------
def _kick_nobody(real, hub, user, resource, operation, reason=None) -> int:
    return len(hub.user_devices(user))


def _invalid_password(real, ctx):
    refused = real(ctx)
    return type(refused)(refused.code, "invalid password", refused.detail)


# -- files and media -----------------------------------------------------------------------------
def _full_image_as_thumbnail(real, ctx, upload):
    return upload.data if real(ctx, upload) is not None else None


MEDIA_CONTENTS = frozenset({pb.MessageBody.Content.IMAGE, pb.MessageBody.Content.FILE, pb.MessageBody.Content.VOICE,
                            pb.MessageBody.Content.VIDEO})


def _media_without_secret(real, ctx, conn, meta, body, recipient):
    if not any(c.type in MEDIA_CONTENTS for c in body.contents):
        return real(ctx, conn, meta, body, recipient)
    stripped = pb.MessageBody()
    stripped.CopyFrom(body)
    for content in stripped.contents:
        content.ClearField("secretKey")
    changed = pb.Meta()
    changed.CopyFrom(meta)
    changed.payload = stripped.SerializeToString()
    return real(ctx, conn, changed, stripped, recipient)


def _nobody_tagged(real, ctx, room_id, tag) -> list:
    return []


# -- one-to-one chat ---------------------------------------------------------------------------
def _ack_everything(real, ctx, user, resource, qkey, key) -> int:
    return real(ctx, user, resource, qkey, ALL_ITEMS)


def _ack_every_queue(real, ctx, user, resource, qkey, key) -> int:
    return sum(real(ctx, user, resource, q, key) for q in {qkey, *(q for q, _ in ctx.store.messages.unread(user, resource))})


def _ack_every_device(real, ctx, user, resource, qkey, key) -> int:
    return sum(real(ctx, user, device, qkey, key) for device in {resource, *ctx.store.devices.known(user)})


def _online_devices_only(real, ctx, sender, sender_res, recipient, online_only):
    return real(ctx, sender, sender_res, recipient, True)


def _no_sender_copies(real, ctx, sender, sender_res, recipient, online_only):
    targets = real(ctx, sender, sender_res, recipient, online_only)
    return targets if recipient == sender else [t for t in targets if t[0] != sender]


def _newest_first(real, ctx, rows):
    return list(reversed(real(ctx, rows)))


def _read_ack_acked_not_delivered(real, ctx, conn, meta, body, recipient):
    if body.type == pb.MessageBody.READ_ACK:
        return MetaResult.ok(ctx.ids.next(), now_ms())
    return real(ctx, conn, meta, body, recipient)


def _rate_limit_drops(real, policy, sender, scope, reason):
    if reason == Reason.TRAFFIC_LIMIT:
        return MetaResult.ok(policy.ctx.ids.next(), now_ms())
    return real(policy, sender, scope, reason)


def _ext_ints_as_doubles(real, ctx, req, recipient):
    body = real(ctx, req, recipient)
    for kv in body.ext:
        if kv.type == pb.KeyValue.INT:
            kv.type, kv.doubleValue = pb.KeyValue.DOUBLE, float(kv.varintValue)
    return body


def _ext_ints_as_int32(real, ctx, req, recipient):
    body = real(ctx, req, recipient)
    for kv in body.ext:
        if kv.type == pb.KeyValue.INT:
            kv.varintValue = (kv.varintValue + 2 ** 31) % 2 ** 32 - 2 ** 31
    return body


# -- mute ----------------------------------------------------------------------------------------
def _mute_forever(real, ctx, username, scope, seconds) -> None:
    real(ctx, username, scope, -1 if seconds > 0 else seconds)


# -- recall and passthrough ------------------------------------------------------------------
def _recall_acked_only(real, ctx, conn, meta, original, scope):
    return MetaResult.ok(ctx.ids.next(), now_ms())


def _limit_in_ms(real, ctx, original) -> bool:
    return now_ms() - original.ts >= ctx.app_config.get("recall_time_limit")


def _one_device_per_user(real, ctx, scope, original, recaller, resource):
    targets, seen = [], set()
    for target in real(ctx, scope, original, recaller, resource):
        if target[0] not in seen:
            seen.add(target[0])
            targets.append(target)
    return targets


def _commands_in_history(real, ctx, row) -> bool:
    return real(ctx, row) or is_command(pb.MessageBody.FromString(pb.Meta.FromString(row.meta).payload))


# -- reactions -----------------------------------------------------------------------------------
def _counts_one_too_high(real, ctx, user, ids):
    data = real(ctx, user, ids)
    for message in data:
        for reaction in message["reactionList"]:
            reaction["count"] += 1
    return data


# -- groups and threads --------------------------------------------------------------------------
def _skip_last_member(real, ctx, members, route, directed, sender):
    recipients = real(ctx, members, route, directed, sender)
    if route != pb.Meta.ROUTE_DIRECT and len(recipients) > 1:
        recipients.remove(max(u for u in recipients if u != sender))
    return recipients


def _kicked_stay_members(real, ctx, group, names, how) -> None:
    if how != pb.MUCBody.KICK:
        real(ctx, group, names, how)


def _one_more_member(real, ctx, group, adding) -> bool:
    return real(ctx, group, adding - 1)


def _settings_in_memory_only(real, ctx, group_id, **values) -> None:
    group = ctx.store.groups.get(group_id)
    for name, value in values.items():
        setattr(group, name, value)


def _expired_acked_ok(real, traffic, waiter, now):
    return MetaResult.ok(traffic.ctx.ids.next(), now_ms())


def _thread_meta_left_out(real, ctx, meta, body, thread):
    return meta


def _one_over_allowed(real, ctx, count, limit) -> bool:
    return real(ctx, count, limit + 1)


def _thread_name_in_memory_only(real, ctx, thread_id, name) -> None:
    ctx.store.threads.get(thread_id).name = name


# -- chatrooms -----------------------------------------------------------------------------------
def _everyone_still(real, ctx, group, users, sender=None) -> list:
    return list(users)


def _leaver_stays_present(real, rooms, room_id, user, why) -> bool:
    return False if why == "leave" else real(rooms, room_id, user, why)


def _count_one_too_high(real, rooms, room_id, user, count, ext) -> None:
    real(rooms, room_id, user, count + 1, ext)


# -- contacts and block lists -----------------------------------------------------------------------
def _blocks_ignored(real, ctx, sender, recipient):
    refusal = real(ctx, sender, recipient)
    return None if refusal is not None and refusal.reason == Reason.BLOCKED else refusal


def _one_sided_friendship(real, ctx, a, b) -> None:
    real(ctx, a, b)
    ctx.store.contacts.db.write("DELETE FROM contacts WHERE owner = ? AND contact = ?", (b, a))


def _no_remote_accept(real, ctx, recipient, operation, contact, **kw) -> None:
    if operation != pb.RosterBody.REMOTE_ACCEPT:
        real(ctx, recipient, operation, contact, **kw)


# -- user attributes -----------------------------------------------------------------------------
def _put_replaces(real, ctx, username, attrs) -> None:
    ctx.store.user_attrs.delete_user(username)
    real(ctx, username, attrs)


# -- conversations and push -----------------------------------------------------------------------
def _notice_to_every_device(real, ctx, users, op, *, operator, resource, peer, kind, ext=None) -> None:
    return real(ctx, users, op, operator=operator, resource="", peer=peer, kind=kind, ext=ext)


def _own_messages_unread(real, ctx, owner, peer, state) -> int:
    return real(ctx, owner, peer, state) + real(ctx, peer, owner, ctx.store.conversations.state(peer, owner))


def _never_silenced(real, ctx, recipient, sender, body, group=None) -> None:
    return None


# -- presence ------------------------------------------------------------------------------------
def _expired_subscribers_told(real, ctx, user, now) -> None:
    real(ctx, user, 0)  # "running at time 0": every subscription, ended or not


def _unknown_tag_high(real, sender, tag) -> str:
    return real(sender, tag) if tag in (None, 0, 1, 2) else "high"


BEHAVIOURS: Behaviours = {
    # login
    "token_expiry_ignored": {"login.token_expired": _false},
    "kick_not_sent": {"hub.kick": _kick_nobody},
    "wrong_password_reason": {"login.wrong_password": _invalid_password},
    "same_resource_not_kicked": {"login.same_resource": _nothing},
    "revoked_token_accepted": {"users.revoke_tokens": _nothing},
    "client_secret_not_checked": {"tokens.client_secret_ok": _true},
    # one-to-one chat
    "ack_deletes_too_much": {"sync.ack": _ack_everything},
    "ack_deletes_other_queues": {"sync.ack": _ack_every_queue},
    "ack_deletes_other_devices": {"sync.ack": _ack_every_device},
    "offline_queue_skipped": {"chat.one_to_one_targets": _online_devices_only},
    "multi_device_copy_missing": {"chat.one_to_one_targets": _no_sender_copies},
    "ordering_swapped": {"sync.page_metas": _newest_first},
    "read_ack_dropped": {"chat.deliver": _read_ack_acked_not_delivered},
    "sensitive_words_not_applied": {"send_policy.sensitive_words": _false},
    "upstream_event_not_logged": {"chat.upstream_event": _nothing},
    "send_rate_drops_silently": {"send_policy.refuse": _rate_limit_drops},
    "ext_types_changed": {"rest.chat_body": _ext_ints_as_doubles},
    "ext_big_int_truncated": {"rest.chat_body": _ext_ints_as_int32},
    "thumbnail_is_full_image": {"files.thumbnail": _full_image_as_thumbnail},
    "share_secret_not_checked": {"files.secret_ok": _true},
    "chatfile_size_limit_ignored": {"files.within_limit": _true},
    "media_secret_dropped": {"chat.deliver": _media_without_secret},
    "shared_file_delete_ignored": {"files.delete_shared": _true},
    "room_tag_mute_ignored": {"chatrooms.tagged_members": _nobody_tagged},
    # mute
    "mute_ignored": {"send_policy.muted": _false},
    "mute_expiry_ignored": {"mutes.store": _mute_forever},
    # recall
    "recall_ignored": {"recall.recall_and_notify": _recall_acked_only},
    "recall_of_others_allowed": {"recall.may_recall": _true},
    "recall_time_limit_ignored": {"recall.too_late": _false},
    "recall_time_limit_in_ms": {"recall.too_late": _limit_in_ms},
    "recall_notice_one_device_only": {"recall.notice_targets": _one_device_per_user},
    # passthrough
    "cmd_stored_in_history": {"roaming.in_history": _commands_in_history},
    "cmd_recallable": {"recall.recallable_kind": _true},
    # reactions
    "reaction_count_off_by_one": {"reactions.lists": _counts_one_too_high},
    "reaction_notify_missing": {"reactions.announce": _nothing},
    # groups and threads
    "group_fanout_skips_member": {"groups.recipients": _skip_last_member},
    "group_kicked_member_receives": {"groups.remove_members": _kicked_stay_members},
    "group_mute_all_ignored": {"groups.mute_all_silences": _false},
    "group_admin_may_moderate_admin": {"groups.touches_admin": _false},
    "group_limit_off_by_one": {"groups.room_for": _one_more_member},
    "group_settings_not_persisted": {"groups.save_settings": _settings_in_memory_only},
    "group_presence_missing": {"groups.announce_joined": _nothing},
    "traffic_control_drops_silently": {"traffic.expired": _expired_acked_ok},
    "thread_meta_missing": {"groups.thread_annotated": _thread_meta_left_out},
    "group_shield_ignored": {"groups.unshielded": _everyone_still},
    "group_member_attrs_anyone_writes": {"groups.may_write_member_attrs": _true},
    "group_disable_not_applied": {"groups.set_disabled": _nothing},
    "thread_update_msg_missing": {"threads.message_posted": _nothing},
    "thread_multi_device_missing": {"threads.own_devices_told": _nothing},
    "thread_limit_off_by_one": {"threads.over_limit": _one_over_allowed},
    "thread_rename_not_persisted": {"threads.save_name": _thread_name_in_memory_only},
    # chatrooms
    "room_left_member_receives": {"chatrooms.end_presence": _leaver_stays_present},
    "room_presence_count_wrong": {"chatrooms.announce_presence": _count_one_too_high},
    "room_kick_not_enforced": {"chatrooms.remove_kicked": _nothing},
    "room_mute_all_ignored": {"chatrooms.mute_all_silences": _false},
    "room_admin_may_moderate_admin": {"chatrooms.touches_admin": _false},
    # load mode (exact amounts, parameters from the environment: load.py)
    **LOAD_BEHAVIOURS,
    # contacts and block lists
    "block_list_ignored": {"contacts.send_check": _blocks_ignored},
    "contact_one_sided": {"contacts.befriend": _one_sided_friendship},
    "contact_accept_unannounced": {"contacts.notify": _no_remote_accept},
    # user attributes
    "user_attrs_put_replaces": {"user_attrs.store": _put_replaces},
    # conversations and push
    "conversation_read_ack_ignored": {"conversations.channel_read": _nothing},
    "group_unread_not_cleared": {"conversations.group_read": _nothing},
    "conversation_notice_to_acting_device": {"conversations.notify": _notice_to_every_device},
    "conversation_unread_counts_own": {"conversations.unread": _own_messages_unread},
    "silent_mode_ignored": {"push.silenced_by": _never_silenced},
    # presence
    "presence_expiry_ignored": {"presence.announce": _expired_subscribers_told},
    "room_unknown_priority_high": {"chatrooms.priority_of": _unknown_tag_high},
}
