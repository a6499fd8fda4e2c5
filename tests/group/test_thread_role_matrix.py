"""Who may do what to a thread, as a table (docs/protocol/rest.md §5.3): the thread's owner (a plain
group member who started it), the group's owner, a group admin, a plain member who joined the
thread, a non-member of the group and a user blocked from the group, against every thread
operation. Each cell is the REST answer (status, error, description); an allowed cell also checks
that the operation took effect, a refused one that nothing changed."""
import pytest

pytestmark = [pytest.mark.thread, pytest.mark.owner("jiahao")]

OK = (200, None, None)
NO = (403, "forbidden_op", None)  # the description names user and thread: checked by prefix below
NOT_IN_GROUP = (404, "group_error", "user not in group.")

ACTORS = ("owner", "group-owner", "admin", "member", "outsider", "blocked")
# operation -> expected answer per actor (in ACTORS order)
MATRIX = {
    "rename": (OK, OK, OK, NO, NO, NO),
    "destroy": (OK, OK, OK, NO, NO, NO),
    "add-member": (OK, OK, OK, NO, NO, NO),
    "kick-member": (OK, OK, OK, NO, NO, NO),
    "kick-owner": (OK, OK, OK, NO, NO, NO),  # answered, but the owner stays: result false
    "list-members": (OK, OK, OK, OK, NOT_IN_GROUP, NOT_IN_GROUP),
    "join-self": (OK, OK, OK, OK, NOT_IN_GROUP, NOT_IN_GROUP),
    "list-group-threads": (OK, OK, OK, OK, NOT_IN_GROUP, NOT_IN_GROUP),
}
CELLS = [pytest.param(op, who, MATRIX[op][i], id=f"{who}-{op}")
         for op in MATRIX for i, who in enumerate(ACTORS)]


def _do(rest, op, thread_id, group_id, actor_name, people):
    if op == "rename":
        return rest.rename_thread(thread_id, "renamed by " + actor_name)
    if op == "destroy":
        return rest.destroy_thread(thread_id)
    if op == "add-member":
        return rest.add_thread_members(thread_id, [people["newcomer"]])
    if op == "kick-member":
        return rest.kick_thread_member(thread_id, people["joined"])
    if op == "kick-owner":
        return rest.kick_thread_member(thread_id, people["owner"].upper())  # names are case-insensitive
    if op == "list-members":
        return rest.thread_members(thread_id)
    if op == "join-self":
        return rest.join_thread(thread_id, actor_name)
    return rest.group_threads(group_id)


def _state(admin, thread_id, people):
    """What the operations can change, read through the app token."""
    resp = admin.get_thread(thread_id)
    if resp.status_code == 404:
        return ("destroyed",)
    members = set(admin.must_thread_members(thread_id)["affiliations"])
    return resp.json()["data"]["name"], people["newcomer"] in members, people["joined"] in members, frozenset(members)


def _changed(op, actor_name, people, before, after) -> bool:
    if op == "rename":
        return after[0] == "renamed by " + actor_name
    if op == "destroy":
        return after == ("destroyed",)
    if op == "add-member":
        return after[1] and not before[1]
    if op == "kick-member":
        return before[2] and not after[2]
    if op == "join-self":
        return actor_name in after[3]
    return False  # reads change nothing


@pytest.mark.parametrize("op, who, expected", CELLS)
def test_thread_operation_by_role(alice, make_user, make_group, rest_as, admin, op, who, expected):
    starter, group_admin, joined, member = (make_user(n) for n in ("starter", "gadmin", "joined", "member"))
    newcomer, outsider, blocked = make_user("newcomer"), make_user("outsider"), make_user("blocked")
    group = make_group(alice, members=[starter, group_admin, joined, member, newcomer, blocked])
    admin.must_add_group_admin(group.id, group_admin.name)
    parent = admin.must_send_text_to_groups(group.id, "start a thread here", sender=starter.name)
    msg_id = parent[group.id] if isinstance(parent, dict) else parent
    thread_id = rest_as(starter).must_create_thread(group.id, msg_id, "the thread")["thread_id"]
    rest_as(joined).must_join_thread(thread_id, joined.name)
    rest_as(member).must_join_thread(thread_id, member.name)
    admin.must_block_group_members(group.id, blocked.name)
    people = {"newcomer": newcomer.name, "joined": joined.name, "owner": starter.name}
    actor = {"owner": starter, "group-owner": alice, "admin": group_admin, "member": member,
             "outsider": outsider, "blocked": blocked}[who]
    before = _state(admin, thread_id, people)

    resp = _do(rest_as(actor), op, thread_id, group.id, actor.name, people)
    body = {} if resp.ok else resp.json()
    got = (resp.status_code, body.get("error"), body.get("error_description") if expected[2] else None)
    assert got == expected, resp.text
    if expected == NO:
        assert body["error_description"].startswith(f"user: {actor.name} has no permission on thread"), resp.text
    after = _state(admin, thread_id, people)
    if op == "kick-owner" and expected == OK:
        assert resp.json()["data"] == {"result": False, "user": starter.name}, resp.text
    if expected == OK and op not in ("list-members", "list-group-threads", "kick-owner"):
        if not (op == "join-self" and actor.name in before[3]):
            assert _changed(op, actor.name, people, before, after), (op, before, after)
    else:
        assert after == before, f"a refused or read-only {op} changed the thread"
