"""Reactions on 1:1 messages (docs/protocol/rest.md §7, docs/protocol/msync.md §4.6, §5.5): add, remove, list and who
reacted; the other participant hears of every change through a NOTIFY `reaction` item."""
import threading

import pytest

from fixtures.notices import assert_envelope
from im_client import RestClient, match
from im_client.match import reaction_change

pytestmark = [pytest.mark.reaction, pytest.mark.owner("caixiangyue")]

THUMBS, HEART = "👍", "❤️"


def test_peer_hears_of_a_new_reaction(alice, bob, admin):
    """The sender hears, by a NOTIFY reaction item, that the receiver reacted."""
    sent = alice.must_send_text(bob.name, "react to me")
    bob.wait_for(match.of(sent))
    data = admin.must_add_reaction(bob.name, sent.server_id, THUMBS)
    assert (data["msgId"], data["msgType"], data["reaction"], data["groupId"]) == (
        str(sent.server_id), "chat", THUMBS, None)
    notice = alice.wait_for(reaction_change(sent, THUMBS, "create", bob.name))
    change = notice.payload["data"][0]
    assert (change["from"], change["to"], change["channel_type"]) == (bob.name, alice.name, "chat")
    assert change["reactions"][0]["count"] == 1 and change["reactions"][0]["userList"] == [bob.name]


def test_list_shows_counts_users_and_own_state(alice, bob, admin):
    """The list gives each reaction's count, first users, and whether the asker added it."""
    sent = alice.must_send_text(bob.name, "two reactions")
    admin.must_add_reaction(bob.name, sent.server_id, THUMBS)
    admin.must_add_reaction(alice.name, sent.server_id, THUMBS)
    admin.must_add_reaction(bob.name, sent.server_id, HEART)
    listed = admin.must_reactions(alice.name, [sent.server_id])
    assert [entry["msgId"] for entry in listed] == [str(sent.server_id)]
    summary = {r["reaction"]: (r["count"], r["userList"], r["state"]) for r in listed[0]["reactionList"]}
    assert summary == {THUMBS: (2, [bob.name, alice.name], True), HEART: (1, [bob.name], False)}


def test_removing_tells_the_peer_and_empties_the_list(alice, bob, admin):
    """Removing a reaction tells the peer (count 0) and leaves nothing listed."""
    sent = alice.must_send_text(bob.name, "changed my mind")
    admin.must_add_reaction(bob.name, sent.server_id, HEART)
    admin.must_remove_reaction(bob.name, sent.server_id, HEART)
    notice = alice.wait_for(reaction_change(sent, HEART, "delete", bob.name))
    assert notice.payload["data"][0]["reactions"][0]["count"] == 0
    assert admin.must_reactions(bob.name, [sent.server_id]) == []


def test_offline_peer_gets_the_change_on_login(make_user, login, admin, transport):
    """A peer offline during a reaction gets the NOTIFY on login."""
    alice, bob = make_user("alice"), login("bob")
    phone = alice.login(transport, resource="py_phone")
    sent = phone.must_send_text(bob.name, "react while I'm away")
    phone.close()
    admin.must_add_reaction(bob.name, sent.server_id, THUMBS)
    again = alice.login(transport, resource="py_phone")
    again.wait_for(reaction_change(sent, THUMBS, "create", bob.name))


def test_users_react_with_their_own_tokens(alice, bob, rest):
    """A user may react and list with their own user token."""
    sent = alice.must_send_text(bob.name, "self service")
    bob_rest = rest.with_token(bob.user.token())
    bob_rest.must_add_reaction(bob.name, sent.server_id, THUMBS)
    alice.wait_for(reaction_change(sent, THUMBS, "create"))
    assert bob_rest.must_reactions(bob.name, [sent.server_id])[0]["reactionList"][0]["state"] is True


