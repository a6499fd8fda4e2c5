"""Queue keys: how a (owner, device) inbox names the conversation a queue item belongs to.

* 1:1 messages to bob from alice live in bob's queue `alice` (user domain);
* copies of alice's own messages for her other devices live in `alice/<sending resource>`;
* group/room/thread queues (later) are `<id>@conference.easemob.com`;
* the system queue (`{domain: easemob.com}` without a name) is `@easemob.com`.

User names are `[a-z0-9_.-]` and group ids are numeric, so the encoding is unambiguous.
"""
from __future__ import annotations

from im_wire import CONFERENCE_DOMAIN, USER_DOMAIN, pb

SYSTEM_QUEUE = "@" + USER_DOMAIN
_CONF_SUFFIX = "@" + CONFERENCE_DOMAIN


def user_queue(name: str, resource: str | None = None) -> str:
    return f"{name}/{resource}" if resource else name


def conference_queue(name: str) -> str:
    return name + _CONF_SUFFIX


def queue_jid(appkey: str, key: str) -> pb.JID:
    """The JID announced in NOTICE/UNREAD for a queue key."""
    jid = pb.JID(appKey=appkey)
    if key == SYSTEM_QUEUE:
        jid.domain = USER_DOMAIN
    elif key.endswith(_CONF_SUFFIX):
        jid.name = key[: -len(_CONF_SUFFIX)]
        jid.domain = CONFERENCE_DOMAIN
    else:
        name, _, resource = key.partition("/")
        jid.name = name
        jid.domain = USER_DOMAIN
        if resource:
            jid.clientResource = resource
    return jid


def key_for_pull(jid: pb.JID, puller: str) -> str | None:
    """Normalise the queue JID of a pull; None when it names no queue the sandbox knows.

    The resource only matters when the name is the puller's own (the multi-device copies).
    """
    domain = jid.domain or USER_DOMAIN
    name = jid.name.lower()
    if domain == USER_DOMAIN:
        if not name:
            return SYSTEM_QUEUE
        if name == puller and jid.clientResource:
            return user_queue(name, jid.clientResource)
        return user_queue(name)
    if domain == CONFERENCE_DOMAIN and name:
        return conference_queue(name)
    return None
