"""The file service behind media messages and shared files (docs/protocol/rest.md §3.3).

    record = store_upload(ctx, upload, owner="alice", restricted=True)   # FileError when too large
    data, content_type = download(ctx, record, secret="...", thumbnail=True)  # FileError when refused

An upload keeps the bytes as a real file in the data dir. Every upload gets a share-secret; only a
restricted upload (the `restrict-access` header) asks downloads to present it (header `share-secret`
or the `share-secret` query parameter the SDK appends to a received message's URL). An image
(anything Pillow can read) also gets a thumbnail that fits the requested box (`thumbnail-width` /
`thumbnail-height`, default 170 × 170) and is served for `thumbnail: true` (header or query) and the
video frame `vframe=true`; other files serve themselves there.
"""
from __future__ import annotations

import io
import logging
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PIL import Image, UnidentifiedImageError

from ..faults import seam
from ..ids import new_uuid, now_ms
from ..store.files import FileRecord

if TYPE_CHECKING:
    from .services import Services

log = logging.getLogger(__name__)

THUMBNAIL_BOX = 170  # px, each side, when the upload names no size
MAX_THUMBNAIL_SIDE = 2048


class FileError(Exception):
    """A refused upload or download: HTTP status, error, description (the service's error shape)."""

    def __init__(self, status: int, error: str, description: str):
        super().__init__(description)
        self.status, self.error, self.description = status, error, description


def not_found() -> FileError:
    return FileError(404, "entity_not_found", "file may not exists")


def no_permission() -> FileError:
    # the Web SDK tells this 403 apart by its description (WEBIM_DOWNLOADFILE_ERROR_NO_PERMISSION)
    return FileError(403, "forbidden_op", "chatfile no permission")


def too_large(limit: int) -> FileError:
    return FileError(413, "file_too_large", f"file size exceeds the limit of {limit} bytes")


@dataclass(frozen=True)
class Upload:
    filename: str
    content_type: str
    data: bytes
    thumbnail_width: int | None = None
    thumbnail_height: int | None = None


def max_size(ctx: "Services") -> int:
    return ctx.app_config.get("chatfile_max_size")


@seam("files.within_limit")
def within_limit(ctx: "Services", size: int) -> bool:
    return size <= max_size(ctx)


@seam("files.thumbnail")
def thumbnail(ctx: "Services", upload: Upload) -> bytes | None:
    """A smaller copy of an image upload (same format), or None when it is not an image."""
    box = (_side(upload.thumbnail_width), _side(upload.thumbnail_height))
    try:
        with Image.open(io.BytesIO(upload.data)) as image:
            fmt = image.format
            image.thumbnail(box)
            out = io.BytesIO()
            if fmt == "JPEG" and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            image.save(out, format=fmt)
            return out.getvalue()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None


def _side(value: int | None) -> int:
    if value is None or value <= 0:
        return THUMBNAIL_BOX
    return min(value, MAX_THUMBNAIL_SIDE)


def store_upload(ctx: "Services", upload: Upload, *, owner: str, restricted: bool, shared: str = "") -> FileRecord:
    if not within_limit(ctx, len(upload.data)):
        raise too_large(max_size(ctx))
    thumb = thumbnail(ctx, upload)
    record = FileRecord(uuid=new_uuid(), owner=owner, secret=secrets.token_urlsafe(32), restricted=restricted,
                        filename=upload.filename, content_type=upload.content_type, size=len(upload.data),
                        thumb_size=len(thumb) if thumb is not None else 0, shared=shared, created=now_ms())
    ctx.store.files.put(record, upload.data, thumb)
    ctx.events.emit("chatfile.stored", uuid=record.uuid, owner=owner, size=record.size,
                    thumbnail=record.thumb_size, restricted=restricted, shared=shared)
    return record


@seam("files.secret_ok")
def secret_ok(ctx: "Services", record: FileRecord, secret: str | None) -> bool:
    return not record.restricted or (secret is not None and secrets.compare_digest(secret, record.secret))


def find(ctx: "Services", uuid: str) -> FileRecord:
    record = ctx.store.files.get(uuid)
    if record is None:
        raise not_found()
    return record


def download(ctx: "Services", record: FileRecord, *, secret: str | None, thumbnail: bool = False) -> tuple[bytes, str]:
    if not secret_ok(ctx, record, secret):
        raise no_permission()
    try:
        return ctx.store.files.read(record, thumbnail=thumbnail and record.thumb_size > 0), record.content_type
    except FileNotFoundError:
        log.warning("chat file %s is recorded but its bytes are gone", record.uuid)
        raise not_found() from None
