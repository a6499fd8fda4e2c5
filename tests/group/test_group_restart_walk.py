"""Every state-changing group operation survives a restart, as one walk over a table: do it,
restart the sandbox on the same data dir, and read the state back (app-config-and-storage.md)."""
import pytest

pytestmark = [pytest.mark.group, pytest.mark.owner("jiahao")]


@pytest.fixture
def target(restartable_sandbox):
    return restartable_sandbox.target


def _info(admin, group_id):
    data = admin.must_get_group(group_id)
    return data[0] if isinstance(data, list) else data


# operation -> (do it as the app, read back: True when the change is still there)
OPERATIONS = {
    "add-admin": (lambda a, g, u: a.must_add_group_admin(g, u), lambda a, g, u: u in a.must_group_admins(g)),
    "remove-member": (lambda a, g, u: a.must_remove_group_members(g, u),
                      lambda a, g, u: not a.must_is_group_member(g, u)),
    "block": (lambda a, g, u: a.must_block_group_members(g, u), lambda a, g, u: u in a.must_group_blocks(g)),
    "mute-member": (lambda a, g, u: a.must_mute_group_members(g, u, 600_000),
                    lambda a, g, u: u in {m["user"] for m in a.must_group_mutes(g)}),
    "allow-list": (lambda a, g, u: a.must_allow_group_members(g, u), lambda a, g, u: u in a.must_group_allow_list(g)),
    "mute-all": (lambda a, g, u: a.must_mute_all_group(g), lambda a, g, u: _info(a, g)["mute"] is True),
    "rename": (lambda a, g, u: a.must_update_group(g, groupname="renamed"),
               lambda a, g, u: _info(a, g)["name"] == "renamed"),
    "describe": (lambda a, g, u: a.must_update_group(g, description="described"),
                 lambda a, g, u: _info(a, g)["description"] == "described"),
    "announce": (lambda a, g, u: a.must_set_group_announcement(g, "kept"),
                 lambda a, g, u: a.must_group_announcement(g)["announcement"] == "kept"),
    "transfer-owner": (lambda a, g, u: a.must_transfer_group_owner(g, u), lambda a, g, u: _info(a, g)["owner"] == u),
}


@pytest.mark.parametrize("operation", list(OPERATIONS))
def test_group_change_survives_a_restart(operation, make_user, make_group, restartable_sandbox, admin, transport):
    alice, bob = make_user("alice"), make_user("bob")
    group = make_group(alice, members=[bob])
    do, still_there = OPERATIONS[operation]
    do(admin, group.id, bob.name)
    assert still_there(admin, group.id, bob.name)  # the change took before the restart
    restartable_sandbox.restart()
    assert still_there(admin, group.id, bob.name), f"{operation} was lost by the restart"
    bob.login(transport).ping()  # the restarted sandbox serves msync too
