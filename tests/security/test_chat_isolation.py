"""One user cannot reach another user's one-to-one messages: not by pulling their queue, not by
recalling, not through the roaming history (docs/protocol/msync.md §3.6, docs/protocol/rest.md §3.8)."""
import pytest

from im_client import ErrorCode, Reason, match
from im_wire import USER_DOMAIN, make_jid, pb

pytestmark = [pytest.mark.chat, pytest.mark.owner("caixiangyue")]


def _queues_of(client, *names_and_resources):
    for name, resource in names_and_resources:
        jid = make_jid(client.appkey, name, USER_DOMAIN)
        if resource:
            jid.clientResource = resource
        yield jid


def test_pulling_another_users_queue_gets_nothing_of_theirs(alice, login, make_user, transport):
    """Mallory pulls (and acknowledges with a key) the queues bob's stored message sits in: she gets
    none of it, and bob still receives it at his next login."""
    bob = make_user("bob")
    bob_device = bob.login(transport)
    resource = bob_device.resource
    bob_device.close()
    sent = alice.must_send_text(bob.name, "for bob only")
    mallory = login("mallory")
    targets = [(alice.name, None), (bob.name, None), (bob.name, resource), (alice.name, alice.resource)]
    for jid in _queues_of(mallory, *targets):
        mallory.send_sync(pb.CommSyncUL(queue=jid))
        mallory.send_sync(pb.CommSyncUL(queue=jid, key=sent.server_id))  # an ack of bob's item, if it counted
    mallory.ping()  # every pull above was answered before this reply (one connection, in order)
    assert not mallory.received(match.of(sent))
    assert not [m for m in mallory.received(match.message()) if m.sender == alice.name]
    again = bob.login(transport, resource=resource)
    again.wait_for(match.of(sent))


@pytest.mark.recall
@pytest.mark.rule("recall-of-others")
def test_a_third_user_cannot_recall_a_message(alice, bob, login):
    """A recall by someone outside the conversation is refused, and the message stays recallable by its sender."""
    sent = alice.must_send_text(bob.name, "not yours to recall")
    bob.wait_for(match.of(sent))
    mallory = login("mallory")
    for to in (bob.name, alice.name):
        ack = mallory.recall(sent.server_id, to=to)
        assert (ack.code, ack.reason) == (ErrorCode.FAIL, Reason.NO_PERMISSION), to
    bob.ping()
    assert not bob.received(match.recall_of(sent))
    alice.must_recall(sent)
    bob.wait_for(match.recall_of(sent))


@pytest.mark.recall
@pytest.mark.rule("recall-of-others")
def test_the_receiver_cannot_recall_the_senders_message(alice, bob):
    """The receiver of a message cannot recall it: FAIL `Sorry, You do not have permission`."""
    sent = alice.must_send_text(bob.name, "mine")
    got = bob.wait_for(match.of(sent))
    ack = bob.recall(got)
    assert (ack.code, ack.reason) == (ErrorCode.FAIL, Reason.NO_PERMISSION)
    alice.ping()
    assert not alice.received(match.recall_of(sent))


def test_roaming_history_of_another_user_is_refused(alice, make_user, rest_as, transport):
    """Mallory's token cannot read bob's roaming history, and her own history of bob's peer is empty."""
    bob, mallory = make_user("bob"), make_user("mallory")
    sent = alice.must_send_text(bob.name, "private history")
    as_mallory = rest_as(mallory)
    refused = as_mallory.message_roaming(bob.name, f"{alice.name}@{USER_DOMAIN}")
    assert (refused.status_code, refused.json()["error"]) == (401, "auth_bad_access_token")
    for peer in (alice.name, bob.name):
        assert sent.server_id not in [m.id for m in as_mallory.must_history(mallory.name, f"{peer}@{USER_DOMAIN}")]
    assert not mallory.login(transport).closed


@pytest.mark.recall
def test_rest_recall_needs_the_app_token(alice, bob, rest_as):
    """The REST recall endpoint refuses a user token, even the sender's own, and recalls nothing."""
    sent = alice.must_send_text(bob.name, "stays")
    bob.wait_for(match.of(sent))
    for who in (bob, alice):
        resp = rest_as(who).request("POST", "/messages/msg_recall", json_body={
            "msg_id": str(sent.server_id), "to": bob.name, "from": alice.name, "chat_type": "chat"})
        body = resp.json()
        assert (resp.status_code, body["error"]) == (401, "auth_bad_access_token"), body
    bob.ping()
    assert not bob.received(match.recall_of(sent))
