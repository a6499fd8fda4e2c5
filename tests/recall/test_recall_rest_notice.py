"""The RECALL notice of a REST recall names its conversation (docs/protocol/rest.md §3.6,
docs/protocol/msync.md §4.4), by table: for a 1:1 message Meta.to is the receiver's user JID, for a group
message the group's conference JID; MessageBody.to names the conversation either way. And the recaller a
REST recall names (`from`) must be a non-empty string."""
import pytest

from im_client.match import recall_of

pytestmark = [pytest.mark.recall, pytest.mark.owner("caixiangyue")]

# conversation -> (REST chat_type, Meta.to domain of the notice)
CONVERSATIONS = {"chat": ("chat", "easemob.com"), "group": ("groupchat", "conference.easemob.com")}
ROWS = [pytest.param("chat", id="chat"), pytest.param("group", id="group", marks=pytest.mark.group)]


@pytest.mark.parametrize("where", ROWS)
def test_rest_recall_notice_is_addressed_to_the_conversation(alice, login, make_group, admin, where):
    bob = login("bob")
    chat_type, domain = CONVERSATIONS[where]
    if where == "chat":
        to, sent = bob.name, alice.must_send_text(bob.name, "taken back over rest")
    else:
        to = make_group(alice, members=[bob]).id
        sent = alice.must_send_group_text(to, "taken back over rest")
    admin.must_recall_message(sent.server_id, to=to, chat_type=chat_type, sender=alice.name)
    notice = bob.wait_for(recall_of(sent))
    assert (notice.meta.to.name, notice.meta.to.domain, notice.to) == (to, domain, to)


@pytest.mark.parametrize("recaller", ["", 5, ["x"]], ids=["empty", "number", "list"])
def test_rest_recall_names_the_recaller_by_a_non_empty_string(alice, bob, admin, recaller):
    sent = alice.must_send_text(bob.name, "stays")
    resp = admin.request("POST", "/messages/msg_recall", json_body={
        "msg_id": str(sent.server_id), "to": bob.name, "chat_type": "chat", "from": recaller})
    body = resp.json()
    assert (resp.status_code, body.get("error"), body.get("error_description")) == (
        400, "message_recall_error", "param from can't be empty"), resp.text
