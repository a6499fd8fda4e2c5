"""The documented chatroom limits (docs/protocol/rest.md §6), as one table: each probed one under, at
and one over the limit. Under and at are accepted; one over gets the documented answer."""
import pytest

from im_wire import Reason

pytestmark = [pytest.mark.chatroom, pytest.mark.owner("yifan")]

NAME, DESCRIPTION, ANNOUNCEMENT, CUSTOM = 128, 512, 512, 8192
MAX_MEMBERS = 10_000  # chatroom_max_members, the default upper bound of maxusers
BATCH = 60  # usernames per add / kick / block / mute / allow call
ATTR_KEY, ATTR_VALUE, ATTR_BATCH = 128, 4096, 10
MAX_USERS = 4  # a small maxusers of the test's own room (owner included)


def _create(field, size):
    def probe(offset, alice, make_user, make_room, admin):
        resp = admin.create_chatroom(alice.name, **{field: "x" * (size + offset)})
        if resp.ok:
            make_room.made.append(resp.json()["data"]["id"])
        return resp
    return probe


def _update(field, size):
    def probe(offset, alice, make_user, make_room, admin):
        return admin.update_chatroom(make_room(alice).id, **{field: "x" * (size + offset)})
    return probe


def _maxusers(offset, alice, make_user, make_room, admin):
    resp = admin.create_chatroom(alice.name, maxusers=MAX_MEMBERS + offset)
    if resp.ok:
        make_room.made.append(resp.json()["data"]["id"])
    return resp


def _announcement(offset, alice, make_user, make_room, admin):
    return admin.set_chatroom_announcement(make_room(alice).id, "x" * (ANNOUNCEMENT + offset))


def _room_full(offset, alice, make_user, make_room, admin):
    """A room of maxusers MAX_USERS holding its owner and MAX_USERS - 2 members; one more member
    makes it full, a second one more is one over."""
    room = make_room(alice, members=make_user.many(MAX_USERS - 2), maxusers=MAX_USERS)
    if offset == 1:
        admin.must_add_chatroom_member(room.id, make_user("filler").name)
    return admin.add_chatroom_member(room.id, make_user("newcomer").name) if offset >= 0 else \
        admin.get_chatroom(room.id)


def _batch(call):
    def probe(offset, alice, make_user, make_room, admin):
        members = make_user.many(BATCH + offset)
        room = make_room(alice, members=members[:BATCH] if call != "add" else [])
        names = [u.name for u in members]
        if call != "add" and offset > 0:
            admin.must_add_chatroom_member(room.id, names[-1])
        if call == "add":
            return admin.add_chatroom_members(room.id, names)
        if call == "kick":
            return admin.remove_chatroom_members(room.id, names)
        if call == "block":
            return admin.block_chatroom_users(room.id, names)
        if call == "mute":
            return admin.mute_chatroom_members(room.id, names, duration_ms=60_000)
        return admin.allow_chatroom_users(room.id, names)
    return probe


def _members_on_create(offset, alice, make_user, make_room, admin):
    resp = admin.create_chatroom(alice.name, members=[u.name for u in make_user.many(BATCH + offset)])
    if resp.ok:
        make_room.made.append(resp.json()["data"]["id"])
    return resp


def _attr_batch(offset, alice, make_user, make_room, admin):
    room = make_room(alice)
    return admin.set_chatroom_attributes(room.id, alice.name, {f"k{i}": "v" for i in range(ATTR_BATCH + offset)})


def _status(resp):
    body = {} if resp.ok else resp.json()
    return resp.status_code, body.get("error"), body.get("error_description")


