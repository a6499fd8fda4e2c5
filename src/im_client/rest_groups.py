"""Groups over REST (docs/protocol/rest.md §5.1–§5.2, docs/protocol/msync.md §5.4): lifecycle, members, invitations,
applications, owner, admins, blocks, announcement.

Every call has a bare form returning the `requests.Response` untouched (negative tests) and a
`must_` form returning the answer's `data` (or `entities`) and raising RestError otherwise (the one
rule of rest_call.py):

    gid = admin.must_create_group(alice.name, members=[bob.name])["groupid"]
    resp = as_bob.add_group_member(gid, carol.name)          # a member may not: 403
    assert resp.status_code == 403

A RestClient with a user token calls as that user (the Web SDK's way); `device_resource` set on it
is sent as `?resource=` so that the calling device is left out of its own notifications.
"""
from __future__ import annotations

from typing import Any
from urllib.parse import quote

import requests

from .rest_call import rest_call


def _q(value: str) -> str:
    return quote(str(value), safe="")


def _names(users: Any) -> list[str]:
    return [users] if isinstance(users, str) else list(users)


class GroupCalls:
    """Plumbing shared by the group and thread mixins (uses RestClient.request)."""

    device_resource: str | None = None

    def group_request(self, method: str, path: str, body: Any = None, params: dict | None = None) -> requests.Response:
        params = dict(params or {})
        if self.device_resource:
            params.setdefault("resource", self.device_resource)
        return self.request(method, path, json_body=body, params=params or None)


