"""The REST send API for users (docs/protocol/rest.md §3.1): the app admin sends text, command and custom
messages, to several users at once, online or offline, and gets one message id per user."""
import pytest

from im_client import match

pytestmark = [pytest.mark.chat, pytest.mark.owner("caixiangyue")]


def test_admin_text_reaches_several_users_with_one_id_each(login, make_user, admin, transport):
    """One REST send reaches every listed user, online or offline, each with its own id."""
    bob, carol = login("bob"), make_user("carol")
    ids = admin.must_send_text_to_users([bob.name, carol.name], "hello all")
    assert set(ids) == {bob.name, carol.name} and len(set(ids.values())) == 2
    got = bob.wait_for(match.text("hello all"))
    assert (got.id, got.sender, got.to) == (int(ids[bob.name]), "admin", bob.name)
    offline = carol.login(transport)
    assert offline.wait_for(match.text("hello all")).id == int(ids[carol.name])


def test_admin_sends_in_the_name_of_a_user(alice, bob, admin):
    """A REST send with `from` arrives as that user's message, and can be replied to."""
    ids = admin.must_send_text_to_users(bob.name, "said by alice", sender=alice.name)
    got = bob.wait_for(match.message_id(int(ids[bob.name])))
    assert got.sender == alice.name
    reply = bob.must_send_text(alice.name, "got it")
    alice.wait_for(match.of(reply))


def test_sync_device_copies_to_the_sender(alice, bob, admin):
    """With sync_device the sender's own devices get a copy."""
    ids = admin.must_send_text_to_users(bob.name, "copied", sender=alice.name, sync_device=True)
    copy = alice.wait_for(match.message_id(int(ids[bob.name])))
    assert (copy.sender, copy.to) == (alice.name, bob.name)


def test_route_online_skips_offline_users(make_user, admin, transport):
    """ROUTE_ONLINE messages are not kept for offline users; ordinary ones are."""
    bob = make_user("bob")
    bob.login(transport, resource="py_phone").close()
    admin.must_send_text_to_users(bob.name, "only if online", routetype="ROUTE_ONLINE")
    later = admin.must_send_text_to_users(bob.name, "stored for later")
    device = bob.login(transport, resource="py_phone")
    device.wait_for(match.message_id(int(later[bob.name])))
    device.wait_offline_sync()
    assert not device.received(match.text("only if online"))


@pytest.mark.parametrize("payload,description", [
    ({"to": [], "type": "txt", "body": {"msg": "x"}}, "param to can't be empty"),
    ({"to": ["u"], "type": "", "body": {"msg": "x"}}, "param type can't be empty"),
    ({"to": ["u"], "type": "txt"}, "param body can't be empty"),
    ({"to": ["u"], "type": "txt", "body": {"msg": "x"}, "from": ""}, "param from can't be empty"),
    ({"to": ["u"], "type": "txt", "body": {"msg": "x"}, "ext": None}, "param ext must be JSONObject"),
    ({"to": ["u"], "type": "txt", "body": {"msg": "x"}, "ext": [1]}, "param ext must be JSONObject"),
    ({"to": ["u"], "type": "cmd", "body": {"msg": "x"}}, "param action can't be empty"),
    ({"to": [f"u{n}" for n in range(601)], "type": "txt", "body": {"msg": "x"}},
     "params to's size can't exceed limit 600"),
], ids=["no-to", "no-type", "no-body", "empty-from", "null-ext", "list-ext", "cmd-without-action", "601-users"])
def test_bad_send_requests_are_refused(admin, payload, description):
    """Each malformed REST send is refused with its documented description."""
    resp = admin.request("POST", "/messages/users", json_body=payload)
    body = resp.json()
    assert (resp.status_code, body["error"], body["error_description"]) == (400, "message_send_error", description)


def test_user_token_cannot_use_the_admin_send(make_user, rest):
    """The REST send API is for the app admin: a user token gets 401."""
    alice = make_user("alice")
    resp = rest.request("POST", "/messages/users", token=alice.token(),
                    json_body={"to": [alice.name], "type": "txt", "body": {"msg": "x"}})
    assert (resp.status_code, resp.json()["error"]) == (401, "auth_bad_access_token")
