"""Pinned messages (docs/protocol/rest.md §12.3): a pin belongs to the conversation, both sides list it,
and every device but the acting one is told (NOTIFY conv pin / pin_delete, the SDK's onMessagePinEvent)."""
import json

import pytest

from im_client import match

pytestmark = [pytest.mark.conversation, pytest.mark.owner("caixiangyue")]

ILLEGAL_PIN = "param pin_msg_id illegal, please check it!"


@pytest.mark.rule("pinned-messages-shared")
def test_a_pin_is_seen_and_heard_by_both_sides(alice, bob, login, admin):
    """alice pins bob's message: both list it with her as operator; bob and alice's other device are told."""
    phone = login(alice.user)
    sent = bob.must_send_text(alice.name, "pin me")
    as_alice = admin.with_token(alice.user.token())
    as_alice.must_pin_message(alice.name, bob.name, sent.server_id, resource=alice.resource)
    bob.wait_for(match.conversation_notice("pin", bob.name, ext=str(sent.server_id)))
    phone.wait_for(match.conversation_notice("pin", bob.name, ext=str(sent.server_id)))
    for owner, peer in ((alice, bob), (bob, alice)):
        (info,) = admin.must_pinned_messages(owner.name, peer.name)["msg_infos"]
        assert (info["pin_operator"], info["message"]["id"]) == (alice.name, str(sent.server_id))
        assert json.loads(info["message"]["payload"])["bodies"] == [{"type": "txt", "msg": "pin me"}]


@pytest.mark.rule("pinned-messages-shared")
def test_unpin_empties_the_list_and_tells_the_peer(alice, bob, admin):
    """Unpinning: the list is empty for both and bob hears pin_delete; unpinning again is refused."""
    sent = alice.must_send_text(bob.name, "briefly pinned")
    as_alice = admin.with_token(alice.user.token())
    as_alice.must_pin_message(alice.name, bob.name, sent.server_id)
    as_alice.must_pin_message(alice.name, bob.name, sent.server_id, unpin=True)
    bob.wait_for(match.conversation_notice("pin_delete", bob.name, ext=str(sent.server_id)))
    assert admin.must_pinned_messages(bob.name, alice.name)["msg_infos"] == []
    again = as_alice.pin_message(alice.name, bob.name, sent.server_id, unpin=True)
    assert (again.status_code, again.json()["error_description"]) == (400, ILLEGAL_PIN)


@pytest.mark.rule("pinned-messages-shared")
def test_pins_page_newest_first(alice, bob, admin):
    """Three pins, pages of two, newest pin first; the cursor is empty on the last page."""
    sent = [alice.must_send_text(bob.name, f"m{i}") for i in range(3)]
    for s in sent:
        admin.must_pin_message(alice.name, bob.name, s.server_id)
    first = admin.must_pinned_messages(bob.name, alice.name, limit=2)
    assert [i["message"]["id"] for i in first["msg_infos"]] == [str(sent[2].server_id), str(sent[1].server_id)]
    rest = admin.must_pinned_messages(bob.name, alice.name, limit=2, cursor=first["cursor"])
    assert ([i["message"]["id"] for i in rest["msg_infos"]], rest["cursor"]) == ([str(sent[0].server_id)], "")


@pytest.mark.rule("pinned-messages-shared")
def test_a_message_of_another_conversation_cannot_be_pinned_here(alice, bob, make_user, admin):
    """alice's message to carol is not in her conversation with bob; a made-up id is not either."""
    carol = make_user("carol")
    elsewhere = alice.must_send_text(carol.name, "for carol")
    for msg_id in (elsewhere.server_id, "42", "not-a-number"):
        resp = admin.pin_message(alice.name, bob.name, msg_id)
        assert (resp.status_code, resp.json()["error_description"]) == (400, ILLEGAL_PIN)


@pytest.mark.rule("pinned-messages-shared")
def test_a_recalled_message_is_no_longer_pinned(alice, bob, admin):
    sent = alice.must_send_text(bob.name, "pinned then recalled")
    admin.must_pin_message(bob.name, alice.name, sent.server_id)
    alice.must_recall(sent)
    assert admin.must_pinned_messages(bob.name, alice.name)["msg_infos"] == []