def test_concurrent_adds_are_all_counted(alice, bob, admin):
    """Both participants add the same and different reactions at once: nothing is lost."""
    sent = alice.must_send_text(bob.name, "pile on")
    emojis = [f"r{n}" for n in range(8)]
    jobs = [(user, reaction) for user in (alice.name, bob.name) for reaction in [THUMBS, *emojis]]
    errors = []

    def add(user, reaction):
        try:
            RestClient(admin.target, admin.token).must_add_reaction(user, sent.server_id, reaction)
        except Exception as exc:  # reported below with the job that failed
            errors.append((user, reaction, exc))

    threads = [threading.Thread(target=add, args=job) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    reactions = admin.must_reactions(alice.name, [sent.server_id])[0]["reactionList"]
    assert {r["reaction"]: r["count"] for r in reactions} == {r: 2 for r in [THUMBS, *emojis]}
    assert all(sorted(r["userList"]) == sorted([alice.name, bob.name]) for r in reactions)
    assert sorted(admin.must_reaction_users(bob.name, sent.server_id, THUMBS)) == sorted(
        [alice.name, bob.name])


def test_detail_pages_through_users_in_order(alice, bob, admin):
    """The detail lists the users of a reaction in the order they reacted, page by page."""
    sent = alice.must_send_text(bob.name, "who reacted?")
    admin.must_add_reaction(alice.name, sent.server_id, THUMBS)
    admin.must_add_reaction(bob.name, sent.server_id, THUMBS)
    first = admin.must_reaction_detail(bob.name, sent.server_id, THUMBS, limit=1)
    assert (first["count"], first["userList"], first["state"]) == (2, [alice.name], True)
    second = admin.must_reaction_detail(bob.name, sent.server_id, THUMBS, limit=1, cursor=first["cursor"])
    assert (second["userList"], second["cursor"]) == ([bob.name], None)
    assert first["reactionId"] == second["reactionId"]


@pytest.mark.recall
def test_recall_removes_the_reactions(alice, bob, admin):
    """Recalling a message takes its reactions with it."""
    sent = alice.must_send_text(bob.name, "short-lived")
    admin.must_add_reaction(bob.name, sent.server_id, THUMBS)
    alice.must_recall(sent)
    assert admin.must_reactions(bob.name, [sent.server_id]) == []


@pytest.mark.rule("server-metas-carry-envelope")
def test_reaction_notice_carries_sender_recipient_time_and_id(alice, bob, admin):
    """The NOTIFY reaction item is from the reacting user, to the one told, with an id and a timestamp."""
    sent = alice.must_send_text(bob.name, "react to me")
    bob.wait_for(match.of(sent))
    admin.must_add_reaction(bob.name, sent.server_id, THUMBS)
    assert_envelope(alice.wait_for(reaction_change(sent, THUMBS, "create", bob.name)), to=alice.name,
                    sender=bob.name)


@pytest.mark.rule("history-carries-reactions")
def test_history_page_carries_the_reactions_with_the_readers_state(alice, bob, admin):
    """A history page shows each reaction of a message with its count, first users and whether the reader added it."""
    from im_client.rest_storage import conversation_queue
    sent = alice.must_send_text(bob.name, "react in history")
    plain = alice.must_send_text(bob.name, "no reactions")
    admin.must_add_reaction(bob.name, sent.server_id, THUMBS)
    admin.must_add_reaction(alice.name, sent.server_id, THUMBS)
    admin.must_add_reaction(bob.name, sent.server_id, HEART)
    for reader, hearted in ((alice.name, False), (bob.name, True)):
        peer = bob.name if reader == alice.name else alice.name
        history = {m.id: m for m in admin.must_history(reader, conversation_queue(peer))}
        reactions = history[sent.server_id].body_meta["reaction"]
        assert [(r["reaction"], r["count"], sorted(r["userList"])) for r in reactions] == [
            (THUMBS, 2, sorted([alice.name, bob.name])), (HEART, 1, [bob.name])]
        assert [r["state"] for r in reactions] == [True, hearted]
        assert history[plain.server_id].body_meta is None
