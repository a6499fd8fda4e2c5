"""Files through the Web SDK: media messages it uploads and sends, shared files it uploads and downloads.

    sent = must_send_media(conn, "img", bob.name, jpeg_bytes, "cat.jpg", "image/jpeg", width=640, height=480)
    data = shared_upload(conn, "uploadGroupSharedFile", groupId=gid, data=b"...", name="a.txt")
    data = shared_download(conn, "downloadGroupSharedFile", groupId=gid, fileId=fid)

A file goes to the driver as `{"$file": base64, name, type}`; the driver hands the SDK the file
object a browser's file input gives it (`{data: File, filename, filetype}`), so the SDK runs its
own upload (`POST /chatfiles` with restrict-access, XMLHttpRequest + FormData) before it sends.
"""
from __future__ import annotations

import base64
from typing import Any

from .sdk_driver import SdkConnection, SdkSent

CHAT_TYPES = {"chat": "singleChat", "groupchat": "groupChat", "chatroom": "chatRoom"}


def sdk_file(data: bytes, name: str, content_type: str = "application/octet-stream") -> dict:
    return {"$file": base64.b64encode(data).decode(), "name": name, "type": content_type}


def must_send_media(conn: SdkConnection, kind: str, to: str, data: bytes, name: str,
                    content_type: str = "application/octet-stream", *, chat_type: str = "chat",
                    **fields: Any) -> SdkSent:
    """`conn.send(WebIM.message.create({type: kind, chatType, to, file, ...fields}))` (kind: img, file,
    audio, video): the SDK uploads the file, then sends the message."""
    message = {"type": kind, "chatType": CHAT_TYPES[chat_type], "to": to, "file": sdk_file(data, name, content_type),
               **fields}
    return conn.must_send(message)


def must_send_location(conn: SdkConnection, to: str, lat: float, lng: float, addr: str, *,
                       chat_type: str = "chat", **fields: Any) -> SdkSent:
    return conn.must_send({"type": "loc", "chatType": CHAT_TYPES[chat_type], "to": to, "lat": lat, "lng": lng,
                           "addr": addr, **fields})


def must_send_combined(conn: SdkConnection, to: str, messages: list[dict], *, title: str, summary: str,
                       compatible_text: str, chat_type: str = "chat") -> SdkSent:
    """A combined message of SDK message objects (what onTextMessage & co. handed over): the SDK builds
    the file, uploads it and sends."""
    return conn.must_send({"type": "combine", "chatType": CHAT_TYPES[chat_type], "to": to, "title": title,
                           "summary": summary, "compatibleText": compatible_text, "messageList": messages})


def shared_upload(conn: SdkConnection, method: str, *, data: bytes, name: str,
                  content_type: str = "application/octet-stream", **params: Any) -> Any:
    """`conn[method]({...params, file})` (uploadGroupSharedFile, uploadChatRoomSharedFile): what the
    SDK's onFileUploadComplete received."""
    return conn.sdk.command("upload", conn=conn.conn_id, method=method,
                            params={**params, "file": sdk_file(data, name, content_type)})


def shared_download(conn: SdkConnection, method: str, **params: Any) -> bytes:
    """`conn[method]({...params})` (downloadGroupSharedFile): the downloaded bytes."""
    value = conn.sdk.command("download", conn=conn.conn_id, method=method, params=params)
    return base64.b64decode(value["base64"])
