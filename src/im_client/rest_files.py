"""The file service and shared files (docs/protocol/rest.md §3.3, §5.4, §6.4).

    f = alice_rest.must_upload_chatfile(png, "cat.png", "image/png")      # ChatFile(uuid, secret, url, …)
    data = bob_rest.must_download_chatfile(f, secret=f.secret)            # the bytes
    thumb = bob_rest.must_download_chatfile(f, secret=f.secret, thumbnail=True)
    resp = bob_rest.download_chatfile(f)                                  # 403 without the share-secret
    shared = alice_rest.must_upload_group_file(group_id, b"notes", "notes.txt")   # {file_id, file_url, …}

Uploads are multipart (`file` part), as the SDK sends them, with `restrict-access: true` unless
asked otherwise. Downloads return `requests.Response` (bare) or the bytes (`must_`); the share-secret
goes in the `share-secret` header, or in the query as a received message's URL carries it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import requests

from .errors import checked_body
from .rest_call import rest_call
from .rest_chatrooms import q


@dataclass(frozen=True)
class ChatFile:
    """An uploaded file, as a media message names it."""

    uuid: str
    secret: str
    url: str  # {rest_url}/{org}/{app}/chatfiles/{uuid}
    length: int | None  # the service's file-metadata content-length, when it tells
    body: dict


def chatfile_of(body: dict) -> ChatFile:
    entity = body["entities"][0]
    meta = entity.get("file-metadata") or {}
    url = f"{body['uri'].split('?')[0].rstrip('/')}/{entity['uuid']}"
    length = meta.get("content-length")
    return ChatFile(entity["uuid"], entity.get("share-secret", ""), url, int(length) if length is not None else None,
                    body)


def _form(data: bytes, filename: str, content_type: str, fields: dict[str, Any] | None = None) -> list:
    form: list = [("file", (filename, data, content_type))]
    for key, value in (fields or {}).items():
        if value is not None:
            form.append((key, (None, str(value))))
    return form


def _bytes(resp: requests.Response) -> bytes:
    if resp.status_code != 200:
        checked_body(resp)  # raises RestError with the service's error
    return resp.content


class FilesApi:
    """Mixed into RestClient (uses `self.request`)."""

    # chat files ---------------------------------------------------------------------------------
    @rest_call(must=chatfile_of)
    def upload_chatfile(self, data: bytes, filename: str, content_type: str = "application/octet-stream", *,
                        restricted: bool = True, thumbnail_width: int | None = None,
                        thumbnail_height: int | None = None) -> requests.Response:
        headers = {"restrict-access": "true"} if restricted else {}
        return self.request("POST", "/chatfiles", headers=headers,
                            files=_form(data, filename, content_type, {"thumbnail-width": thumbnail_width,
                                                                       "thumbnail-height": thumbnail_height}))

    def download_chatfile(self, file: ChatFile | str, *, secret: str | None = None, thumbnail: bool = False,
                          secret_in: str = "header", token: bool = False) -> requests.Response:
        """GET /chatfiles/{uuid}; `secret_in="query"` puts the share-secret in the URL as the SDK's
        received-message URL does; no token unless `token=True`."""
        uuid = file.uuid if isinstance(file, ChatFile) else file
        headers: dict[str, str] = {"Accept": "*/*"}
        params: dict[str, str] = {}
        if secret is not None:
            (headers if secret_in == "header" else params)["share-secret"] = secret
        if thumbnail:
            headers["thumbnail"] = "true"
        return self.request("GET", f"/chatfiles/{q(uuid)}", headers=headers, params=params or None,
                            token=token, data=b"")

    def must_download_chatfile(self, file: ChatFile | str, **kw: Any) -> bytes:
        """The bytes of a 200 answer; RestError otherwise."""
        return _bytes(self.download_chatfile(file, **kw))

    def fetch_url(self, url: str, *, token: bool = False) -> requests.Response:
        """GET an absolute URL the service handed out (a received message's `url`, a shared file's `file_url`)."""
        headers = {"Authorization": f"Bearer {self.token}"} if token and self.token else {}
        return self.http.get(url, headers=headers, timeout=self.timeout)

    # shared files of groups and rooms -----------------------------------------------------------
    @rest_call
    def upload_group_file(self, group_id: str, data: bytes, filename: str,
                          content_type: str = "application/octet-stream") -> requests.Response:
        return self.request("POST", f"/chatgroups/{q(group_id)}/share_files", files=_form(data, filename, content_type))

    @rest_call
    def group_files(self, group_id: str, pagenum: int = 1, pagesize: int = 10) -> requests.Response:
        return self.request("GET", f"/chatgroups/{q(group_id)}/share_files",
                            params={"pagenum": pagenum, "pagesize": pagesize})

    def download_group_file(self, group_id: str, file_id: str) -> requests.Response:
        return self.request("GET", f"/chatgroups/{q(group_id)}/share_files/{q(file_id)}", data=b"")

    def must_download_group_file(self, group_id: str, file_id: str) -> bytes:
        return _bytes(self.download_group_file(group_id, file_id))

    @rest_call
    def delete_group_file(self, group_id: str, file_id: str) -> requests.Response:
        return self.request("DELETE", f"/chatgroups/{q(group_id)}/share_files/{q(file_id)}")

    @rest_call
    def upload_chatroom_file(self, room_id: str, data: bytes, filename: str,
                             content_type: str = "application/octet-stream") -> requests.Response:
        return self.request("POST", f"/chatrooms/{q(room_id)}/share_files", files=_form(data, filename, content_type))

    @rest_call
    def chatroom_files(self, room_id: str, pagenum: int = 1, pagesize: int = 10) -> requests.Response:
        return self.request("GET", f"/chatrooms/{q(room_id)}/share_files",
                            params={"pagenum": pagenum, "pagesize": pagesize})

    def download_chatroom_file(self, room_id: str, file_id: str) -> requests.Response:
        return self.request("GET", f"/chatrooms/{q(room_id)}/share_files/{q(file_id)}", data=b"")

    def must_download_chatroom_file(self, room_id: str, file_id: str) -> bytes:
        return _bytes(self.download_chatroom_file(room_id, file_id))

    @rest_call
    def delete_chatroom_file(self, room_id: str, file_id: str) -> requests.Response:
        return self.request("DELETE", f"/chatrooms/{q(room_id)}/share_files/{q(file_id)}")

    # chatroom member tags and tag mute ----------------------------------------------------------
    @rest_call
    def set_chatroom_member_tags(self, room_id: str, username: str, tags: list[str]) -> requests.Response:
        return self.request("PUT", f"/chatrooms/{q(room_id)}/users/{q(username)}/tag", json_body={"tags": tags})

    @rest_call
    def chatroom_member_tags(self, room_id: str, username: str) -> requests.Response:
        """`must_`: `{"tags": [...]}`."""
        return self.request("GET", f"/chatrooms/{q(room_id)}/users/{q(username)}/tag")

    @rest_call
    def mute_chatroom_tag(self, room_id: str, tag: str, duration_s: int) -> requests.Response:
        """`duration_s` in seconds: -1 permanent, 0 lifts the mute of the tag's members."""
        return self.request("PUT", f"/chatrooms/{q(room_id)}/tag/mute",
                            json_body={"tag": tag, "mute_duration": duration_s})
