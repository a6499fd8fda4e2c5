"""Table definitions. Later features add their own tables here (and bump SCHEMA_VERSION)."""

SCHEMA_VERSION = 6

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    username  TEXT PRIMARY KEY,          -- lower-cased
    uuid      TEXT NOT NULL UNIQUE,
    password  TEXT NOT NULL,             -- salt$sha256(salt+password)
    nickname  TEXT,
    created   INTEGER NOT NULL,
    modified  INTEGER NOT NULL,
    activated INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE IF NOT EXISTS tokens (
    token    TEXT PRIMARY KEY,
    kind     TEXT NOT NULL,              -- 'app' | 'user'
    username TEXT,                       -- user tokens only
    created  INTEGER NOT NULL,
    expires  INTEGER NOT NULL,           -- epoch ms; 0 = never
    revoked  INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS tokens_by_user ON tokens(username) WHERE username IS NOT NULL;

-- a device is "known" once it has provisioned successfully
CREATE TABLE IF NOT EXISTS devices (
    username    TEXT NOT NULL,
    resource    TEXT NOT NULL,
    device_uuid TEXT,
    device_name TEXT,
    os_type     INTEGER,
    first_seen  INTEGER NOT NULL,
    last_seen   INTEGER NOT NULL,
    PRIMARY KEY (username, resource)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS messages (
    id         INTEGER PRIMARY KEY,      -- server id (= downstream Meta.id)
    sender     TEXT NOT NULL,
    sender_res TEXT,
    recipient  TEXT NOT NULL,            -- user name or group/room id
    chat_type  INTEGER NOT NULL,         -- MessageBody.Type
    meta       BLOB NOT NULL,            -- the rewritten downstream Meta
    ts         INTEGER NOT NULL
);

-- what each device still has to pull; device '' = pending bucket of a user with no known device
CREATE TABLE IF NOT EXISTS queue_items (
    owner  TEXT NOT NULL,
    device TEXT NOT NULL,
    qkey   TEXT NOT NULL,
    msg_id INTEGER NOT NULL,
    PRIMARY KEY (owner, device, qkey, msg_id)
) WITHOUT ROWID;

-- per-app settings that differ from their defaults (im_wire/settings.py declares them all, store/app_config.py keeps them)
CREATE TABLE IF NOT EXISTS app_config (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL                  -- JSON
) WITHOUT ROWID;

-- groups (docs/protocol/rest.md §5.1); booleans are 0/1, times epoch ms
CREATE TABLE IF NOT EXISTS groups (
    id                  TEXT PRIMARY KEY,    -- numeric string
    owner               TEXT NOT NULL,
    created             INTEGER NOT NULL,
    modified            INTEGER NOT NULL,
    name                TEXT NOT NULL DEFAULT '',
    description         TEXT NOT NULL DEFAULT '',
    avatar              TEXT NOT NULL DEFAULT '',
    public              INTEGER NOT NULL,
    membersonly         INTEGER NOT NULL,    -- joining a public group needs approval
    allowinvites        INTEGER NOT NULL,    -- members may invite
    invite_need_confirm INTEGER NOT NULL,
    maxusers            INTEGER NOT NULL,
    custom              TEXT NOT NULL DEFAULT '',
    mute_all            INTEGER NOT NULL DEFAULT 0,
    announcement        TEXT NOT NULL DEFAULT '',
    disabled            INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS group_members (
    group_id TEXT NOT NULL,
    username TEXT NOT NULL,
    role     TEXT NOT NULL,                  -- owner | admin | member
    joined   INTEGER NOT NULL,
    PRIMARY KEY (group_id, username)
);
CREATE INDEX IF NOT EXISTS group_members_by_user ON group_members(username);

CREATE TABLE IF NOT EXISTS group_mutes (
    group_id TEXT NOT NULL,
    username TEXT NOT NULL,
    expire   INTEGER NOT NULL,               -- epoch ms; -1 = until unmuted
    PRIMARY KEY (group_id, username)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS group_allow (
    group_id TEXT NOT NULL,
    username TEXT NOT NULL,
    PRIMARY KEY (group_id, username)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS group_blocks (
    group_id TEXT NOT NULL,
    username TEXT NOT NULL,
    PRIMARY KEY (group_id, username)
) WITHOUT ROWID;

-- pending invitations (kind 'invite', origin = inviter) and applications (kind 'apply')
CREATE TABLE IF NOT EXISTS group_requests (
    group_id TEXT NOT NULL,
    username TEXT NOT NULL,
    kind     TEXT NOT NULL,
    origin   TEXT NOT NULL,
    reason   TEXT NOT NULL DEFAULT '',
    created  INTEGER NOT NULL,
    PRIMARY KEY (group_id, username, kind)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS group_read_acks (
    group_id TEXT NOT NULL,
    msg_id   INTEGER NOT NULL,
    username TEXT NOT NULL,
    ts       INTEGER NOT NULL,
    PRIMARY KEY (msg_id, username)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS group_read_acks_by_group ON group_read_acks(group_id);

-- members who block a group's messages for themselves (`/chatgroups/{g}/shield`)
CREATE TABLE IF NOT EXISTS group_shields (
    group_id TEXT NOT NULL,
    username TEXT NOT NULL,
    PRIMARY KEY (group_id, username)
) WITHOUT ROWID;

-- group member attributes (`/metadata/chatgroup/{g}/user/{u}`): string values per member
CREATE TABLE IF NOT EXISTS group_member_attrs (
    group_id TEXT NOT NULL,
    username TEXT NOT NULL,
    key      TEXT NOT NULL,
    value    TEXT NOT NULL,
    PRIMARY KEY (group_id, username, key)
) WITHOUT ROWID;

-- threads of groups (docs/protocol/rest.md §5.3)
CREATE TABLE IF NOT EXISTS threads (
    id            TEXT PRIMARY KEY,
    group_id      TEXT NOT NULL,
    name          TEXT NOT NULL,
    owner         TEXT NOT NULL,
    msg_id        TEXT NOT NULL UNIQUE,      -- parent group message
    created       INTEGER NOT NULL,
    modified      INTEGER NOT NULL,
    message_count INTEGER NOT NULL DEFAULT 0,
    last_msg_id   INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS threads_by_group ON threads(group_id);

CREATE TABLE IF NOT EXISTS thread_members (
    thread_id TEXT NOT NULL,
    username  TEXT NOT NULL,
    joined    INTEGER NOT NULL,
    PRIMARY KEY (thread_id, username)
);
CREATE INDEX IF NOT EXISTS thread_members_by_user ON thread_members(username);

-- global (app-level) user mutes, one row per (user, scope) while it lasts (store/mutes.py)
CREATE TABLE IF NOT EXISTS mutes (
    username TEXT NOT NULL,
    scope    TEXT NOT NULL,              -- chat | groupchat | chatroom
    until_ms INTEGER NOT NULL,           -- epoch ms the mute ends; -1 = permanent
    created  INTEGER NOT NULL,
    PRIMARY KEY (username, scope)
) WITHOUT ROWID;

-- message reactions; n orders them (store/reactions.py)
CREATE TABLE IF NOT EXISTS reactions (
    n        INTEGER PRIMARY KEY,
    msg_id   INTEGER NOT NULL,
    reaction TEXT NOT NULL,
    username TEXT NOT NULL,
    created  INTEGER NOT NULL,
    UNIQUE (msg_id, reaction, username)
);

-- recalled messages (the originals are deleted from messages; store/recalls.py)
CREATE TABLE IF NOT EXISTS recalls (
    msg_id      INTEGER PRIMARY KEY,
    sender      TEXT NOT NULL,
    recipient   TEXT NOT NULL,
    chat_type   INTEGER NOT NULL,
    recalled_by TEXT NOT NULL,
    ts          INTEGER NOT NULL
);

-- roaming history (store/roaming.py): read from messages, minus one-way deletes (docs/protocol/rest.md §3.9)
CREATE INDEX IF NOT EXISTS messages_by_recipient ON messages(recipient, id);
CREATE TABLE IF NOT EXISTS roaming_deleted (
    owner  TEXT NOT NULL,                -- whose history
    msg_id INTEGER NOT NULL,
    PRIMARY KEY (owner, msg_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS roaming_cleared (
    owner  TEXT NOT NULL,
    conv   TEXT NOT NULL,                -- peer user, '<id>@conference.easemob.com', or '*' = all
    before INTEGER NOT NULL,             -- epoch ms: messages with ts <= before are gone
    PRIMARY KEY (owner, conv)
) WITHOUT ROWID;

-- chatrooms (docs/protocol/rest.md §6; store/chatrooms.py): rooms, members with their role, per-room user lists
CREATE TABLE IF NOT EXISTS chatrooms (
    id           TEXT PRIMARY KEY,       -- numeric string
    name         TEXT NOT NULL,
    description  TEXT NOT NULL,
    owner        TEXT NOT NULL,
    maxusers     INTEGER NOT NULL,
    custom       TEXT NOT NULL DEFAULT '',
    announcement TEXT NOT NULL DEFAULT '',
    mute_all     INTEGER NOT NULL DEFAULT 0,
    created      INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS chatroom_members (
    room_id  TEXT NOT NULL,
    username TEXT NOT NULL,
    role     TEXT NOT NULL,              -- owner | admin | member
    joined   INTEGER NOT NULL,
    PRIMARY KEY (room_id, username)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS chatroom_members_by_user ON chatroom_members(username);
-- list: block | allow | mute; expire (mute only): epoch ms, -1 = permanent
CREATE TABLE IF NOT EXISTS chatroom_user_lists (
    room_id  TEXT NOT NULL,
    list     TEXT NOT NULL,
    username TEXT NOT NULL,
    expire   INTEGER NOT NULL DEFAULT 0,
    created  INTEGER NOT NULL,
    PRIMARY KEY (room_id, list, username)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS chatroom_super_admins (
    username TEXT PRIMARY KEY,
    created  INTEGER NOT NULL
) WITHOUT ROWID;
-- chatroom attributes (docs/protocol/rest.md §6.3; store/chatroom_attrs.py)
CREATE TABLE IF NOT EXISTS chatroom_attributes (
    room_id     TEXT NOT NULL,
    key         TEXT NOT NULL,
    value       TEXT NOT NULL,
    owner       TEXT NOT NULL,
    auto_delete INTEGER NOT NULL,        -- 1: removed when the owner leaves the room
    updated     INTEGER NOT NULL,
    PRIMARY KEY (room_id, key)
) WITHOUT ROWID;
-- contacts (store/contacts.py): one row per direction of a friendship, pending applications,
-- and each user's block list
CREATE TABLE IF NOT EXISTS contacts (
    owner   TEXT NOT NULL,
    contact TEXT NOT NULL,
    remark  TEXT NOT NULL DEFAULT '',
    created INTEGER NOT NULL,
    PRIMARY KEY (owner, contact)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS contact_requests (
    applicant TEXT NOT NULL,
    invitee   TEXT NOT NULL,
    reason    TEXT NOT NULL DEFAULT '',
    created   INTEGER NOT NULL,
    PRIMARY KEY (applicant, invitee)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS contact_requests_by_invitee ON contact_requests(invitee);
CREATE TABLE IF NOT EXISTS user_blocks (
    owner   TEXT NOT NULL,
    blocked TEXT NOT NULL,
    created INTEGER NOT NULL,
    PRIMARY KEY (owner, blocked)
) WITHOUT ROWID;
-- user attributes (docs/protocol/rest.md §10.1 /metadata/user; store/user_attrs.py)
CREATE TABLE IF NOT EXISTS user_attributes (
    username TEXT NOT NULL,
    key      TEXT NOT NULL,
    value    TEXT NOT NULL,
    PRIMARY KEY (username, key)
) WITHOUT ROWID;
-- presence (store/presence.py): each device's published status, and who subscribed to whom until when
CREATE TABLE IF NOT EXISTS presence_status (
    username  TEXT NOT NULL,
    resource  TEXT NOT NULL,
    status    INTEGER NOT NULL,
    ext       TEXT NOT NULL DEFAULT '',
    updated   INTEGER NOT NULL,          -- epoch ms
    PRIMARY KEY (username, resource)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS presence_subscriptions (
    subscriber TEXT NOT NULL,
    target     TEXT NOT NULL,
    until_ms   INTEGER NOT NULL,         -- epoch ms the subscription ends
    PRIMARY KEY (subscriber, target)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS presence_subscriptions_by_target ON presence_subscriptions(target);
-- chat files (docs/protocol/rest.md §3.3; store/files.py): the bytes live under the data dir's
-- chatfiles/, one file per upload (and one per thumbnail); shared = '' (a message attachment),
-- 'group:<id>' or 'room:<id>' (a group's or room's shared file)
CREATE TABLE IF NOT EXISTS chat_files (
    uuid         TEXT PRIMARY KEY,
    owner        TEXT NOT NULL,          -- uploader ('admin' for the app token)
    secret       TEXT NOT NULL,          -- share-secret (always made; checked only when restricted)
    restricted   INTEGER NOT NULL,       -- uploaded with the restrict-access header
    filename     TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    thumb_size   INTEGER NOT NULL DEFAULT 0,  -- 0: no thumbnail stored
    shared       TEXT NOT NULL DEFAULT '',
    created      INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS chat_files_by_shared ON chat_files(shared, created) WHERE shared != '';
-- a chatroom member's tags (PUT /chatrooms/{r}/users/{u}/tag); they end when the member leaves
CREATE TABLE IF NOT EXISTS chatroom_member_tags (
    room_id  TEXT NOT NULL,
    username TEXT NOT NULL,
    tag      TEXT NOT NULL,
    PRIMARY KEY (room_id, username, tag)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS chatroom_member_tags_by_tag ON chatroom_member_tags(room_id, tag);
-- conversations (store/conversations.py): one user's own state of one conversation; the rest (last
-- message, unread count) is read from `messages`, so a message, a recall or a one-way delete shows at once
CREATE TABLE IF NOT EXISTS conversation_state (
    owner      TEXT NOT NULL,
    conv       TEXT NOT NULL,            -- peer user, or '<group id>@conference.easemob.com'
    read_upto  INTEGER NOT NULL DEFAULT 0,  -- CHANNEL_ACK: the peer's messages up to this id are read
    deleted_at INTEGER NOT NULL DEFAULT 0,  -- epoch ms of a delete: older messages are not in the list
    pinned_at  INTEGER NOT NULL DEFAULT 0,  -- epoch ms; 0 = not pinned
    marks      TEXT NOT NULL DEFAULT '',    -- comma-separated mark names (mark_0 .. mark_19)
    PRIMARY KEY (owner, conv)
) WITHOUT ROWID;
-- pinned messages: shared by both sides of a 1:1 conversation ('a|b', sorted) or by a group ('<id>@conference…')
CREATE TABLE IF NOT EXISTS pinned_messages (
    conv_key  TEXT NOT NULL,
    msg_id    INTEGER NOT NULL,
    operator  TEXT NOT NULL,
    pinned_at INTEGER NOT NULL,
    PRIMARY KEY (conv_key, msg_id)
) WITHOUT ROWID;
-- do-not-disturb (store/push_settings.py): scope 'all' (target '') or 'user' / 'chatgroup' + target
CREATE TABLE IF NOT EXISTS silent_modes (
    username        TEXT NOT NULL,
    scope           TEXT NOT NULL,
    target          TEXT NOT NULL,
    remind_type     TEXT,                -- ALL | AT | NONE
    ignore_until    INTEGER,             -- epoch ms the duration ends
    ignore_interval TEXT,                -- 'H:M-H:M'
    PRIMARY KEY (username, scope, target)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS push_languages (
    username TEXT PRIMARY KEY,
    language TEXT NOT NULL
) WITHOUT ROWID;
"""
