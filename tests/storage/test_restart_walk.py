"""Every state-changing operation of chat, recall, mutes, reactions, rooms, threads, contacts, block
lists and user attributes survives a restart, as one walk over a table (the groups have theirs in
tests/group/test_group_restart_walk.py): do it, restart the sandbox on the same data dir, and read
the state back. Each row carries the area (and owner) of what it changes."""
from dataclasses import dataclass

import pytest

from im_client.rest_storage import conversation_queue


@pytest.fixture
def target(restartable_sandbox):
    return restartable_sandbox.target


@dataclass
class World:
    """What a row acts on: alice's message to bob, a group of alice and bob with a thread, a room of
    alice (owner) and bob."""
    admin: object
    alice: str
    bob: str
    carol: str
    msg: int
    group: str
    group_msg: int
    thread: str
    room: str


def _history(w, user, peer):
    return [m for m in w.admin.must_history(user, conversation_queue(peer))]


def _room_members(w):
    return {v for entry in w.admin.must_chatroom_members(w.room) for v in entry.values()}


def _thread_members(w):
    return set(w.admin.must_thread_members(w.thread)["affiliations"])


def _reaction_count(w):
    listed = w.admin.must_reactions(w.bob, [w.msg])
    return listed[0]["reactionList"][0]["count"] if listed and listed[0]["reactionList"] else 0


def _room_info(w):
    data = w.admin.must_get_chatroom(w.room)
    return data[0] if isinstance(data, list) else data


