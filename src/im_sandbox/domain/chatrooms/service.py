"""Chatrooms: joining, leaving, kicking and destroying, with presence and its notifications.

Membership (store) says who belongs to a room; presence (presence.py) says who is there now.
JOIN over msync makes a user a member (if not yet) and present; LEAVE, a kick or the end of the
disconnect grace period make them absent and end the membership (the owner stays owner; an
allow-listed member keeps the membership when the grace period ends, docs/protocol/rest.md §6.1).

Counts: the join result's `member_count` and PRESENCE/ABSENCE `mucMemberCount` are the number of
users present now (lingering ones included). The REST member list (`affiliations_count`) also
holds members added by REST who never joined. On the real service the two converge because
offline members leave after two minutes.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from im_wire import pb

from ...faults import seam
from ...store.chatrooms import ALLOW, BLOCK, OWNER, Room
from ...store.files import shared_key
from . import errors
from .attributes import Attributes
from .budget import PriorityBudget
from .notify import Notifier
from .presence import PresenceRegistry
from .sending import RoomSender

if TYPE_CHECKING:
    from ..devices import Device
    from ..send_policy import SendPolicy
    from ..services import Services
    from ..traffic import TrafficControl

Op = pb.MUCBody


class Chatrooms:
    def __init__(self, ctx: "Services", send_policy: "SendPolicy", traffic: "TrafficControl"):
        self.ctx = ctx
        self.store = ctx.store.chatrooms
        self.presence = PresenceRegistry(ctx.loop, self._grace, self._grace_over)
        self.notify = Notifier(ctx, self.presence)
        self.budget = PriorityBudget()
        self.attributes = Attributes(ctx, self.notify)
        self.sender = RoomSender(ctx, self.presence, self.notify, self.budget, send_policy, traffic)

    # -- lookups -------------------------------------------------------------------------
    def room(self, room_id: str) -> Room:
        room = self.store.get(room_id)
        if room is None:
            raise errors.not_found(room_id)
        return room

    def new_room_id(self) -> str:
        return str(self.ctx.ids.next())

    def check_can_become_member(self, room: Room, user: str, adding: int = 1) -> None:
        """Refuse a new member: blocked, room full, or the user's joined-room limit reached."""
        store = self.store
        if store.in_list(room.id, BLOCK, user):
            raise errors.blocked(user)
        if store.member_count(room.id) + adding > room.maxusers:
            raise errors.full()
        if store.membership_count(user) >= self.ctx.app_config.get("chatroom_max_joined"):
            raise errors.too_many_joined(user)

    # -- join / leave ----------------------------------------------------------------------
    def join(self, conn: "Device", room_id: str, ext: str | None, leave_others: bool) -> dict:
        """JOIN (docs/protocol/msync.md §5.1): returns the chatroomInfo JSON object keyed by the user."""
        room = self.room(room_id)
        user = conn.user
        store = self.store
        if store.in_list(room_id, BLOCK, user):
            raise errors.blocked(user)
        is_member = store.role(room_id, user) is not None
        if not is_member and store.member_count(room_id) >= room.maxusers:
            raise errors.full()
        if leave_others:
            for other, _ in store.rooms_of(user):
                if other != room_id:
                    self.leave(other, user, why="leave_other_rooms")
        if not is_member:
            self.check_can_become_member(room, user)
            store.add_member(room_id, user)
        newly = self.presence.join(room_id, conn)
        count = self.presence.count(room_id)
        if newly:
            self.announce_presence(room_id, user, count, ext)
        self.ctx.events.emit("chatroom.joined", room=room_id, user=user, resource=conn.resource, present=count,
                             new_member=not is_member)
        return {user: self.join_info(room, user, count)}

    @seam("chatrooms.announce_presence")
    def announce_presence(self, room_id: str, user: str, count: int, ext: str | None) -> None:
        """PRESENCE to the others present: `user` joined, `count` users are present now."""
        self.notify.to_present(room_id, Op.PRESENCE, skip_user=user, operator=user, member_count=count, ext=ext)

    def join_info(self, room: Room, user: str, count: int) -> dict:
        mute_end = self.store.mute_end(room.id, user)
        return {"is_all_mute": room.mute_all, "create_timestamp": room.created,
                "is_in_white_list": self.store.in_list(room.id, ALLOW, user), "member_count": count,
                "mute_duration": mute_end or 0}

    def leave(self, room_id: str, user: str, *, why: str = "leave", keep_membership: bool = False) -> bool:
        """The user leaves: ABSENCE to those present, the membership ends (not the owner's), their
        auto-delete attributes go. Returns whether the user was a member."""
        was_present = self.end_presence(room_id, user, why)
        role = self.store.role(room_id, user)
        if role is not None and role != OWNER and not keep_membership:
            self.store.remove_member(room_id, user)
        if was_present:
            self.notify.to_present(room_id, Op.ABSENCE, operator=user,
                                   member_count=self.presence.count(room_id))
        if role is not None or was_present:
            self.attributes.owner_left(room_id, user)
            self.ctx.events.emit("chatroom.left", room=room_id, user=user, reason=why,
                                 present=self.presence.count(room_id))
        return role is not None

    @seam("chatrooms.end_presence")
    def end_presence(self, room_id: str, user: str, why: str) -> bool:
        """The user is no longer present (`why`: leave, kicked, disconnected …); True when they were."""
        return self.presence.remove(room_id, user)

    def kick(self, room_id: str, user: str, operator: str, why: str = "kicked") -> None:
        """Removed by an owner/admin/the app: KICK to the user's present devices, then leave."""
        self.notify.to_user(room_id, user, Op.KICK, operator=operator, to=[user])
        self.remove_kicked(room_id, user, why)

    @seam("chatrooms.remove_kicked")
    def remove_kicked(self, room_id: str, user: str, why: str) -> None:
        """A kicked (or blocked) user leaves the room."""
        self.leave(room_id, user, why=why)

    def destroy(self, room_id: str, operator: str) -> None:
        self.notify.to_present(room_id, Op.DESTROY, operator=operator)
        self.presence.drop_room(room_id)
        self.budget.forget(room_id)
        self.store.delete(room_id)
        for uuid in self.ctx.store.files.delete_shared(shared_key("room", room_id)):
            self.ctx.events.emit("chatroom.file_deleted", room=room_id, file=uuid, operator=operator, why="destroyed")
        self.ctx.events.emit("chatroom.destroyed", room=room_id, operator=operator)

    # -- disconnects -----------------------------------------------------------------------
    def on_disconnect(self, conn: "Device") -> None:
        self.presence.disconnected(conn)

    def _grace(self) -> float:
        return float(self.ctx.app_config.get("chatroom_leave_grace"))

    def _grace_over(self, room_id: str, user: str) -> None:
        if self.store.get(room_id) is None:
            self.presence.remove(room_id, user)
            return
        self.leave(room_id, user, why="disconnected",
                   keep_membership=self.store.in_list(room_id, ALLOW, user))
