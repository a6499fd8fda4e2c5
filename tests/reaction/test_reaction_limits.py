"""Reaction errors (docs/protocol/rest.md §7, docs/protocol/msync.md §5.5): HTTP 400 with the exact descriptions the SDK maps."""
import pytest


pytestmark = [pytest.mark.reaction, pytest.mark.owner("caixiangyue")]

THUMBS = "👍"


def _refused(resp):
    body = resp.json()
    assert (resp.status_code, body.get("error")) == (400, "Bad Request"), body
    return body.get("error_description")


def test_adding_the_same_reaction_twice(alice, bob, admin):
    """Adding a reaction you already added is refused."""
    sent = alice.must_send_text(bob.name, "once is enough")
    admin.must_add_reaction(bob.name, sent.server_id, THUMBS)
    assert _refused(admin.add_reaction(bob.name, sent.server_id, THUMBS)) == \
        "the user is already operation this message"


def test_removing_a_reaction_you_did_not_add(alice, bob, admin):
    """Removing a reaction you did not add is refused and the reaction stays."""
    sent = alice.must_send_text(bob.name, "hands off")
    admin.must_add_reaction(alice.name, sent.server_id, THUMBS)
    assert _refused(admin.remove_reaction(bob.name, sent.server_id, THUMBS)) == \
        "the user operation is illegal!"
    assert admin.must_reactions(bob.name, [sent.server_id])[0]["reactionList"][0]["count"] == 1


@pytest.mark.rule("reaction-participants")
def test_outsiders_cannot_react(alice, bob, login, admin):
    """Only the two participants of a 1:1 message may react to it."""
    carol = login("carol")
    sent = alice.must_send_text(bob.name, "between us")
    assert _refused(admin.add_reaction(carol.name, sent.server_id, THUMBS)) == \
        "the user operation is illegal!"


def test_at_most_twenty_reactions_per_message(alice, bob, admin):
    """A message holds at most 20 different reactions; existing ones stay open to others."""
    sent = alice.must_send_text(bob.name, "so many feelings")
    for n in range(20):
        admin.must_add_reaction(alice.name, sent.server_id, f"r{n}")
    assert _refused(admin.add_reaction(bob.name, sent.server_id, "r20")) == \
        "The quantity has exceeded the limit!"
    admin.must_add_reaction(bob.name, sent.server_id, "r0")  # an existing reaction is still open to others


def test_list_and_detail_limits(alice, bob, admin):
    """The list takes at most 20 ids and needs groupId for groupchat; the detail pages at most 50."""
    sent = alice.must_send_text(bob.name, "limits")
    assert _refused(admin.reactions(bob.name, range(1, 22))) == "msgIdList exceeds the maximum number limit"
    assert _refused(admin.reactions(bob.name, [sent.server_id], msg_type="groupchat")) == \
        "groupId can not be null!"
    assert _refused(admin.reaction_detail(bob.name, sent.server_id, THUMBS, limit=51)) == \
        "Limit exceeds the maximum quantity limit"


def test_another_users_token_is_refused(alice, bob, rest):
    """A user token may only act for its own user."""
    sent = alice.must_send_text(bob.name, "not in my name")
    resp = rest.request("POST", f"/reaction/user/{bob.name}", token=alice.user.token(),
                    json_body={"msgId": str(sent.server_id), "message": THUMBS})
    assert (resp.status_code, resp.json()["error"]) == (401, "auth_bad_access_token")


@pytest.mark.app_config(reactions_enabled=False)
def test_reaction_service_off(alice, bob, admin):
    """With reactions switched off for the app every add is refused."""
    sent = alice.must_send_text(bob.name, "no reactions here")
    assert _refused(admin.add_reaction(bob.name, sent.server_id, THUMBS)) == \
        "this appKey is not open reaction service!"


@pytest.mark.parametrize("body", [{"message": THUMBS}, {"msgId": "", "message": THUMBS}, {"msgId": None, "message": THUMBS},
                                  ["not", "an", "object"]],
                         ids=["no-msgId", "empty-msgId", "null-msgId", "not-an-object"])
def test_a_reaction_names_its_message(bob, rest, body):
    """Without a message id (absent, empty, null) or without an object body, nothing is added."""
    resp = rest.request("POST", f"/reaction/user/{bob.name}", token=bob.token, json_body=body)
    assert _refused(resp) == "msgId and message can not be null!"