class GroupsApi(GroupCalls):
    # lifecycle ----------------------------------------------------------------------------------
    @rest_call
    def create_group(self, owner: str, *, public: bool | None = False, members: list[str] | None = None,
                     **settings: Any) -> requests.Response:
        """Create a group (settings: groupname, description, maxusers, membersonly/approval,
        allowinvites, invite_need_confirm, custom, avatar); public=None leaves the field out."""
        body: dict[str, Any] = {"owner": owner, **settings}
        if public is not None:
            body["public"] = public
        if members is not None:
            body["members"] = members
        return self.group_request("POST", "/chatgroups", body)

    @rest_call
    def get_group(self, group_id: str) -> requests.Response:
        return self.group_request("GET", f"/chatgroups/{_q(group_id)}")

    @rest_call
    def update_group(self, group_id: str, **fields: Any) -> requests.Response:
        return self.group_request("PUT", f"/chatgroups/{_q(group_id)}", fields)

    @rest_call
    def transfer_group_owner(self, group_id: str, new_owner: str) -> requests.Response:
        return self.group_request("PUT", f"/chatgroups/{_q(group_id)}", {"newowner": new_owner})

    @rest_call
    def destroy_group(self, group_id: str) -> requests.Response:
        return self.group_request("DELETE", f"/chatgroups/{_q(group_id)}", params={"version": "v3"})

    @rest_call
    def joined_groups(self, username: str) -> requests.Response:
        """The Web SDK's list of a user's groups (`data`: [{groupid, groupname}])."""
        return self.group_request("GET", f"/users/{_q(username)}/joined_chatgroups")

    @rest_call
    def public_groups(self, limit: int = 100, cursor: str | None = None) -> requests.Response:
        params = {"limit": limit, **({"cursor": cursor} if cursor else {})}
        return self.group_request("GET", "/publicchatgroups", params=params)

    @rest_call
    def is_group_member(self, group_id: str, username: str) -> requests.Response:
        return self.group_request("GET", f"/chatgroups/{_q(group_id)}/user/{_q(username)}/is_joined")

    # members ------------------------------------------------------------------------------------
    @rest_call
    def group_members(self, group_id: str, pagenum: int = 1, pagesize: int = 1000) -> requests.Response:
        return self.group_request("GET", f"/chatgroups/{_q(group_id)}/users",
                                  params={"pagenum": pagenum, "pagesize": pagesize})

    @rest_call
    def add_group_member(self, group_id: str, username: str) -> requests.Response:
        return self.group_request("POST", f"/chatgroups/{_q(group_id)}/users/{_q(username)}")

    @rest_call
    def add_group_members(self, group_id: str, usernames: list[str]) -> requests.Response:
        return self.group_request("POST", f"/chatgroups/{_q(group_id)}/users", {"usernames": usernames})

    @rest_call
    def remove_group_members(self, group_id: str, usernames: str | list[str]) -> requests.Response:
        """Kick one member or a comma-separated batch."""
        return self.group_request("DELETE", f"/chatgroups/{_q(group_id)}/users/{','.join(map(_q, _names(usernames)))}")

    @rest_call
    def quit_group(self, group_id: str) -> requests.Response:
        return self.group_request("DELETE", f"/chatgroups/{_q(group_id)}/quit")

    # invitations and applications ---------------------------------------------------------------
    @rest_call
    def invite_to_group(self, group_id: str, usernames: str | list[str], welcome: str = "") -> requests.Response:
        return self.group_request("POST", f"/chatgroups/{_q(group_id)}/invite",
                         {"usernames": _names(usernames), "welcome": welcome})

    @rest_call
    def answer_group_invite(self, group_id: str, accept: bool, invitee: str | None = None,
                            reason: str = "") -> requests.Response:
        body: dict[str, Any] = {"verifyResult": accept, "reason": reason}
        if invitee is not None:
            body["invitee"] = invitee
        return self.group_request("POST", f"/chatgroups/{_q(group_id)}/invite_verify", body)

    @rest_call
    def apply_to_group(self, group_id: str, message: str = "") -> requests.Response:
        return self.group_request("POST", f"/chatgroups/{_q(group_id)}/apply", {"message": message})

    @rest_call
    def answer_group_application(self, group_id: str, applicant: str, accept: bool,
                                 reason: str = "") -> requests.Response:
        return self.group_request("POST", f"/chatgroups/{_q(group_id)}/apply_verify",
                         {"applicant": applicant, "verifyResult": accept, "reason": reason})

    # admins, blocks, announcement ---------------------------------------------------------------
    @rest_call
    def group_admins(self, group_id: str) -> requests.Response:
        return self.group_request("GET", f"/chatgroups/{_q(group_id)}/admin")

    @rest_call
    def add_group_admin(self, group_id: str, username: str) -> requests.Response:
        return self.group_request("POST", f"/chatgroups/{_q(group_id)}/admin", {"newadmin": username})

    @rest_call
    def remove_group_admin(self, group_id: str, username: str) -> requests.Response:
        return self.group_request("DELETE", f"/chatgroups/{_q(group_id)}/admin/{_q(username)}")

    @rest_call
    def group_blocks(self, group_id: str) -> requests.Response:
        return self.group_request("GET", f"/chatgroups/{_q(group_id)}/blocks/users")

    @rest_call
    def block_group_members(self, group_id: str, usernames: str | list[str]) -> requests.Response:
        if isinstance(usernames, str):
            return self.group_request("POST", f"/chatgroups/{_q(group_id)}/blocks/users/{_q(usernames)}")
        return self.group_request("POST", f"/chatgroups/{_q(group_id)}/blocks/users", {"usernames": usernames})

    @rest_call
    def unblock_group_members(self, group_id: str, usernames: str | list[str]) -> requests.Response:
        names = ",".join(map(_q, _names(usernames)))
        return self.group_request("DELETE", f"/chatgroups/{_q(group_id)}/blocks/users/{names}")

    @rest_call
    def group_announcement(self, group_id: str) -> requests.Response:
        return self.group_request("GET", f"/chatgroups/{_q(group_id)}/announcement")

    @rest_call
    def set_group_announcement(self, group_id: str, text: str | None) -> requests.Response:
        return self.group_request("POST", f"/chatgroups/{_q(group_id)}/announcement", {"announcement": text})

    # server-side send (docs/protocol/rest.md §3.1) ------------------------------------------------------------
    @rest_call
    def send_text_to_groups(self, group_ids: str | list[str], text: str, *, sender: str | None = None,
                            ext: dict | None = None) -> requests.Response:
        """POST /messages/chatgroups (app token); `data`: {group id: message id}."""
        body: dict[str, Any] = {"to": _names(group_ids), "type": "txt", "body": {"msg": text}}
        if sender is not None:
            body["from"] = sender
        if ext is not None:
            body["ext"] = ext
        return self.group_request("POST", "/messages/chatgroups", body)
