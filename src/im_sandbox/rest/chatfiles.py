"""The file service: `POST /chatfiles` (multipart) and `GET /chatfiles/{uuid}` (docs/protocol/rest.md §3.3).

Uploads need a token (user or app) and answer `entities: [{uuid, type: "chatfile", share-secret,
file-metadata}]`; the Web SDK reads `file-metadata` for the file length and type. Downloads need no
token: a restricted file asks for its share-secret (header or query), as the SDK sends it. The
upload reader (`read_upload`) is shared with the group and room shared files.
"""
from __future__ import annotations

from aiohttp import web

from ..domain import files
from ..domain.files import FileError, Upload
from .envelope import RestError
from .routing import Auth, Call, RouteTable

routes = RouteTable()

FILE_FIELD = "file"
DEFAULT_TYPE = "application/octet-stream"


def file_error(exc: FileError) -> RestError:
    return RestError(exc.status, exc.error, exc.description)


def _bad_upload(description: str) -> RestError:
    return RestError(400, "illegal_argument", description)


def _int_field(raw: str) -> int | None:
    try:
        return int(raw)
    except ValueError:
        return None


async def read_upload(call: Call) -> Upload:
    """The `file` part of a multipart body (and the SDK's thumbnail-width/-height fields); 413 past the
    size limit without reading the rest into memory."""
    if not call.request.content_type.startswith("multipart/"):
        raise _bad_upload("the request must be multipart/form-data with a file part")
    limit = files.max_size(call.ctx)
    fields: dict[str, str] = {}
    found: Upload | None = None
    try:
        reader = await call.request.multipart()
        while (part := await reader.next()) is not None:
            if part.name == FILE_FIELD and found is None:
                data = bytearray()
                while chunk := await part.read_chunk(64 * 1024):
                    data += chunk
                    if len(data) > limit and not files.within_limit(call.ctx, len(data)):
                        raise file_error(files.too_large(limit))
                found = Upload(part.filename or FILE_FIELD, part.headers.get("Content-Type", DEFAULT_TYPE), bytes(data))
            elif part.name:
                fields[part.name] = (await part.text())[:64]
    except (ValueError, AssertionError) as exc:
        raise _bad_upload(f"the multipart body cannot be read: {exc}") from None
    if found is None:
        raise _bad_upload("the multipart body has no file part")
    return Upload(found.filename, found.content_type, found.data,
                  _int_field(fields.get("thumbnail-width", "")), _int_field(fields.get("thumbnail-height", "")))


def uploader(call: Call) -> str:
    return "admin" if call.is_app else call.token.username


def _truthy(value: str | None) -> bool:
    return value is not None and value.lower() in ("true", "1")


@routes.post("/chatfiles", auth=Auth.ANY)
async def upload(call: Call):
    # the presence of restrict-access counts, not its value (the service's own description)
    restricted = "restrict-access" in call.request.headers or _truthy(call.query.get("restrict-access"))
    try:
        record = files.store_upload(call.ctx, await read_upload(call), owner=uploader(call), restricted=restricted)
    except FileError as exc:
        raise file_error(exc) from None
    entity = {"uuid": record.uuid, "type": "chatfile", "share-secret": record.secret,
              "file-metadata": {"content-type": record.content_type, "content-length": record.size}}
    return call.ok("post", entities=[entity])


def wants_thumbnail(call: Call) -> bool:
    headers, query = call.request.headers, call.query
    return _truthy(headers.get("thumbnail")) or _truthy(query.get("thumbnail")) or _truthy(query.get("vframe"))


def file_response(call: Call, record, *, thumbnail: bool) -> web.Response:
    secret = call.request.headers.get("share-secret") or call.query.get("share-secret")
    try:
        data, content_type = files.download(call.ctx, record, secret=secret, thumbnail=thumbnail)
    except FileError as exc:
        raise file_error(exc) from None
    return web.Response(body=data, content_type=content_type.split(";")[0] or DEFAULT_TYPE)


@routes.get("/chatfiles/{uuid}", auth=Auth.NONE)
async def download(call: Call):
    try:
        record = files.find(call.ctx, call.arg("uuid"))
    except FileError as exc:
        raise file_error(exc) from None
    if record.shared:
        raise file_error(files.not_found())  # shared files are read through their group or room
    return file_response(call, record, thumbnail=wants_thumbnail(call))
