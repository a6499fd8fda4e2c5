"""Threads over REST (docs/protocol/rest.md §5.3, docs/protocol/msync.md §5.6): created from a group message, renamed,
destroyed, joined and left, with the NOTIFY `thread` items group members get."""
import pytest

from im_client import match

pytestmark = [pytest.mark.thread, pytest.mark.owner("jiahao")]


@pytest.fixture
def parent(alice, make_group):
    """`parent(*members)`: a group of alice and those members, with one message of alice's to
    start threads from."""
    def _parent(*members):
        group = make_group(alice, members=members)
        return group, alice.must_send_group_text(group.id, "what shall we do?")
    return _parent


@pytest.mark.rule("thread-membership")
def test_thread_is_created_from_a_group_message(alice, login, parent, rest_as):
    bob = login("bob")
    group, message = parent(bob)
    thread_id = rest_as(alice).must_create_thread(group.id, message.server_id, "weekend plans")["thread_id"]
    created = bob.wait_for(match.thread_notify("create", thread_id)).payload["data"]
    assert (created["name"], created["muc_parent_id"], created["msg_parent_id"], created["from"]) == (
        "weekend plans", group.id, str(message.server_id), alice.name)
    info = rest_as(bob).must_get_thread(thread_id)
    assert (info["owner"], info["groupId"], info["msgId"], info["affiliations_count"]) == (
        alice.name, group.id, str(message.server_id), 1)


def test_thread_creation_refusals(alice, login, parent, rest_as, make_user):
    bob, stranger = login("bob"), make_user("stranger")
    group, message = parent(bob)
    rest_as(alice).must_create_thread(group.id, message.server_id, "first")
    resp = rest_as(bob).create_thread(group.id, message.server_id, "second")
    assert (resp.status_code, resp.json()["error_description"], resp.json()["error_code"]) == (
        403, "msg already create thread.not allow to create.", 40003)
    resp = rest_as(stranger).create_thread(group.id, message.server_id, "outsider")
    assert (resp.status_code, resp.json()["error_description"]) == (404, "user not in group.")
    resp = rest_as(alice).create_thread(group.id, 12345, "no such message")
    assert (resp.status_code, resp.json()["error_description"]) == (404, "msg not exist.")
    resp = rest_as(alice).create_thread(group.id, message.server_id, "x" * 65)
    assert (resp.status_code, resp.json()["error_description"]) == (400, "thread name limit reached.")


def test_thread_is_renamed(alice, login, parent, rest_as):
    bob = login("bob")
    group, message = parent(bob)
    thread_id = rest_as(alice).must_create_thread(group.id, message.server_id, "old name")["thread_id"]
    assert rest_as(alice).must_rename_thread(thread_id, "new name") == {"name": "new name"}
    assert bob.wait_for(match.thread_notify("update", thread_id)).payload["data"]["name"] == "new name"
    assert rest_as(bob).rename_thread(thread_id, "bob's name").status_code == 403


def test_thread_is_destroyed(alice, login, parent, rest_as):
    bob = login("bob")
    group, message = parent(bob)
    thread_id = rest_as(alice).must_create_thread(group.id, message.server_id, "short-lived")["thread_id"]
    assert rest_as(bob).destroy_thread(thread_id).status_code == 403
    assert rest_as(alice).must_destroy_thread(thread_id) == {"status": "ok"}
    bob.wait_for(match.thread_notify("delete", thread_id))
    resp = rest_as(bob).get_thread(thread_id)
    assert (resp.status_code, resp.json()["error_description"], resp.json()["error_code"]) == (
        404, "thread not found.", 40011)


def test_group_members_join_and_leave_a_thread(alice, login, parent, rest_as):
    bob = login("bob")
    group, message = parent(bob)
    thread_id = rest_as(alice).must_create_thread(group.id, message.server_id, "join me")["thread_id"]
    rest_as(bob).must_join_thread(thread_id, bob.name)
    assert rest_as(bob).must_thread_members(thread_id) == {"affiliations": [alice.name, bob.name]}
    rest_as(bob).must_leave_thread(thread_id, bob.name)
    assert rest_as(bob).must_thread_members(thread_id) == {"affiliations": [alice.name]}


