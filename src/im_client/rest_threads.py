"""Threads over REST (docs/protocol/rest.md §5.3, docs/protocol/msync.md §5.6). Bare and `must_` forms as in rest_groups.

    tid = as_alice.must_create_thread(gid, parent.server_id, "plans")["thread_id"]
    as_bob.must_join_thread(tid, bob.name)
"""
from __future__ import annotations

from typing import Any

import requests

from .rest_call import rest_call
from .rest_groups import GroupCalls, _names, _q


class ThreadsApi(GroupCalls):
    @rest_call
    def create_thread(self, group_id: str, msg_id: int | str, name: str, owner: str | None = None) -> requests.Response:
        body: dict[str, Any] = {"group_id": group_id, "msg_id": str(msg_id), "name": name}
        if owner is not None:
            body["owner"] = owner
        return self.group_request("POST", "/thread", body)

    @rest_call
    def get_thread(self, thread_id: str) -> requests.Response:
        return self.group_request("GET", f"/thread/{_q(thread_id)}")

    @rest_call
    def rename_thread(self, thread_id: str, name: str) -> requests.Response:
        return self.group_request("PUT", f"/thread/{_q(thread_id)}", {"name": name})

    @rest_call
    def destroy_thread(self, thread_id: str) -> requests.Response:
        return self.group_request("DELETE", f"/thread/{_q(thread_id)}")

    @rest_call
    def thread_members(self, thread_id: str) -> requests.Response:
        """`data`: {"affiliations": [names]}."""
        return self.group_request("GET", f"/thread/{_q(thread_id)}/users")

    @rest_call
    def join_thread(self, thread_id: str, username: str) -> requests.Response:
        return self.group_request("POST", f"/thread/{_q(thread_id)}/user/{_q(username)}/join")

    @rest_call
    def leave_thread(self, thread_id: str, username: str) -> requests.Response:
        return self.group_request("DELETE", f"/thread/{_q(thread_id)}/user/{_q(username)}/quit")

    @rest_call
    def add_thread_members(self, thread_id: str, usernames: list[str]) -> requests.Response:
        return self.group_request("POST", f"/thread/{_q(thread_id)}/users", {"usernames": usernames})

    @rest_call
    def kick_thread_member(self, thread_id: str, username: str) -> requests.Response:
        return self.group_request("DELETE", f"/thread/{_q(thread_id)}/users/{_q(username)}")

    @rest_call
    def kick_thread_members(self, thread_id: str, usernames: list[str]) -> requests.Response:
        return self.group_request("DELETE", f"/thread/{_q(thread_id)}/users", {"usernames": _names(usernames)})

    @rest_call
    def user_threads(self, username: str, group_id: str | None = None) -> requests.Response:
        if group_id is None:
            return self.group_request("GET", f"/threads/user/{_q(username)}")
        return self.group_request("GET", f"/threads/chatgroups/{_q(group_id)}/user/{_q(username)}")

    @rest_call
    def group_threads(self, group_id: str) -> requests.Response:
        return self.group_request("GET", f"/threads/chatgroups/{_q(group_id)}")

    @rest_call
    def thread_last_messages(self, thread_ids: list[str]) -> requests.Response:
        return self.group_request("POST", "/thread/message", {"threadIds": thread_ids})
