"""Table definitions. Later features add their own tables here (and bump SCHEMA_VERSION)."""

SCHEMA_VERSION = 2

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

-- per-app settings that differ from their defaults (im_sandbox/appconfig.py declares them all)
CREATE TABLE IF NOT EXISTS app_config (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL                  -- JSON
) WITHOUT ROWID;
"""