# operation -> (area, owner, do it as the app, read back: True when the change is still there)
OPERATIONS = {
    # chat, recall, mute, reaction
    "send-1to1": ("chat", "caixiangyue", lambda w: None,
                  lambda w: [m.id for m in _history(w, w.bob, w.alice)] == [w.msg]),
    "edit": ("chat", "caixiangyue", lambda w: w.admin.must_rewrite_message(w.msg, {"type": "txt", "msg": "edited"}),
             lambda w: [m.text for m in _history(w, w.bob, w.alice)] == ["edited"]),
    "recall": ("recall", "caixiangyue", lambda w: w.admin.must_recall_message(w.msg, w.bob, sender=w.alice),
               lambda w: _history(w, w.bob, w.alice) == [] and _history(w, w.alice, w.bob) == []),
    "global-mute": ("mute", "caixiangyue", lambda w: w.admin.must_mute_user(w.bob, chat=600, groupchat=600),
                    lambda w: w.admin.must_mute_status(w.bob)["chat"] > 0),
    "add-reaction": ("reaction", "caixiangyue", lambda w: w.admin.must_add_reaction(w.bob, w.msg, "ok"),
                     lambda w: _reaction_count(w) == 1),
    "remove-reaction": ("reaction", "caixiangyue",
                        lambda w: (w.admin.must_add_reaction(w.bob, w.msg, "ok"),
                                   w.admin.must_remove_reaction(w.bob, w.msg, "ok")),
                        lambda w: _reaction_count(w) == 0),
    # chatrooms
    "room-add-member": ("chatroom", "yifan", lambda w: w.admin.must_add_chatroom_member(w.room, w.carol),
                        lambda w: w.carol in _room_members(w)),
    "room-remove-member": ("chatroom", "yifan", lambda w: w.admin.must_remove_chatroom_members(w.room, w.bob),
                           lambda w: w.bob not in _room_members(w)),
    "room-admin": ("chatroom", "yifan", lambda w: w.admin.must_add_chatroom_admin(w.room, w.bob),
                   lambda w: w.bob in w.admin.must_chatroom_admins(w.room)),
    "room-mute": ("chatroom", "yifan", lambda w: w.admin.must_mute_chatroom_members(w.room, w.bob, duration_ms=600_000),
                  lambda w: w.bob in {m["user"] for m in w.admin.must_chatroom_mutes(w.room)}),
    "room-mute-all": ("chatroom", "yifan", lambda w: w.admin.must_mute_all_chatroom(w.room),
                      lambda w: _room_info(w).get("mute") is True),
    "room-block": ("chatroom", "yifan", lambda w: w.admin.must_block_chatroom_users(w.room, w.bob),
                   lambda w: w.bob in w.admin.must_chatroom_blocks(w.room)),
    "room-allow-list": ("chatroom", "yifan", lambda w: w.admin.must_allow_chatroom_users(w.room, w.bob),
                        lambda w: w.bob in w.admin.must_chatroom_allowlist(w.room)),
    "room-rename": ("chatroom", "yifan", lambda w: w.admin.must_update_chatroom(w.room, name="renamed"),
                    lambda w: _room_info(w)["name"] == "renamed"),
    "room-announce": ("chatroom", "yifan", lambda w: w.admin.must_set_chatroom_announcement(w.room, "kept"),
                      lambda w: w.admin.must_chatroom_announcement(w.room)["announcement"] == "kept"),
    "room-attributes": ("chatroom", "yifan",
                        lambda w: w.admin.must_set_chatroom_attributes(w.room, w.bob, {"k": "v"}, auto_delete=False),
                        lambda w: w.admin.must_get_chatroom_attributes(w.room) == {"k": "v"}),
    "room-transfer-owner": ("chatroom", "yifan", lambda w: w.admin.must_transfer_chatroom_owner(w.room, w.bob),
                            lambda w: _room_info(w)["owner"] == w.bob),
    # threads
    "thread-rename": ("thread", "jiahao", lambda w: w.admin.must_rename_thread(w.thread, "renamed"),
                      lambda w: w.admin.must_get_thread(w.thread)["name"] == "renamed"),
    "thread-join": ("thread", "jiahao", lambda w: w.admin.must_add_thread_members(w.thread, [w.bob]),
                    lambda w: w.bob in _thread_members(w)),
    "thread-kick": ("thread", "jiahao",
                    lambda w: (w.admin.must_add_thread_members(w.thread, [w.bob]),
                               w.admin.must_kick_thread_member(w.thread, w.bob)),
                    lambda w: w.bob not in _thread_members(w)),
    "thread-destroy": ("thread", "jiahao", lambda w: w.admin.must_destroy_thread(w.thread),
                       lambda w: w.admin.get_thread(w.thread).status_code == 404),
    # contacts, block lists, user attributes
    "add-contact": ("contact", "xinbo", lambda w: w.admin.must_add_contact(w.alice, w.carol),
                    lambda w: w.carol in w.admin.must_contacts(w.alice) and w.alice in w.admin.must_contacts(w.carol)),
    "remove-contact": ("contact", "xinbo",
                       lambda w: (w.admin.must_add_contact(w.alice, w.carol),
                                  w.admin.must_remove_contact(w.alice, w.carol)),
                       lambda w: w.carol not in w.admin.must_contacts(w.alice)),
    "contact-remark": ("contact", "xinbo",
                       lambda w: (w.admin.must_add_contact(w.alice, w.carol),
                                  w.admin.must_set_contact_remark(w.alice, w.carol, "old friend")),
                       lambda w: w.admin.must_contact_remarks(w.alice).get(w.carol) == "old friend"),
    "block-user": ("contact", "xinbo", lambda w: w.admin.must_block_users(w.alice, [w.carol]),
                   lambda w: w.carol in w.admin.must_blocks(w.alice)),
    "unblock-user": ("contact", "xinbo",
                     lambda w: (w.admin.must_block_users(w.alice, [w.carol]),
                                w.admin.must_unblock_user(w.alice, w.carol)),
                     lambda w: w.carol not in w.admin.must_blocks(w.alice)),
    "user-attributes": ("userinfo", "xinbo", lambda w: w.admin.must_set_user_attributes(w.alice, {"nickname": "al"}),
                        lambda w: w.admin.must_user_attributes(w.alice).get("nickname") == "al"),
    "user-attributes-delete": ("userinfo", "xinbo",
                               lambda w: (w.admin.must_set_user_attributes(w.alice, {"nickname": "al"}),
                                          w.admin.must_delete_user_attributes(w.alice)),
                               lambda w: not w.admin.must_user_attributes(w.alice)),
}
ROWS = [pytest.param(name, id=name, marks=[getattr(pytest.mark, area), pytest.mark.owner(owner)])
        for name, (area, owner, _do, _check) in OPERATIONS.items()]


@pytest.mark.parametrize("operation", ROWS)
def test_change_survives_a_restart(operation, make_user, make_group, make_room, restartable_sandbox, admin, transport):
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    msg = admin.must_send_text_to_users(bob.name, "before the restart", sender=alice.name)[bob.name]
    group = make_group(alice, members=[bob])
    group_msg = admin.must_send_text_to_groups(group.id, "thread parent", sender=alice.name)[group.id]
    thread = admin.must_create_thread(group.id, group_msg, "the thread", owner=alice.name)["thread_id"]
    room = make_room(alice, members=[bob])
    world = World(admin, alice.name, bob.name, carol.name, int(msg), group.id, int(group_msg), thread, room.id)
    _area, _owner, do, still_there = OPERATIONS[operation]
    do(world)
    assert still_there(world), f"{operation} did not take"
    restartable_sandbox.restart()
    assert still_there(world), f"{operation} was lost by the restart"
    bob.login(transport).ping()  # the restarted sandbox serves msync too
