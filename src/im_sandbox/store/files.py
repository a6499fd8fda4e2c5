"""Chat files: one row per upload in SQLite, the bytes as real files under `<data dir>/chatfiles/`.

    files.put(record, data, thumbnail)      # writes <uuid> (and <uuid>.thumb) before the row
    files.get(uuid)                         # FileRecord | None
    files.read(record, thumbnail=False)     # the stored bytes
    files.shared_with("group:123")          # a group's (or room's) shared files, oldest first
    files.delete(uuid)                      # the row and its files
    files.delete_shared("group:123")        # every shared file of a destroyed group (or room)
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .db import Database

_COLUMNS = "uuid, owner, secret, restricted, filename, content_type, size, thumb_size, shared, created"


@dataclass(frozen=True)
class FileRecord:
    uuid: str
    owner: str
    secret: str  # the share-secret
    restricted: bool  # downloads must present the share-secret
    filename: str
    content_type: str
    size: int
    thumb_size: int  # 0 = no thumbnail
    shared: str  # '' (message attachment), 'group:<id>' or 'room:<id>'
    created: int


def shared_key(kind: str, holder_id: str) -> str:
    """FileRecord.shared of a file shared with a group (kind "group") or a room ("room")."""
    return f"{kind}:{holder_id}"


def _record(row: tuple) -> FileRecord:
    return FileRecord(row[0], row[1], row[2], bool(row[3]), *row[4:])


class FileStore:
    def __init__(self, db: Database, root: Path):
        self.db = db
        self.root = root
        root.mkdir(parents=True, exist_ok=True)

    def path(self, uuid: str, thumbnail: bool = False) -> Path:
        return self.root / (f"{uuid}.thumb" if thumbnail else uuid)

    def put(self, record: FileRecord, data: bytes, thumbnail: bytes | None = None) -> None:
        self.path(record.uuid).write_bytes(data)
        if thumbnail is not None:
            self.path(record.uuid, thumbnail=True).write_bytes(thumbnail)
        self.db.write(f"INSERT INTO chat_files ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      (record.uuid, record.owner, record.secret, int(record.restricted), record.filename, record.content_type,
                       record.size, record.thumb_size, record.shared, record.created))

    def get(self, uuid: str) -> FileRecord | None:
        row = self.db.one(f"SELECT {_COLUMNS} FROM chat_files WHERE uuid = ?", (uuid,))
        return None if row is None else _record(row)

    def read(self, record: FileRecord, thumbnail: bool = False) -> bytes:
        return self.path(record.uuid, thumbnail).read_bytes()

    def shared_with(self, shared: str, limit: int = 1000, offset: int = 0) -> list[FileRecord]:
        rows = self.db.all(f"SELECT {_COLUMNS} FROM chat_files WHERE shared = ? ORDER BY created, uuid"
                           " LIMIT ? OFFSET ?", (shared, limit, offset))
        return [_record(row) for row in rows]

    def delete(self, uuid: str) -> bool:
        gone = self.db.write("DELETE FROM chat_files WHERE uuid = ?", (uuid,)) > 0
        for thumbnail in (False, True):
            self.path(uuid, thumbnail).unlink(missing_ok=True)
        return gone

    def delete_shared(self, shared: str) -> list[str]:
        """Every file shared with `shared`, rows and bytes; the uuids deleted."""
        uuids = [r[0] for r in self.db.all("SELECT uuid FROM chat_files WHERE shared = ?", (shared,))]
        for uuid in uuids:
            self.delete(uuid)
        return uuids

    def usage(self) -> tuple[int, int]:
        """(files, bytes on disk) of every stored upload, thumbnails included."""
        count, size, thumbs = self.db.one("SELECT COUNT(*), COALESCE(SUM(size), 0), COALESCE(SUM(thumb_size), 0)"
                                          " FROM chat_files")
        return count, size + thumbs
