"""Persistence: one SQLite file in the data dir, one repository class per table family."""
from __future__ import annotations

from pathlib import Path

from .chatroom_attrs import ChatroomAttrStore
from .chatrooms import ChatroomStore
from .contacts import ContactStore
from .conversations import ConversationStore
from .db import Database
from .devices import DeviceStore
from .files import FileStore
from .group_member_attrs import GroupMemberAttrStore
from .groups import GroupStore
from .messages import PENDING, MessageStore, StoredMessage
from .mutes import MuteStore
from .reactions import ReactionStore
from .recalls import RecallStore
from .roaming import RoamingStore
from .offline_limit import OfflineLimit
from .presence import PresenceStore
from .push_settings import PushSettingsStore
from .threads import ThreadStore
from .tokens import APP, USER, Token, TokenStore
from .user_attrs import UserAttrStore
from .users import User, UserStore, check_password, hash_password

DB_FILE = "sandbox.db"
FILES_DIR = "chatfiles"  # the bytes of uploaded chat files (store/files.py)


class Store:
    def __init__(self, data_dir: Path):
        self.db = Database(data_dir / DB_FILE)
        self.users = UserStore(self.db)
        self.tokens = TokenStore(self.db)
        self.devices = DeviceStore(self.db)
        self.messages = MessageStore(self.db)
        self.mutes = MuteStore(self.db)
        self.reactions = ReactionStore(self.db)
        self.recalls = RecallStore(self.db)
        self.groups = GroupStore(self.db)
        self.group_member_attrs = GroupMemberAttrStore(self.db)
        self.threads = ThreadStore(self.db)
        self.offline_limit = OfflineLimit(self.db)
        self.roaming = RoamingStore(self.db)
        self.chatrooms = ChatroomStore(self.db)
        self.chatroom_attrs = ChatroomAttrStore(self.db)
        self.contacts = ContactStore(self.db)
        self.user_attrs = UserAttrStore(self.db)
        self.presence = PresenceStore(self.db)
        self.files = FileStore(self.db, data_dir / FILES_DIR)
        self.conversations = ConversationStore(self.db)
        self.push_settings = PushSettingsStore(self.db)

    def delete_user(self, username: str) -> None:
        """Remove a user and everything owned by it (messages they sent stay in history). Its groups
        and rooms are ended or left afterwards, with their notifications, by rest/user_deletion.py."""
        self.users.delete(username)
        self.tokens.delete_user(username)
        self.devices.delete_user(username)
        self.messages.delete_owner(username)
        self.mutes.delete_user(username)
        self.roaming.delete_owner(username)
        self.contacts.delete_user(username)
        self.user_attrs.delete_user(username)
        self.presence.delete_user(username)
        self.conversations.delete_user(username)
        self.push_settings.delete_user(username)

    def commit(self) -> None:
        self.db.commit()

    def close(self) -> None:
        self.db.close()


__all__ = [
    "APP", "USER", "PENDING", "Store", "Database", "User", "Token", "StoredMessage",
    "UserStore", "TokenStore", "DeviceStore", "MessageStore", "check_password", "hash_password",
]
