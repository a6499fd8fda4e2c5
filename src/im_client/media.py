"""Media messages over msync: image, file, audio, video, location and combined (docs/protocol/msync.md §4.2).

The file is uploaded first (`POST /chatfiles`, rest_files.py) with this device's user token, then the
message names it, each Content laid out field by field as the Web SDK 4.21.1 lays it out:

    sent, f = alice.must_send_image(bob.name, png, "cat.png", width=640, height=480)   # upload + send
    alice.must_send_file(group_id, b"%PDF…", "a.pdf", chat_type="groupchat")
    alice.must_send_location(room_id, 39.9, 116.4, "Beijing", chat_type="chatroom")
    ack = alice.send_media(bob.name, media.image_content(f, width=1, height=1))        # bare: the Ack
    sent, f = alice.must_send_combined(bob.name, [m1, m2], title="chat", summary="a: hi")
    metas = parse_combined(bob_rest.must_download_chatfile(f, secret=f.secret))       # the forwarded Metas

A combined (merged-forward) message is a TEXT content with subType COMBINE whose file holds the
forwarded messages: `"cm"`, then per message a 4-byte big-endian length and the Meta, then one
check byte (the xor of the bytes at odd offsets from 3 on), as the SDK builds it.
"""
from __future__ import annotations

from typing import Any, Iterable, Mapping

from . import messages as m
from .rest import RestClient
from .rest_files import ChatFile
from .replies import Ack, Sent, next_meta_id
from .session import Session
from im_wire import pb

Content = m.Content
Body = m.Body
COMBINE_MAGIC = b"cm"
PRIORITY_TAGS = {"high": 0, "normal": 1, "low": 2}


# -- contents, as the SDK builds them --------------------------------------------------------------
def _file_fields(c: Content, f: ChatFile, filename: str, length: int) -> Content:
    c.displayName, c.remotePath, c.secretKey, c.fileLength = filename, f.url, f.secret, length
    c.thumbnailDisplayName = filename
    return c


def image_content(f: ChatFile, filename: str, length: int, *, width: float = 0, height: float = 0,
                  gif: bool = False) -> Content:
    c = _file_fields(Content(type=Content.IMAGE), f, filename, length)
    c.size.width, c.size.height = width, height
    if gif:
        c.subType = Content.GIF
    return c


def file_content(f: ChatFile, filename: str, length: int) -> Content:
    return _file_fields(Content(type=Content.FILE), f, filename, length)


def audio_content(f: ChatFile, filename: str, length: int, *, duration: int) -> Content:
    c = _file_fields(Content(type=Content.VOICE), f, filename, length)
    c.duration = duration
    return c


def video_content(f: ChatFile, filename: str, length: int, *, duration: int) -> Content:
    c = _file_fields(Content(type=Content.VIDEO), f, filename, length)
    c.duration = duration
    c.thumbnailRemotePath, c.thumbnailSecretKey = f"{f.url}?vframe=true", f.secret
    return c


def location_content(lat: float, lng: float, address: str, building: str | None = None) -> Content:
    c = Content(type=Content.LOCATION, latitude=lat, longitude=lng, address=address)
    if building is not None:
        c.buildingName = building
    return c


def combined_content(f: ChatFile, filename: str, length: int, *, title: str, summary: str,
                     compatible_text: str, level: int) -> Content:
    """The SDK names the file after the message's local id and puts the whole download URL (with the
    share-secret) in remotePath."""
    c = Content(type=Content.TEXT, subType=Content.SUBTYPE_COMBINE, text=compatible_text, title=title,
                summary=summary, combineLevel=level)
    c.displayName, c.remotePath, c.secretKey, c.fileLength = filename, downloadable(f), f.secret, length
    return c


def downloadable(f: ChatFile) -> str:
    """The URL the SDK hands out after an upload: `{url}?em-redirect=true&share-secret={secret}`."""
    return f"{f.url}?em-redirect=true&share-secret={f.secret}"


def content_of(message: m.Message) -> Content:
    """The one Content of a received media message."""
    return message.body.contents[0]


def received_url(content: Content, *, thumbnail: bool = False) -> str:
    """The URL the Web SDK makes of a received file: remotePath + `?em-redirect=true&share-secret=…`
    (plus `&thumbnail=true` for an image's thumbnail). A remotePath that already has them (the SDK's
    combined messages carry the full URL) is taken as it is, as the SDK takes it."""
    if "?em-redirect" in content.remotePath:
        url = content.remotePath
    else:
        url = f"{content.remotePath}?em-redirect=true"
        if content.secretKey:
            url += f"&share-secret={content.secretKey}"
    return url + ("&thumbnail=true" if thumbnail else "")


# -- the combined message's file ------------------------------------------------------------------
def build_combined(metas: Iterable[pb.Meta]) -> bytes:
    out = bytearray(COMBINE_MAGIC)
    for meta in metas:
        raw = meta.SerializeToString()
        out += len(raw).to_bytes(4, "big") + raw
    check = 0
    for i in range(3, len(out), 2):
        check ^= out[i]
    return bytes(out) + bytes([check])


