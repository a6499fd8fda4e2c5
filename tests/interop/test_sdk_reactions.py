"""Reactions between the Web SDK and im_client: the SDK's REST calls and its onReactionChange."""
import pytest

from im_client import match
from im_client.match import reaction_change
from im_e2e.interop.sdk_driver import sdk_event, sdk_message

pytestmark = [pytest.mark.interop, pytest.mark.reaction, pytest.mark.owner("caixiangyue")]

THUMBS, HEART = "👍", "❤️"


def _reaction_of(message_id: int, reaction: str, op: str):
    """onReactionChange about one message carrying `reaction` changed by `op` (create / delete)."""
    def check(data) -> bool:
        return any(r.get("reaction") == reaction and any(o.get("reactionType") == op for o in r.get("op") or [])
                   for r in data.get("reactions") or [])

    return sdk_event("onReactionChange", check, messageId=str(message_id))


def test_sdk_adds_and_removes_a_reaction_and_the_im_client_sender_hears_both(sdk_login, login):
    """addReaction / deleteReaction (REST, user token) reach the im_client sender as NOTIFY reaction items."""
    alice, bob = sdk_login("alice"), login("bob")
    sent = bob.must_send_text(alice.name, "react to me")
    alice.wait_for(sdk_message(sent))
    alice.call("addReaction", {"messageId": str(sent.server_id), "reaction": THUMBS})
    added = bob.wait_for(reaction_change(sent, THUMBS, "create", alice.name))
    assert added.payload["data"][0]["reactions"][0]["userList"] == [alice.name]
    alice.call("deleteReaction", {"messageId": str(sent.server_id), "reaction": THUMBS})
    removed = bob.wait_for(reaction_change(sent, THUMBS, "delete", alice.name))
    assert removed.payload["data"][0]["reactions"][0]["count"] == 0


def test_im_client_user_reaction_is_the_sdk_on_reaction_change(sdk_login, login, rest_as):
    """A reaction added and removed by the im_client user is the SDK's onReactionChange, create then delete."""
    alice, bob = sdk_login("alice"), login("bob")
    sent = alice.must_send_text(bob.name, "react to me")
    bob.wait_for(match.of(sent))
    rest_as(bob.user).must_add_reaction(bob.name, sent.server_id, HEART)
    change = alice.wait_for(_reaction_of(sent.server_id, HEART, "create"))
    assert (change["from"], change["to"], change["chatType"]) == (bob.name, alice.name, "singleChat")
    reaction = change["reactions"][0]
    assert (reaction["count"], reaction["userList"]) == (1, [bob.name])
    rest_as(bob.user).must_remove_reaction(bob.name, sent.server_id, HEART)
    alice.wait_for(_reaction_of(sent.server_id, HEART, "delete"))


def test_sdk_reaction_list_shows_both_users(sdk_login, login, rest_as):
    """`conn.getReactionlist` reads what both users added, with the SDK user's own state."""
    alice, bob = sdk_login("alice"), login("bob")
    sent = bob.must_send_text(alice.name, "two reactions")
    alice.wait_for(sdk_message(sent))
    alice.call("addReaction", {"messageId": str(sent.server_id), "reaction": THUMBS})
    rest_as(bob.user).must_add_reaction(bob.name, sent.server_id, THUMBS)
    rest_as(bob.user).must_add_reaction(bob.name, sent.server_id, HEART)
    listed = alice.call("getReactionlist", {"chatType": "singleChat", "messageId": str(sent.server_id)})
    assert [entry["msgId"] for entry in listed["data"]] == [str(sent.server_id)]
    summary = {r["reaction"]: (r["count"], r["isAddedBySelf"], r["userList"])
               for r in listed["data"][0]["reactionList"]}
    assert summary == {THUMBS: (2, True, [alice.name, bob.name]), HEART: (1, False, [bob.name])}