# limit -> (probe, the answer one over the limit: (status, error, description))
LIMITS = {
    "name-on-create": (_create("name", NAME), (403, "exceed_limit", f"title cannot exceed to {NAME}")),
    "description-on-create": (_create("description", DESCRIPTION),
                              (403, "exceed_limit", f"desc cannot exceed to {DESCRIPTION}")),
    "custom-on-create": (_create("custom", CUSTOM), (403, "exceed_limit", f"custom cannot exceed to {CUSTOM}")),
    "name-on-update": (_update("name", NAME), (403, "exceed_limit", f"title cannot exceed to {NAME}")),
    "description-on-update": (_update("description", DESCRIPTION),
                              (403, "exceed_limit", f"desc cannot exceed to {DESCRIPTION}")),
    "maxusers": (_maxusers, (403, "exceed_limit", f"maxUsers cannot exceed {MAX_MEMBERS}")),
    "announcement": (_announcement, (403, "forbidden_op", "announce info length exceeds limit!")),
    "room-full": (_room_full, (403, "forbidden_op", "group member list is full!")),
    "members-on-create": (_members_on_create, (400, "invalid_parameter",
                                               f"members size is more than max limit : {BATCH}")),
    "usernames-per-add": (_batch("add"), (400, "invalid_parameter",
                                          f"addMembers: addMembers number more than maxSize : {BATCH}")),
    "usernames-per-kick": (_batch("kick"), (400, "invalid_parameter",
                                            f"kickMember: kickMembers number more than maxSize : {BATCH}")),
    "usernames-per-block": (_batch("block"), (400, "invalid_parameter",
                                              f"addBlocks: blocks number more than maxSize : {BATCH}")),
    "usernames-per-mute": (_batch("mute"), (400, "invalid_parameter",
                                            f"userNames size is more than max limit : {BATCH}")),
    "usernames-per-allow": (_batch("allow"), (400, "invalid_parameter",
                                              f"usernames size is more than max limit : {BATCH}")),
    "attributes-per-call": (_attr_batch, (400, None, Reason.ROOM_ATTR_BATCH)),
}
CASES = [pytest.param(limit, offset, id=f"{limit}-{label}")
         for limit in LIMITS for offset, label in ((-1, "under"), (0, "at"), (1, "over"))]


@pytest.mark.parametrize("limit, offset", CASES)
def test_room_limit(alice, make_user, make_room, admin, limit, offset):
    probe, refused = LIMITS[limit]
    resp = probe(offset, alice, make_user, make_room, admin)
    if offset <= 0:
        assert resp.status_code == 200, resp.text
    else:
        got = _status(resp)
        assert (got[0], got[2]) == (refused[0], refused[2]) and refused[1] in (None, got[1]), resp.text


@pytest.mark.parametrize("offset", [-1, 0, 1], ids=["under", "at", "over"])
def test_attribute_key_and_value_lengths(alice, make_room, admin, offset):
    """A key of 128 characters and a value of 4096 are written; one more is refused for that key only."""
    room = make_room(alice)
    key, value = "k" * (ATTR_KEY + offset), "v" * (ATTR_VALUE + offset)
    answer = admin.must_set_chatroom_attributes(room.id, alice.name, {key: "v", "value": value, "ok": "1"})
    if offset <= 0:
        assert (sorted(answer["successKeys"]), answer.get("errorKeys") or {}) == (sorted([key, "value", "ok"]), {})
    else:
        assert answer["successKeys"] == ["ok"]
        assert answer["errorKeys"] == {key: Reason.ROOM_ATTR_KEY_TOO_LONG.format(key),
                                       "value": Reason.ROOM_ATTR_VALUE_TOO_LONG.format("value")}


@pytest.mark.app_config(chatroom_max_joined=2)
@pytest.mark.parametrize("offset", [-1, 0, 1], ids=["under", "at", "over"])
@pytest.mark.rule("chatroom-max-joined")
def test_rooms_one_user_may_join(alice, make_user, make_room, admin, offset):
    """chatroom_max_joined 2: a user in 1 room may be added to a second; in 2, not to a third."""
    bob = make_user("bob")
    for _ in range(2 + offset - 1):
        admin.must_add_chatroom_member(make_room(make_user("owner")).id, bob.name)
    resp = admin.add_chatroom_member(make_room(make_user("owner")).id, bob.name)
    if offset <= 0:
        assert resp.status_code == 200, resp.text
    else:
        assert (resp.status_code, resp.json()["error_description"]) == (
            403, f"can not join this group, reason:user {bob.name} has joined too many chatrooms!"), resp.text


@pytest.mark.parametrize("limit", [3, 2, 1], ids=["under", "at", "over"])
@pytest.mark.parametrize("role", ["owner", "member"])
@pytest.mark.rule("chatroom-max-joined")
def test_a_new_room_counts_against_the_rooms_one_user_may_join(make_user, make_room, admin, app_config, role, limit):
    """A user in 2 rooms may be put in a new room on creation only while chatroom_max_joined is over 2; at or
    under it (the setting lowered after the joins) the creation answers 403 and no room is made."""
    bob, carol = make_user("bob"), make_user("carol")
    for _ in range(2):
        make_room(make_user("owner"), members=[bob])
    app_config.set(chatroom_max_joined=limit)
    resp = (admin.create_chatroom(bob.name) if role == "owner"
            else admin.create_chatroom(carol.name, members=[bob.name]))
    if limit > 2:
        assert resp.status_code == 200, resp.text
        admin.must_delete_chatroom(resp.json()["data"]["id"])
        return
    body = resp.json()
    assert (resp.status_code, body["error"], body["error_description"]) == (
        403, "exceed_limit", f"user {bob.name} has joined too many chatrooms!"), resp.text
    assert len(admin.must_joined_chatrooms(bob.name)) == 2