def parse_combined(data: bytes) -> list[pb.Meta]:
    """The forwarded Metas of a combined message's file; ValueError when it is not one."""
    if not data.startswith(COMBINE_MAGIC) or len(data) < 3:
        raise ValueError("not a combined-message file (no 'cm' header)")
    body, check = data[:-1], data[-1]
    expected = 0
    for i in range(3, len(body), 2):
        expected ^= body[i]
    if expected != check:
        raise ValueError(f"combined-message file check byte {check} != {expected}")
    metas, at = [], len(COMBINE_MAGIC)
    while at < len(body):
        size = int.from_bytes(body[at:at + 4], "big")
        metas.append(pb.Meta.FromString(body[at + 4:at + 4 + size]))
        at += 4 + size
    return metas


def forwarded_meta(message: m.Message) -> pb.Meta:
    """A received message as a combined message carries it: its Meta with the sender and time kept."""
    meta = pb.Meta()
    meta.CopyFrom(message.meta)
    return meta


# -- sending ----------------------------------------------------------------------------------------
class MediaMixin:
    """Media actions; mixed into Client on top of Session. chat_type: chat | groupchat | chatroom."""

    def files_rest(self: Session) -> RestClient:
        """A REST client with this device's user token (what the SDK uploads with)."""
        token = self.token
        rest = RestClient(self.target)
        if token is None:
            token = rest.must_user_token(self.name, self.password).access_token
        return rest.with_token(token)

    def _media_meta(self: Session, to: str, content: Content, chat_type: str, ext: Mapping[str, Any] | None,
                    priority: str | None) -> pb.Meta:
        meta_ext = {"chatroom_msg_tag": PRIORITY_TAGS[priority or "normal"]} if chat_type == "chatroom" else None
        return m.chat_meta(self.appkey, self.name, to, m.CHAT_TYPES[chat_type], content, chat_type, ext,
                           meta_ext=meta_ext)

    def send_media(self: Session, to: str, content: Content, *, chat_type: str = "chat",
                   ext: Mapping[str, Any] | None = None, priority: str | None = None) -> Ack:
        return self.send_meta(self._media_meta(to, content, chat_type, ext, priority))

    def must_send_media(self: Session, to: str, content: Content, *, chat_type: str = "chat",
                        ext: Mapping[str, Any] | None = None, priority: str | None = None,
                        local_id: int | None = None) -> Sent:
        meta = self._media_meta(to, content, chat_type, ext, priority)
        if local_id is not None:
            meta.id = local_id
        return Sent.from_ack(self.must_send_meta(meta), meta, to, chat_type)

    def _upload(self, data: bytes, filename: str, content_type: str) -> ChatFile:
        return self.files_rest().must_upload_chatfile(data, filename, content_type)

    def must_send_image(self, to: str, data: bytes, filename: str, *, width: float, height: float,
                        content_type: str = "image/png", **kw: Any) -> tuple[Sent, ChatFile]:
        f = self._upload(data, filename, content_type)
        return self.must_send_media(to, image_content(f, filename, len(data), width=width, height=height), **kw), f

    def must_send_file(self, to: str, data: bytes, filename: str, *, content_type: str = "application/octet-stream",
                       **kw: Any) -> tuple[Sent, ChatFile]:
        f = self._upload(data, filename, content_type)
        return self.must_send_media(to, file_content(f, filename, len(data)), **kw), f

    def must_send_audio(self, to: str, data: bytes, filename: str, *, duration: int, content_type: str = "audio/amr",
                        **kw: Any) -> tuple[Sent, ChatFile]:
        f = self._upload(data, filename, content_type)
        return self.must_send_media(to, audio_content(f, filename, len(data), duration=duration), **kw), f

    def must_send_video(self, to: str, data: bytes, filename: str, *, duration: int, content_type: str = "video/mp4",
                        **kw: Any) -> tuple[Sent, ChatFile]:
        f = self._upload(data, filename, content_type)
        return self.must_send_media(to, video_content(f, filename, len(data), duration=duration), **kw), f

    def must_send_location(self, to: str, lat: float, lng: float, address: str, building: str | None = None,
                           **kw: Any) -> Sent:
        return self.must_send_media(to, location_content(lat, lng, address, building), **kw)

    def must_send_combined(self, to: str, messages: Iterable[m.Message], *, title: str, summary: str,
                           compatible_text: str = "[combined messages]", level: int = 1,
                           **kw: Any) -> tuple[Sent, ChatFile]:
        data = build_combined(forwarded_meta(msg) for msg in messages)
        local_id = next_meta_id()
        f = self._upload(data, str(local_id), "application/octet-stream")
        content = combined_content(f, str(local_id), len(data), title=title, summary=summary,
                                   compatible_text=compatible_text, level=level)
        return self.must_send_media(to, content, local_id=local_id, **kw), f
