"""Threads over REST (rest.md §5.3, msync.md §5.6). Bare and `must_` forms as in rest_groups.

    tid = as_alice.must_create_thread(gid, parent.server_id, "plans")["thread_id"]
    as_bob.must_join_thread(tid, bob.username)
"""
from __future__ import annotations

from typing import Any

import requests

from .rest_groups import GroupCalls, _names, _q, must


class ThreadsApi(GroupCalls):
    def create_thread(self, group_id: str, msg_id: int | str, name: str, owner: str | None = None) -> requests.Response:
        body: dict[str, Any] = {"group_id": group_id, "msg_id": str(msg_id), "name": name}
        if owner is not None:
            body["owner"] = owner
        return self.group_request("POST", "/thread", body)

    def get_thread(self, thread_id: str) -> requests.Response:
        return self.group_request("GET", f"/thread/{_q(thread_id)}")

    def rename_thread(self, thread_id: str, name: str) -> requests.Response:
        return self.group_request("PUT", f"/thread/{_q(thread_id)}", {"name": name})

    def destroy_thread(self, thread_id: str) -> requests.Response:
        return self.group_request("DELETE", f"/thread/{_q(thread_id)}")

    def thread_members(self, thread_id: str) -> requests.Response:
        """`data`: {"affiliations": [names]}."""
        return self.group_request("GET", f"/thread/{_q(thread_id)}/users")

    def join_thread(self, thread_id: str, username: str) -> requests.Response:
        return self.group_request("POST", f"/thread/{_q(thread_id)}/user/{_q(username)}/join")

    def leave_thread(self, thread_id: str, username: str) -> requests.Response:
        return self.group_request("DELETE", f"/thread/{_q(thread_id)}/user/{_q(username)}/quit")

    def add_thread_members(self, thread_id: str, usernames: list[str]) -> requests.Response:
        return self.group_request("POST", f"/thread/{_q(thread_id)}/users", {"usernames": usernames})

    def kick_thread_member(self, thread_id: str, username: str) -> requests.Response:
        return self.group_request("DELETE", f"/thread/{_q(thread_id)}/users/{_q(username)}")

    def kick_thread_members(self, thread_id: str, usernames: list[str]) -> requests.Response:
        return self.group_request("DELETE", f"/thread/{_q(thread_id)}/users", {"usernames": _names(usernames)})

    def user_threads(self, username: str, group_id: str | None = None) -> requests.Response:
        if group_id is None:
            return self.group_request("GET", f"/threads/user/{_q(username)}")
        return self.group_request("GET", f"/threads/chatgroups/{_q(group_id)}/user/{_q(username)}")

    def group_threads(self, group_id: str) -> requests.Response:
        return self.group_request("GET", f"/threads/chatgroups/{_q(group_id)}")

    def thread_last_messages(self, thread_ids: list[str]) -> requests.Response:
        return self.group_request("POST", "/thread/message", {"threadIds": thread_ids})

    must_create_thread = must(create_thread)
    must_get_thread = must(get_thread)
    must_rename_thread = must(rename_thread)
    must_destroy_thread = must(destroy_thread)
    must_thread_members = must(thread_members)
    must_join_thread = must(join_thread)
    must_leave_thread = must(leave_thread)
    must_add_thread_members = must(add_thread_members)
    must_kick_thread_member = must(kick_thread_member)
    must_kick_thread_members = must(kick_thread_members)
    must_user_threads = must(user_threads)
    must_group_threads = must(group_threads)
    must_thread_last_messages = must(thread_last_messages)
