"""Batch recall over REST (docs/protocol/rest.md §3.4): `POST /messages/batch_recall` and the older
`POST /messages/recall`, one answer item per message, a refused item not stopping the others."""
import pytest

from im_client.match import recall_of

pytestmark = [pytest.mark.recall, pytest.mark.owner("caixiangyue")]


def _item(sent, to, chat_type="chat", **kw):
    return {"msg_id": str(sent.server_id), "to": to, "chat_type": chat_type, "force": False, **kw}


@pytest.mark.rule("batch-recall-per-item")
@pytest.mark.parametrize("path", ["/messages/batch_recall", "/messages/recall"])
def test_batch_recalls_1to1_and_group_messages(alice, bob, make_group, admin, path):
    """A 1:1 and a group message in one call: both recalled, both notices delivered, answered in order."""
    group = make_group(alice, members=[bob.name])
    chat = alice.must_send_text(bob.name, "one")
    grouped = alice.must_send_group_text(group.id, "two")
    data = admin.must_batch_recall([_item(chat, bob.name, **{"from": alice.name}),
                                    _item(grouped, group.id, "groupchat")], path=path)
    assert [(d["recalled"], d["msg_id"], d["chattype"]) for d in data] == [
        ("yes", str(chat.server_id), "chat"), ("yes", str(grouped.server_id), "groupchat")]
    bob.wait_for(recall_of(chat))
    bob.wait_for(recall_of(grouped))


@pytest.mark.rule("batch-recall-per-item", "recall-not-found-reason")
def test_a_refused_item_does_not_stop_the_others(alice, bob, admin):
    """An unknown message is answered `recalled: no` with the single recall's reason; the next one is recalled."""
    first, second = alice.must_send_text(bob.name, "a"), alice.must_send_text(bob.name, "b")
    alice.must_recall(first)
    data = admin.must_batch_recall([_item(first, bob.name), _item(second, bob.name)])
    assert (data[0]["recalled"], data[0]["reason"]) == ("no", "not_found msg")
    assert data[1]["recalled"] == "yes"
    bob.wait_for(recall_of(second))


@pytest.mark.rule("batch-recall-per-item")
def test_batch_needs_msgs_at_most_30_and_force(alice, bob, admin):
    sent = alice.must_send_text(bob.name, "x")
    empty = admin.batch_recall([])
    assert (empty.status_code, empty.json()["error"]) == (400, "message_recall_error")
    many = admin.batch_recall([_item(sent, bob.name)] * 31)
    assert many.status_code == 400
    no_force = {k: v for k, v in _item(sent, bob.name).items() if k != "force"}
    (item,) = admin.must_batch_recall([no_force])
    assert (item["recalled"], item["reason"]) == ("no", "param force can't be empty")
