"""JIDs: `appKey`, `name`, `domain`, `clientResource` (docs/protocol/msync.md §1.3)."""
from __future__ import annotations

from . import msync_pb2 as pb

USER_DOMAIN = "easemob.com"
CONFERENCE_DOMAIN = "conference.easemob.com"


def make_jid(appkey: str | None = None, name: str | None = None, domain: str = USER_DOMAIN,
             resource: str | None = None) -> pb.JID:
    jid = pb.JID()
    if appkey is not None:
        jid.appKey = appkey
    if name is not None:
        jid.name = name
    if domain is not None:
        jid.domain = domain
    if resource:
        jid.clientResource = resource
    return jid


def jid_text(jid: pb.JID) -> str:
    """`name@domain/resource` as the server logs it (appKey left out)."""
    text = f"{jid.name}@{jid.domain}" if jid.name else jid.domain
    if jid.clientResource:
        text += f"/{jid.clientResource}"
    return text