@pytest.mark.rule("thread-membership")
def test_only_group_members_can_join_a_thread(alice, login, parent, rest_as, make_user):
    bob, stranger = login("bob"), make_user("stranger")
    group, message = parent(bob)
    thread_id = rest_as(alice).must_create_thread(group.id, message.server_id, "members only")["thread_id"]
    resp = rest_as(stranger).join_thread(thread_id, stranger.name)
    assert (resp.status_code, resp.json()["error_description"]) == (404, "user not in group.")
    assert rest_as(stranger).join_thread(thread_id, bob.name).status_code == 401  # not on someone's behalf


def test_kicked_member_gets_thread_kick(alice, login, parent, rest_as):
    bob = login("bob")
    group, message = parent(bob)
    thread_id = rest_as(alice).must_create_thread(group.id, message.server_id, "kick zone")["thread_id"]
    rest_as(bob).must_join_thread(thread_id, bob.name)
    assert rest_as(bob).kick_thread_member(thread_id, alice.name).status_code == 403
    assert rest_as(alice).must_kick_thread_member(thread_id, bob.name) == {"result": True, "user": bob.name}
    kick = bob.wait_for(match.muc("THREAD_KICK", thread_id, user=bob.name)).payload
    assert (kick.isThread, kick.mucParentId.name, kick.mucName) == (True, group.id, "kick zone")
    assert rest_as(alice).must_thread_members(thread_id) == {"affiliations": [alice.name]}


def test_thread_lists(alice, login, parent, rest_as):
    bob = login("bob")
    group, message = parent(bob)
    second = alice.must_send_group_text(group.id, "another topic")
    first_id = rest_as(alice).must_create_thread(group.id, message.server_id, "one")["thread_id"]
    second_id = rest_as(bob).must_create_thread(group.id, second.server_id, "two")["thread_id"]
    in_group = rest_as(bob).must_group_threads(group.id)
    assert [(t["id"], t["name"], t["groupId"]) for t in in_group] == [(first_id, "one", group.id),
                                                                      (second_id, "two", group.id)]
    assert [t["id"] for t in rest_as(bob).must_user_threads(bob.name)] == [second_id]
    assert [t["id"] for t in rest_as(alice).must_user_threads(alice.name, group.id)] == [first_id]


@pytest.mark.rule("thread-membership")
def test_destroying_the_group_destroys_its_threads(alice, login, parent, rest_as):
    bob = login("bob")
    group, message = parent(bob)
    thread_id = rest_as(alice).must_create_thread(group.id, message.server_id, "doomed")["thread_id"]
    rest_as(alice).must_destroy_group(group.id)
    bob.wait_for(match.muc("DESTROY", group.id))
    assert rest_as(alice).get_thread(thread_id).status_code == 404


@pytest.mark.rule("thread-membership")
def test_member_leaving_the_group_leaves_its_threads(alice, login, parent, rest_as):
    bob = login("bob")
    group, message = parent(bob)
    thread_id = rest_as(alice).must_create_thread(group.id, message.server_id, "stay or go")["thread_id"]
    rest_as(bob).must_join_thread(thread_id, bob.name)
    rest_as(bob).must_quit_group(group.id)
    assert rest_as(alice).must_thread_members(thread_id) == {"affiliations": [alice.name]}


@pytest.mark.app_config(threads_enabled=False)
def test_thread_service_can_be_switched_off(alice, parent, rest_as):
    group, message = parent()
    resp = rest_as(alice).create_thread(group.id, message.server_id, "not today")
    assert (resp.status_code, resp.json()["error"], resp.json()["error_description"], resp.json()["error_code"]) == (
        403, "group_error", "thread not open.", 40000)
