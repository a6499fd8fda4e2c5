"""Client: a Session with the feature actions mixed in. This is what tests and load users hold."""
from __future__ import annotations

from .chat import ChatMixin
from .chatroom import ChatroomMixin
from .edit import EditMixin
from .groupchat import GroupChatMixin
from .media import MediaMixin
from .recall import RecallMixin
from .roster import RosterMixin
from .session import Session


class Client(ChatMixin, RecallMixin, EditMixin, GroupChatMixin, ChatroomMixin, RosterMixin, MediaMixin, Session):
    """A logged-in device of one user."""

    def __repr__(self) -> str:
        state = "closed" if self.closed else "open"
        return f"<Client {self.name}/{self.resource} over {self.transport_name} {state}>"
