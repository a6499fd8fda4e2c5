"""Group moderation over REST (docs/protocol/rest.md §4.2, §4.4; docs/protocol/msync.md §5.3): member mute with a duration,
mute-all, the allow-list, and who read a group message. Bare and `must_` forms as in rest_groups."""
from __future__ import annotations

import requests

from .rest_call import rest_call
from .rest_groups import GroupCalls, _names, _q


class GroupModerationApi(GroupCalls):
    @rest_call
    def mute_group_members(self, group_id: str, usernames: str | list[str], duration_ms: int) -> requests.Response:
        """Mute for `duration_ms` milliseconds (-1 = until unmuted, 0 = unmute)."""
        return self.group_request("POST", f"/chatgroups/{_q(group_id)}/mute",
                         {"usernames": _names(usernames), "mute_duration": duration_ms}, params={"version": "v3"})

    @rest_call
    def unmute_group_members(self, group_id: str, usernames: str | list[str]) -> requests.Response:
        names = ",".join(map(_q, _names(usernames)))
        return self.group_request("DELETE", f"/chatgroups/{_q(group_id)}/mute/{names}", params={"version": "v3"})

    @rest_call
    def group_mutes(self, group_id: str) -> requests.Response:
        """`data`: [{"expire": ms or -1, "user"}] of the mutes in force."""
        return self.group_request("GET", f"/chatgroups/{_q(group_id)}/mute", params={"version": "v3"})

    @rest_call
    def group_mute_of(self, group_id: str, username: str) -> requests.Response:
        return self.group_request("GET", f"/sdk/chatgroups/{_q(group_id)}/mute/{_q(username)}",
                                  params={"version": "v3"})

    @rest_call
    def mute_all_group(self, group_id: str) -> requests.Response:
        return self.group_request("POST", f"/chatgroups/{_q(group_id)}/ban", params={"version": "v3"})

    @rest_call
    def unmute_all_group(self, group_id: str) -> requests.Response:
        return self.group_request("DELETE", f"/chatgroups/{_q(group_id)}/ban", params={"version": "v3"})

    @rest_call
    def group_allow_list(self, group_id: str) -> requests.Response:
        return self.group_request("GET", f"/chatgroups/{_q(group_id)}/white/users")

    @rest_call
    def allow_group_members(self, group_id: str, usernames: str | list[str]) -> requests.Response:
        if isinstance(usernames, str):
            return self.group_request("POST", f"/chatgroups/{_q(group_id)}/white/users/{_q(usernames)}")
        return self.group_request("POST", f"/chatgroups/{_q(group_id)}/white/users", {"usernames": usernames})

    @rest_call
    def disallow_group_members(self, group_id: str, usernames: str | list[str]) -> requests.Response:
        names = ",".join(map(_q, _names(usernames)))
        return self.group_request("DELETE", f"/chatgroups/{_q(group_id)}/white/users/{names}")

    @rest_call
    def group_read_acks(self, group_id: str, msg_id: int) -> requests.Response:
        return self.group_request("GET", f"/chatgroups/{_q(group_id)}/acks/{msg_id}")
