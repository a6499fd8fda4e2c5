"""Builders for every server→client frame (the MSync bytes, before transport framing).

The MSync envelope and the repeated `metas` field are spliced by hand: stored metas are already
serialized, and protobuf decoders accept fields in any order, so nothing is parsed again.
"""
from __future__ import annotations

import json

from im_wire import USER_DOMAIN, ErrorCode, pb
from im_wire.varint import varint

SYNC = pb.MSync.SYNC
UNREAD = pb.MSync.UNREAD
NOTICE = pb.MSync.NOTICE
PROVISION = pb.MSync.PROVISION
LOGOUT = pb.MSync.LOGOUT

_OK = pb.Status(errorCode=ErrorCode.OK)
_SYSTEM_QUEUE = pb.JID(domain=USER_DOMAIN)
_METAS_TAG = b"\x22"  # CommSyncDL.metas: field 4, length-delimited


def envelope(command: int, payload: bytes) -> bytes:
    """MSync{command, payload} — byte-identical to protobuf's own encoding."""
    return b"\x40" + varint(command) + b"\x4a" + varint(len(payload)) + payload


def status(code: int, reason: str | None = None) -> pb.Status:
    if code == ErrorCode.OK and reason is None:
        return _OK
    st = pb.Status(errorCode=code)
    if reason is not None:
        st.reason = reason
    return st


def _with_metas(dl: pb.CommSyncDL, metas: list[bytes]) -> bytes:
    head = dl.SerializeToString()
    if not metas:
        return head
    parts = [head]
    for meta in metas:
        parts.append(_METAS_TAG)
        parts.append(varint(len(meta)))
        parts.append(meta)
    return b"".join(parts)


# -- SYNC -------------------------------------------------------------------------------------
def push(queue: pb.JID, metas: list[bytes], timestamp: int) -> bytes:
    """A direct push (docs/protocol/msync.md §3.6): an unsolicited CommSyncDL{status OK, queue, metas, isLast}."""
    return envelope(SYNC, _with_metas(pb.CommSyncDL(status=_OK, queue=queue, isLast=True, timestamp=timestamp), metas))


def ack(meta_id: int | None, code: int, reason: str | None, server_id: int | None, timestamp: int,
        metas: list[bytes] | None = None) -> bytes:
    """Answer to an upstream meta: status always, metaId = the client's Meta.id exactly."""
    dl = pb.CommSyncDL(status=status(code, reason), timestamp=timestamp)
    if meta_id is not None:
        dl.metaId = meta_id
    if server_id is not None:
        dl.serverId = server_id
    return envelope(SYNC, _with_metas(dl, metas or []))


def page(queue: pb.JID, metas: list[bytes], next_key: int, timestamp: int) -> bytes:
    """A pull reply with data: metas + nextKey (= id of the last meta), never isLast."""
    dl = pb.CommSyncDL(status=_OK, queue=queue, nextKey=next_key, timestamp=timestamp)
    return envelope(SYNC, _with_metas(dl, metas))


def drained(queue: pb.JID, timestamp: int) -> bytes:
    """A pull reply for an empty queue: isLast and no metas."""
    return envelope(SYNC, pb.CommSyncDL(status=_OK, queue=queue, isLast=True, timestamp=timestamp).SerializeToString())


def sync_error(code: int, reason: str, meta_id: int | None = None, timestamp: int | None = None) -> bytes:
    dl = pb.CommSyncDL(status=status(code, reason), queue=_SYSTEM_QUEUE, isLast=True)
    if meta_id is not None:
        dl.metaId = meta_id
    if timestamp is not None:
        dl.timestamp = timestamp
    return envelope(SYNC, dl.SerializeToString())


def kick(meta_id: int, operation: int, reason: str | None, *, sender: pb.JID, to: pb.JID, timestamp: int) -> bytes:
    """Server-initiated logout: a STATISTIC meta on the system queue (docs/protocol/msync.md §3.9), carrying the
    fields an SDK reads of every incoming meta (id, from, to, timestamp; rule
    `server-metas-carry-envelope`): from the app's `admin`, to the kicked device."""
    body = pb.StatisticsBody(operation=operation)
    if reason:
        body.reason = reason
    meta = pb.Meta(id=meta_id, ns=pb.Meta.STATISTIC, payload=body.SerializeToString(), to=to, timestamp=timestamp,
                   **{"from": sender})
    dl = pb.CommSyncDL(status=_OK, queue=_SYSTEM_QUEUE, isLast=True, timestamp=timestamp)
    dl.metas.append(meta)
    return envelope(SYNC, dl.SerializeToString())


# -- other commands ---------------------------------------------------------------------------
def notice(queue: pb.JID) -> bytes:
    return envelope(NOTICE, pb.CommNotice(queue=queue).SerializeToString())


def unread(queues: list[tuple[pb.JID, int]], timestamp: int) -> bytes:
    dl = pb.CommUnreadDL(status=_OK, timestamp=timestamp)
    for jid, n in queues:
        dl.unread.add(queue=jid, n=n)
    return envelope(UNREAD, dl.SerializeToString())


def unread_error(code: int, reason: str, timestamp: int | None = None) -> bytes:
    dl = pb.CommUnreadDL(status=status(code, reason))
    if timestamp is not None:
        dl.timestamp = timestamp
    return envelope(UNREAD, dl.SerializeToString())


def provision_ok(resource: str, compress_types, expires_ms: int | None) -> bytes:
    """Never sets protocolCompressType; authToken only as {"expires_in": absolute epoch ms}."""
    reply = pb.Provision(status=_OK, resource=resource)
    reply.compressType.extend(compress_types)
    if expires_ms:
        reply.authToken = json.dumps({"expires_in": expires_ms}, separators=(",", ":"))
    return envelope(PROVISION, reply.SerializeToString())


def provision_error(code: int, reason: str) -> bytes:
    return envelope(PROVISION, pb.Provision(status=status(code, reason)).SerializeToString())


def logout(code: int = ErrorCode.OK, reason: str | None = None) -> bytes:
    return envelope(LOGOUT, pb.Logout(status=status(code, reason)).SerializeToString())


def error_for(command: int | None, code: int, reason: str, meta_id: int | None = None,
              timestamp: int | None = None) -> bytes:
    """An error reply shaped for the command it answers (SYNC shape for anything unknown)."""
    if command == PROVISION:
        return provision_error(code, reason)
    if command == UNREAD:
        return unread_error(code, reason, timestamp)
    if command == LOGOUT:
        return logout(code, reason)
    return sync_error(code, reason, meta_id, timestamp)
