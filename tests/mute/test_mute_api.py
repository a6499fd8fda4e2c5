"""The `/mutes` REST API (docs/protocol/rest.md §4.1): per-scope seconds, omitted scopes unchanged, the list has
one row per (user, scope), and the documented errors."""
import pytest

from im_client.waiting import wait_until

pytestmark = [pytest.mark.mute, pytest.mark.owner("caixiangyue")]


def _rows_of(admin, username):
    return [row for row in admin.must_all_mutes() if row["username"] == username]


@pytest.mark.rule("global-mute-seconds-left")
def test_status_and_list_show_each_scope(make_user, admin):
    """The status has seconds per scope; the list has one row per muted (user, scope)."""
    alice = make_user("alice")
    assert admin.must_mute_user(alice.name, chat=100, chatroom=-1) == {"result": "ok"}
    status = admin.must_mute_status(alice.name)
    assert status["userid"].endswith("_" + alice.name)
    assert 0 < status["chat"] <= 100 and status["groupchat"] == 0 and status["chatroom"] == -1
    # pages shift while other tests mute and unmute: read the whole list until both rows are seen
    rows = wait_until(lambda: len(found := _rows_of(admin, alice.name)) == 2 and found, "alice's two rows")
    seconds = {scope: n for row in rows for scope, n in row.items() if scope != "username"}
    assert seconds.keys() == {"chat", "chatroom"} and 0 < seconds["chat"] <= 100 and seconds["chatroom"] == -1


@pytest.mark.rule("global-mute-omitted-scope-unchanged", "global-mute-seconds-left")
def test_omitted_scope_is_left_unchanged_and_zero_lifts(make_user, admin):
    """Setting one scope keeps the others; 0 lifts just that scope."""
    alice = make_user("alice")
    admin.must_mute_user(alice.name, chat=100)
    admin.must_mute_user(alice.name, groupchat=50)
    status = admin.must_mute_status(alice.name)
    assert status["chat"] > 0 and status["groupchat"] > 0
    admin.must_mute_user(alice.name, chat=0)
    status = admin.must_mute_status(alice.name)
    assert status["chat"] == 0 and status["groupchat"] > 0
    wait_until(lambda: [set(r) for r in _rows_of(admin, alice.name)] == [{"username", "groupchat"}],
               "only alice's groupchat row in the mute list")


@pytest.mark.rule("global-mute-seconds-left")
def test_unmuted_user_is_not_listed(make_user, admin):
    """A user whose every scope is lifted has no row in the list and 0 everywhere."""
    alice = make_user("alice")
    admin.must_mute_user(alice.name, chat=100, groupchat=100, chatroom=100)
    admin.must_unmute_user(alice.name)
    assert _rows_of(admin, alice.name) == []
    assert {k: v for k, v in admin.must_mute_status(alice.name).items() if k in ("chat", "groupchat", "chatroom")} == \
        {"chat": 0, "groupchat": 0, "chatroom": 0}


def test_unknown_user_cannot_be_muted(admin, run_id):
    """Muting or asking about an unregistered user is a 400 required_property_not_found."""
    ghost = f"ghost-{run_id}-never-registered"
    for resp in (admin.mute_user(ghost, chat=10), admin.mute_status(ghost)):
        body = resp.json()
        assert (resp.status_code, body["error"], body["error_description"]) == (
            400, "required_property_not_found", "Entity user requires a property named username")


@pytest.mark.parametrize("seconds", [-2, 2147483648, "ten", True], ids=["below-minus-one", "too-big", "text", "bool"])
def test_mute_duration_must_be_an_integer_in_range(make_user, admin, seconds):
    """A duration that is not an integer from -1 to 2^31-1 is refused and changes nothing."""
    alice = make_user("alice")
    resp = admin.mute_user(alice.name, chat=seconds)
    assert (resp.status_code, resp.json()["error"]) == (400, "illegal_argument")
    assert admin.must_mute_status(alice.name)["chat"] == 0


def test_page_size_is_limited_to_fifty(admin):
    """The mute list pages at most 50 rows."""
    resp = admin.mutes(page_size=51)
    assert (resp.status_code, resp.json()["error"]) == (400, "illegal_argument")


def test_user_token_cannot_mute(make_user, rest):
    """Only the app admin mutes: a user token gets 401 auth_bad_access_token."""
    alice = make_user("alice")
    resp = rest.request("POST", "/mutes", json_body={"username": alice.name, "chat": 10}, token=alice.token())
    assert resp.status_code == 401
    assert resp.json()["error"] == "auth_bad_access_token"
