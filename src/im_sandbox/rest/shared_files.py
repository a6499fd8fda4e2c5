"""Group and chatroom shared files (`/chatgroups/{g}/share_files`, `/chatrooms/{r}/share_files`), kept by the
file service of chatfiles.py (docs/protocol/rest.md §5.4, §6.4).

Members (and the app) upload, list and download; the uploader, the owner, the admins and the app
delete. An upload tells the other members UPLOAD_FILE, a delete DELETE_FILE (groups: every member's
devices but the calling one; rooms: the members present, the caller excepted). Destroying the group or
room deletes its files (rule `shared-files-end-with-their-holder`; group_actions.destroy, Chatrooms.destroy).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from im_wire import pb

from ..domain import files, group_notify
from ..faults import seam
from ..domain.files import FileError
from ..store.chatrooms import ADMIN as ROOM_ADMIN
from ..store.chatrooms import OWNER as ROOM_OWNER
from ..store.files import FileRecord, shared_key
from ..store.groups import ADMIN as GROUP_ADMIN
from ..store.groups import OWNER as GROUP_OWNER
from .chatfiles import file_error, file_response, read_upload, uploader
from .chatroom_access import room_of
from .envelope import RestError
from .group_common import actor, existing_group
from .routing import Auth, Call, RouteTable

routes = RouteTable()

Op = pb.MUCBody
DEFAULT_PAGE_SIZE = 10
MAX_PAGE_SIZE = 1000


@dataclass(frozen=True)
class Holder:
    """The group or room whose shared files a call is about."""

    kind: str  # "group" | "room"
    id: str
    role: Callable[[str], str | None]  # member's role, None for a stranger
    notify: Callable[[int, Call], None]

    @property
    def shared(self) -> str:
        return shared_key(self.kind, self.id)

    @property
    def id_key(self) -> str:
        return "group_id" if self.kind == "group" else "chatroom_id"

    @property
    def event(self) -> str:
        """The event log's prefix for this kind: group.… or chatroom.…"""
        return "group" if self.kind == "group" else "chatroom"

    @property
    def moderators(self) -> tuple[str, ...]:
        return (GROUP_OWNER, GROUP_ADMIN) if self.kind == "group" else (ROOM_OWNER, ROOM_ADMIN)


def _group(call: Call) -> Holder:
    group = existing_group(call)

    def notify(operation: int, c: Call) -> None:
        who = actor(c)
        group_notify.muc(c.ctx, group.id, operation, list(group.members), operator=who.operator, name=group.name,
                         skip=who.skip)

    return Holder("group", group.id, group.role, notify)


def _room(call: Call) -> Holder:
    room = room_of(call)
    store = call.ctx.store.chatrooms

    def notify(operation: int, c: Call) -> None:
        who = uploader(c)
        c.ctx.chatrooms.notify.to_present(room.id, operation, operator=who, skip_user=who)

    return Holder("room", room.id, lambda user: store.role(room.id, user), notify)


def _forbidden(holder: Holder, call: Call, what: str) -> RestError:
    return RestError(403, "forbidden_op", f"user: {uploader(call)} has no permission to {what} the shared files"
                                          f" of {holder.kind}: {holder.id}")


def _require_member(holder: Holder, call: Call, what: str) -> None:
    if not call.is_app and holder.role(call.token.username) is None:
        raise _forbidden(holder, call, what)


def _file_of(holder: Holder, call: Call) -> FileRecord:
    record = call.ctx.store.files.get(call.arg("file_id"))
    if record is None or record.shared != holder.shared:
        raise file_error(files.not_found())
    return record


def _url(call: Call, holder: Holder, record: FileRecord) -> str:
    base = "chatgroups" if holder.kind == "group" else "chatrooms"
    config = call.ctx.config
    return f"{call.request.scheme}://{call.request.host}/{config.org}/{config.app}/{base}/{holder.id}/share_files/{record.uuid}"


