"""Pinned messages at their edges (docs/protocol/rest.md §12.3): the list's limit one under, at and one
over 1 and 50 and every cursor shape, and who may pin what in a group conversation (its members, its
messages)."""
import pytest

pytestmark = [pytest.mark.conversation, pytest.mark.owner("caixiangyue"), pytest.mark.rule("pinned-messages-shared")]

ILLEGAL_PIN = (400, "illegal_argument", "param pin_msg_id illegal, please check it!")
BAD_PAGE = (400, "illegal_argument", "param limit must be 1 .. 50 and cursor a cursor of this list")


def answer(resp) -> tuple:
    """A page as (message id of each pin, cursor), a refusal as (status, error, description)."""
    body = resp.json()
    if resp.status_code != 200:
        return (resp.status_code, body["error"], body["error_description"])
    data = body["data"]
    if "msg_infos" not in data:
        return (200, data)
    return ([i["message"]["id"] for i in data["msg_infos"]], data["cursor"])


def pin_page_cases(newest: list[str]) -> dict:
    first, second, third = newest
    return {
        "limit-absent": ({}, (newest, "")),
        "limit-empty": ({"limit": ""}, (newest, "")),
        "limit-0": ({"limit": "0"}, BAD_PAGE),
        "limit-1": ({"limit": "1"}, ([first], "1")),
        "limit-2": ({"limit": "2"}, ([first, second], "2")),
        "limit-3": ({"limit": "3"}, (newest, "")),
        "limit-49": ({"limit": "49"}, (newest, "")),
        "limit-50": ({"limit": "50"}, (newest, "")),
        "limit-51": ({"limit": "51"}, BAD_PAGE),
        "limit-minus-1": ({"limit": "-1"}, BAD_PAGE),
        "limit-not-a-number": ({"limit": "x"}, BAD_PAGE),
        "cursor-empty": ({"cursor": ""}, (newest, "")),
        "cursor-of-page-1": ({"limit": "1", "cursor": "1"}, ([second], "2")),
        "cursor-of-page-2": ({"limit": "1", "cursor": "2"}, ([third], "")),
        "cursor-at-the-end": ({"cursor": "3"}, ([], "")),
        "cursor-past-the-end": ({"cursor": "4"}, ([], "")),
        "cursor-not-a-number": ({"cursor": "x"}, BAD_PAGE),
        "cursor-minus-1": ({"cursor": "-1"}, BAD_PAGE),
    }


def test_the_pin_list_takes_limits_of_1_to_50_and_its_own_cursors(make_user, admin):
    """Three pins, newest pin first: every cell answers exactly a page and its cursor (empty on the last
    page), or 400 illegal_argument."""
    alice, bob = make_user("alice"), make_user("bob")
    ids = [admin.must_send_text_to_users(bob.name, f"m{i}", sender=alice.name)[bob.name] for i in range(3)]
    for msg_id in ids:
        admin.must_pin_message(alice.name, bob.name, msg_id)
    cases = pin_page_cases(list(reversed(ids)))
    as_bob = admin.with_token(bob.token())
    got = {name: answer(as_bob.request("GET", f"/sdk/user/{bob.name}/user_channel/pin",
                                       params={"to": alice.name, "type": "chat", **params}))
           for name, (params, _) in cases.items()}
    assert got == {name: expected for name, (_, expected) in cases.items()}


def test_a_group_pin_is_its_members_and_of_its_own_messages(make_user, make_group, admin):
    """In a group conversation a member pins the group's messages; an outsider, a group that does not
    exist, another group's message or a 1:1 message are refused, and only the member's pin is listed."""
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    group, other = make_group(alice, members=[bob]).id, make_group(alice, members=[bob]).id
    here = admin.must_send_text_to_groups(group, "pin me", sender=alice.name)[group]
    there = admin.must_send_text_to_groups(other, "not in this group", sender=alice.name)[other]
    one_to_one = admin.must_send_text_to_users(bob.name, "just us", sender=alice.name)[bob.name]

    def pin(user, to, msg_id, kind="groupchat"):
        return answer(admin.with_token(user.token()).pin_message(user.name, to, msg_id, kind))

    got = {
        "outsider": pin(carol, group, here),
        "no-such-group": pin(bob, "1234567890", here),
        "other-groups-message": pin(bob, group, there),
        "one-to-one-message": pin(bob, group, one_to_one),
        "group-message-in-one-to-one": pin(bob, alice.name, here, "chat"),
        "member": pin(bob, group, here),
    }
    assert got == {
        "outsider": (403, "forbidden_op", f"user {carol.name} is not a member of group {group}"),
        "no-such-group": (403, "forbidden_op", f"user {bob.name} is not a member of group 1234567890"),
        "other-groups-message": ILLEGAL_PIN,
        "one-to-one-message": ILLEGAL_PIN,
        "group-message-in-one-to-one": ILLEGAL_PIN,
        "member": (200, {"result": "ok"}),
    }
    for user in (alice, bob):
        (info,) = admin.must_pinned_messages(user.name, group, "groupchat")["msg_infos"]
        assert (info["message"]["id"], info["pin_operator"]) == (str(here), bob.name), user.name
    refused = admin.with_token(carol.token()).pinned_messages(carol.name, group, "groupchat")
    assert answer(refused) == (403, "forbidden_op", f"user {carol.name} is not a member of group {group}")
