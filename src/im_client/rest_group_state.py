"""A group's state and a member's own relation to it over REST (docs/protocol/rest.md §5.1–§5.2):
disable / enable (app token), blocking the group's messages for oneself (`shield`), the joined-group
count and pages, and group member attributes (`/metadata/chatgroup`).

    admin.must_disable_group(gid)                          # {"disabled": True}
    rest_as(bob).must_shield_group(gid)                    # bob gets no more messages of gid
    rest_as(bob).must_set_member_attributes(gid, bob.name, {"nick": "b"})
    rest_as(carol).must_member_attributes(gid, [bob.name]) # {"bob…": {"nick": "b"}}
"""
from __future__ import annotations

from typing import Any

import requests

from .rest_call import rest_call, whole
from .rest_groups import GroupCalls, _q


class GroupStateApi(GroupCalls):
    @rest_call
    def disable_group(self, group_id: str) -> requests.Response:
        return self.group_request("POST", f"/chatgroups/{_q(group_id)}/disable")

    @rest_call
    def enable_group(self, group_id: str) -> requests.Response:
        return self.group_request("POST", f"/chatgroups/{_q(group_id)}/enable")

    @rest_call
    def shield_group(self, group_id: str) -> requests.Response:
        """Block the group's messages for the calling member (user token)."""
        return self.group_request("POST", f"/chatgroups/{_q(group_id)}/shield", params={"version": "v3"})

    @rest_call
    def unshield_group(self, group_id: str) -> requests.Response:
        return self.group_request("DELETE", f"/chatgroups/{_q(group_id)}/shield", params={"version": "v3"})

    @rest_call
    def joined_group_count(self, username: str) -> requests.Response:
        """`data`: how many groups `username` is a member of."""
        return self.group_request("GET", f"/chatgroups/user/{_q(username)}/joined_count")

    @rest_call(must=whole)
    def user_groups(self, username: str, pagenum: int = 0, pagesize: int = 5, *, need_role: bool = False,
                    need_affiliations: bool = False) -> requests.Response:
        """`GET /chatgroups/user/{u}` one page, as the SDK's getJoinedGroups asks; must_: the whole
        answer (`entities`, `total`)."""
        params: dict[str, Any] = {"pagenum": pagenum, "pagesize": pagesize}
        if need_role or need_affiliations:
            params.update(needRole=str(need_role).lower(), needAffiliations=str(need_affiliations).lower())
        return self.group_request("GET", f"/chatgroups/user/{_q(username)}", params=params)

    @rest_call
    def set_member_attributes(self, group_id: str, username: str, attributes: dict[str, str]) -> requests.Response:
        """Set (value "" deletes) attributes of one member; `data`: the keys as written."""
        return self.group_request("PUT", f"/metadata/chatgroup/{_q(group_id)}/user/{_q(username)}",
                                  {"metaData": attributes})

    @rest_call
    def member_attributes(self, group_id: str, usernames: list[str], keys: list[str] | None = None) -> requests.Response:
        """`data`: {member: {key: value}} (every key when `keys` names none)."""
        return self.group_request("POST", f"/metadata/chatgroup/{_q(group_id)}/get",
                                  {"targets": list(usernames), "properties": list(keys or [])})