def _listing(record: FileRecord) -> dict:
    return {"file_id": record.uuid, "file_name": record.filename, "file_owner": record.owner,
            "file_size": record.size, "created": record.created}


async def _upload(call: Call, holder: Holder):
    _require_member(holder, call, "upload")
    try:
        record = files.store_upload(call.ctx, await read_upload(call), owner=uploader(call), restricted=False,
                                    shared=holder.shared)
    except FileError as exc:
        raise file_error(exc) from None
    holder.notify(Op.UPLOAD_FILE, call)
    call.ctx.events.emit(f"{holder.event}.file_shared", **{holder.kind: holder.id}, file=record.uuid,
                         owner=record.owner, size=record.size)
    return call.ok("post", entities=[], data={"file_url": _url(call, holder, record), holder.id_key: holder.id,
                                              "file_name": record.filename, "created": record.created,
                                              "file_id": record.uuid, "file_size": record.size})


def _page(call: Call) -> tuple[int, int]:
    try:
        num = max(1, int(call.query.get("pagenum", 1)))
        size = min(MAX_PAGE_SIZE, max(1, int(call.query.get("pagesize", DEFAULT_PAGE_SIZE))))
    except ValueError:
        raise RestError(400, "illegal_argument", "pagenum and pagesize must be numbers") from None
    return num, size


async def _list(call: Call, holder: Holder):
    _require_member(holder, call, "list")
    num, size = _page(call)
    records = call.ctx.store.files.shared_with(holder.shared, limit=size, offset=(num - 1) * size)
    return call.ok("get", entities=[], data=[_listing(r) for r in records], count=len(records))


async def _download(call: Call, holder: Holder):
    _require_member(holder, call, "download")
    return file_response(call, _file_of(holder, call), thumbnail=False)


async def _delete(call: Call, holder: Holder):
    record = _file_of(holder, call)
    if not call.is_app:
        user = call.token.username
        if user != record.owner and holder.role(user) not in holder.moderators:
            raise _forbidden(holder, call, "delete")
    deleted = delete_shared(call.ctx, record)
    if deleted:
        holder.notify(Op.DELETE_FILE, call)
    call.ctx.events.emit(f"{holder.event}.file_deleted", **{holder.kind: holder.id}, file=record.uuid,
                         operator=uploader(call))
    return call.ok("delete", entities=[], data={holder.id_key: holder.id, "file_id": record.uuid, "result": True})


@seam("files.delete_shared")
def delete_shared(ctx, record: FileRecord) -> bool:
    return ctx.store.files.delete(record.uuid)


# -- groups -----------------------------------------------------------------------------------
GROUP_FILES = "/chatgroups/{group_id}/share_files"
ROOM_FILES = "/chatrooms/{room_id:[0-9]+}/share_files"


@routes.post(GROUP_FILES, auth=Auth.ANY)
async def group_upload(call: Call):
    return await _upload(call, _group(call))


@routes.get(GROUP_FILES, auth=Auth.ANY)
async def group_list(call: Call):
    return await _list(call, _group(call))


@routes.get(GROUP_FILES + "/{file_id}", auth=Auth.ANY)
async def group_download(call: Call):
    return await _download(call, _group(call))


@routes.delete(GROUP_FILES + "/{file_id}", auth=Auth.ANY)
async def group_delete(call: Call):
    return await _delete(call, _group(call))


# -- chatrooms --------------------------------------------------------------------------------
@routes.post(ROOM_FILES, auth=Auth.ANY)
async def room_upload(call: Call):
    return await _upload(call, _room(call))


@routes.get(ROOM_FILES, auth=Auth.ANY)
async def room_list(call: Call):
    return await _list(call, _room(call))


@routes.get(ROOM_FILES + "/{file_id}", auth=Auth.ANY)
async def room_download(call: Call):
    return await _download(call, _room(call))


@routes.delete(ROOM_FILES + "/{file_id}", auth=Auth.ANY)
async def room_delete(call: Call):
    return await _delete(call, _room(call))
