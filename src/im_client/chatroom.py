"""Chatrooms over msync: join / leave on the system queue (docs/protocol/msync.md §5.1) and room messages (§4.2).

    info = alice.must_join_room(room_id, ext="hi all")      # RoomInfo parsed from the ack
    sent = alice.must_send_room_text(room_id, "hello", priority="high")
    ack = mallory.join_room(room_id)                         # bare form: the raw Ack
    assert (ack.code, ack.reason) == (ErrorCode.FAIL, Reason.ROOM_FULL)
    alice.must_leave_room(room_id)

Room messages and room events arrive as direct pushes (queue = the room JID) and land in the
inbox like everything else.
"""
from __future__ import annotations

import json
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any, Mapping

from . import messages as m
from .errors import SendError
from im_wire import pb
from im_wire.jid import CONFERENCE_DOMAIN, USER_DOMAIN, make_jid
from .replies import Ack, Sent
from .session import Session

CHATROOM = "chatroom"
PRIORITY_TAGS = {"high": 0, "normal": 1, "low": 2}
Op = pb.MUCBody


@dataclass(frozen=True)
class RoomInfo:
    """The join result: `MUCBody.status.chatroomInfo[<me>]` of the ack's first meta."""

    room_id: str
    member_count: int
    is_all_mute: bool
    is_in_white_list: bool
    mute_duration: int           # end of my member mute (epoch ms, -1 permanent), 0 when not muted
    create_timestamp: int
    raw: dict = field(repr=False)

    @classmethod
    def from_ack(cls, ack: Ack, room_id: str, username: str) -> "RoomInfo":
        if not ack.metas:
            raise ValueError(f"join ack for {room_id} carries no metas")
        body = pb.MUCBody.FromString(ack.metas[0].payload)
        info = json.loads(body.status.chatroomInfo or "{}").get(username)
        if info is None:
            raise ValueError(f"chatroomInfo of {room_id} has no entry for {username}: {body.status.chatroomInfo!r}")
        return cls(room_id, info["member_count"], info["is_all_mute"], info["is_in_white_list"],
                   info["mute_duration"], info["create_timestamp"], info)


def room_muc_meta(appkey: str, username: str, room_id: str, operation: int, *, ext: str | None = None,
                  leave_other_rooms: bool | None = None) -> pb.Meta:
    """A MUC item for the system queue, laid out as the Web SDK lays it out (docs/protocol/msync.md §5.1)."""
    body = Op(mucId=make_jid(appkey, room_id, CONFERENCE_DOMAIN), operation=operation, isChatroom=True,
              **{"from": pb.JID(name=username)})
    if ext is not None:
        body.ext = ext
    if leave_other_rooms is not None:
        body.leaveOtherRooms = leave_other_rooms
    return pb.Meta(ns=pb.Meta.MUC, to=pb.JID(domain=USER_DOMAIN), payload=body.SerializeToString(),
                   **{"from": make_jid(appkey, username, USER_DOMAIN)})


def _ext_text(ext: str | Mapping[str, Any] | None) -> str | None:
    if ext is None or isinstance(ext, str):
        return ext
    return json.dumps(ext, separators=(",", ":"))


class ChatroomMixin:
    """Chatroom actions; mixed into Client on top of Session."""

    # join / leave ---------------------------------------------------------------------------------
    def join_room(self: Session, room_id: str, ext: str | Mapping[str, Any] | None = None,
                  leave_other_rooms: bool = False) -> Ack:
        return self.send_meta(room_muc_meta(self.appkey, self.name, room_id, Op.JOIN, ext=_ext_text(ext),
                                            leave_other_rooms=leave_other_rooms))

    def join_room_async(self: Session, room_id: str, ext: str | Mapping[str, Any] | None = None,
                        leave_other_rooms: bool = False) -> Future:
        """Send JOIN without waiting; the Future resolves to the Ack (for joining many devices at once)."""
        return self.send_meta_async(room_muc_meta(self.appkey, self.name, room_id, Op.JOIN,
                                                  ext=_ext_text(ext), leave_other_rooms=leave_other_rooms))

    def must_join_room(self, room_id: str, ext: str | Mapping[str, Any] | None = None,
                       leave_other_rooms: bool = False) -> RoomInfo:
        ack = self.join_room(room_id, ext, leave_other_rooms)
        if not ack.ok:
            raise SendError(ack)
        return RoomInfo.from_ack(ack, room_id, self.name)

    def leave_room(self: Session, room_id: str) -> Ack:
        return self.send_meta(room_muc_meta(self.appkey, self.name, room_id, Op.LEAVE))

    def must_leave_room(self, room_id: str) -> Ack:
        ack = self.leave_room(room_id)
        if not ack.ok:
            raise SendError(ack)
        return ack

    # messages -------------------------------------------------------------------------------------
    def _room_meta(self: Session, room_id: str, content, ext: Mapping[str, Any] | None,
                   priority: str | None, directed_users: list[str] | None = None) -> pb.Meta:
        meta_ext = None if priority is None else {"chatroom_msg_tag": PRIORITY_TAGS[priority]}
        return m.chat_meta(self.appkey, self.name, room_id, m.Body.CHATROOM, content, CHATROOM, ext,
                           meta_ext=meta_ext, directed_users=directed_users)

    def send_room_text(self: Session, room_id: str, text: str, ext: Mapping[str, Any] | None = None,
                       priority: str | None = None, directed_users: list[str] | None = None) -> Ack:
        """priority: high | normal | low (Meta.ext chatroom_msg_tag 0 / 1 / 2); None sends no tag.
        directed_users: ROUTE_DIRECT to those members only (the SDK's `receiverList`)."""
        return self.send_meta(self._room_meta(room_id, m.text_content(text), ext, priority, directed_users))

    def must_send_room_text(self: Session, room_id: str, text: str, ext: Mapping[str, Any] | None = None,
                            priority: str | None = None, directed_users: list[str] | None = None) -> Sent:
        meta = self._room_meta(room_id, m.text_content(text), ext, priority, directed_users)
        return Sent.from_ack(self.must_send_meta(meta), meta, room_id, CHATROOM)

    def must_send_room_command(self: Session, room_id: str, action: str, ext: Mapping[str, Any] | None = None,
                               priority: str | None = None) -> Sent:
        meta = self._room_meta(room_id, m.command_content(action), ext, priority)
        return Sent.from_ack(self.must_send_meta(meta), meta, room_id, CHATROOM)
