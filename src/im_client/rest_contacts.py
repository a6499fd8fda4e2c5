"""Contacts (the roster) and block lists over REST; the app token or the owner's own token.

    admin.must_add_contact(alice.name, bob.name)            # a friendship at once (app token)
    as_alice.must_apply_contact(alice.name, bob.name, "hi")  # bob is asked: ROSTER ADD
    as_bob.must_accept_contact(bob.name, alice.name)         # alice: REMOTE_ACCEPT, bob: ACCEPT
    as_alice.must_contacts(alice.name)                       # ["bob-…"]
    as_bob.must_block_users(bob.name, [alice.name])          # alice's 1:1 messages: FAIL "blocked"

Bare and `must_` forms by the one rule of rest_call.py. `resource` names the acting device (the
Web SDK sends it); the service leaves that device out of the notices to the actor's own devices.
"""
from __future__ import annotations

from typing import Any, Iterable
from urllib.parse import quote

import requests

from .rest_call import rest_call


def _params(resource: str | None, **extra: Any) -> dict | None:
    params = {k: v for k, v in extra.items() if v is not None}
    if resource is not None:
        params["resource"] = resource
    return params or None


class ContactsApi:
    """Mixed into RestClient (uses `self.request`, which returns the response)."""

    @rest_call
    def add_contact(self, owner: str, friend: str) -> requests.Response:
        """App token: `friend` becomes a contact of `owner` (both ways) without an application."""
        return self.request("POST", f"/users/{quote(owner)}/contacts/users/{quote(friend)}")

    @rest_call
    def remove_contact(self, owner: str, friend: str, resource: str | None = None) -> requests.Response:
        return self.request("DELETE", f"/users/{quote(owner)}/contacts/users/{quote(friend)}",
                            params=_params(resource))

    @rest_call
    def set_contact_remark(self, owner: str, friend: str, remark: Any) -> requests.Response:
        return self.request("PUT", f"/users/{quote(owner)}/contacts/users/{quote(friend)}",
                            json_body={"remark": remark})

    @rest_call
    def contacts(self, owner: str) -> requests.Response:
        """`must_`: the contacts' names."""
        return self.request("GET", f"/users/{quote(owner)}/contacts/users")

    @rest_call(must=lambda body: {e["username"]: e["remark"] for e in body["entities"]})
    def contact_remarks(self, owner: str) -> requests.Response:
        """`must_`: {contact: remark} (the SDK's getAllContacts)."""
        return self.request("GET", f"/users/{quote(owner)}/contacts/users", params={"needReturnRemark": "true"})

    @rest_call
    def contacts_page(self, owner: str, limit: Any = None, cursor: str | None = None) -> requests.Response:
        """One page (the SDK's getContactsWithCursor); `must_`: {"contacts": [{username, remark}], "cursor"}."""
        params = {"needReturnRemark": "true", "limit": limit, "cursor": cursor}
        return self.request("GET", f"/users/{quote(owner)}/contacts",
                            params={k: v for k, v in params.items() if v is not None})

    def must_all_contacts_paged(self, owner: str, limit: int = 20) -> list[str]:
        """Every contact, page after page (RestError on a refused page)."""
        names: list[str] = []
        cursor = None
        while True:
            page = self.must_contacts_page(owner, limit, cursor)
            names += [c["username"] for c in page["contacts"]]
            cursor = page["cursor"]
            if not cursor:
                return names

    @rest_call
    def apply_contact(self, owner: str, friend: str, reason: str = "", resource: str | None = None) -> requests.Response:
        """`owner` asks `friend` to become a contact (the SDK's addContact)."""
        return self.request("POST", f"/users/{quote(owner)}/contacts/apply",
                            json_body={"usernames": [friend], "reason": reason}, params=_params(resource))

    @rest_call
    def accept_contact(self, owner: str, applicant: str, resource: str | None = None) -> requests.Response:
        return self.request("POST", f"/users/{quote(owner)}/contacts/accept/users/{quote(applicant)}",
                            params=_params(resource))

    @rest_call
    def decline_contact(self, owner: str, applicant: str, resource: str | None = None) -> requests.Response:
        return self.request("POST", f"/users/{quote(owner)}/contacts/decline/users/{quote(applicant)}",
                            params=_params(resource))

    # -- block list ------------------------------------------------------------------------
    @rest_call
    def blocks(self, owner: str) -> requests.Response:
        """`must_`: the blocked users' names."""
        return self.request("GET", f"/users/{quote(owner)}/blocks/users")

    @rest_call
    def block_users(self, owner: str, users: Iterable[str], resource: str | None = None) -> requests.Response:
        return self.request("POST", f"/users/{quote(owner)}/blocks/users", json_body={"usernames": list(users)},
                            params=_params(resource))

    @rest_call
    def unblock_user(self, owner: str, user: str, resource: str | None = None) -> requests.Response:
        return self.request("DELETE", f"/users/{quote(owner)}/blocks/users/{quote(user)}", params=_params(resource))

    @rest_call
    def sdk_block_users(self, owner: str, users: Iterable[str]) -> requests.Response:
        """The Web SDK's path (`addUsersToBlocklist`)."""
        return self.request("POST", f"/sdk/user/{quote(owner)}/blocks", json_body={"usernames": list(users)})

    @rest_call
    def sdk_unblock_users(self, owner: str, users: Iterable[str]) -> requests.Response:
        """The Web SDK's path (`removeUserFromBlocklist`)."""
        return self.request("DELETE", f"/sdk/user/{quote(owner)}/blocks", json_body={"usernames": list(users)})
