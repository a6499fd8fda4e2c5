"""User attributes (/metadata/user, the Web SDK's updateUserInfo / fetchUserInfoById): string
values per user, set with a form-urlencoded PUT, read one by one or in batches."""
import pytest

pytestmark = [pytest.mark.userinfo, pytest.mark.owner("xinbo")]


@pytest.mark.rule("user-attrs-merge")
def test_own_attributes_are_set_merged_and_read_by_others(alice, bob, admin):
    """A PUT sets the keys it names and keeps the others; another user reads them."""
    as_alice = admin.with_token(alice.user.token())
    assert as_alice.must_set_user_attributes(alice.name, {"nickname": "Al", "sign": "hi"}) == {"nickname": "Al",
                                                                                             "sign": "hi"}
    as_alice.must_set_user_attributes(alice.name, {"nickname": "Alice ✓", "ext": "{\"vip\":true}"})
    as_bob = admin.with_token(bob.user.token())
    assert as_bob.must_user_attributes(alice.name) == {"nickname": "Alice ✓", "sign": "hi", "ext": "{\"vip\":true}"}


@pytest.mark.rule("user-attrs-limits")
def test_batch_get_picks_users_and_properties(alice, bob, admin, make_user):
    """POST /metadata/user/get: the named properties of each target; unknown users are left out."""
    admin.must_set_user_attributes(alice.name, {"nickname": "Al", "mail": "al@example.com"})
    admin.must_set_user_attributes(bob.name, {"nickname": "Bo"})
    quiet = make_user("quiet")
    got = admin.with_token(bob.user.token()).must_user_attributes_of(
        [alice.name, bob.name, quiet.name, alice.name + "-nobody"], ["nickname"])
    assert got == {alice.name: {"nickname": "Al"}, bob.name: {"nickname": "Bo"}, quiet.name: {}}
    assert admin.must_user_attributes_of([alice.name])[alice.name] == {"mail": "al@example.com", "nickname": "Al"}


def test_delete_removes_every_attribute(alice, admin):
    """DELETE /metadata/user/{u} empties the user's attributes."""
    as_alice = admin.with_token(alice.user.token())
    as_alice.must_set_user_attributes(alice.name, {"nickname": "Al", "phone": "123"})
    assert as_alice.must_delete_user_attributes(alice.name) is True
    assert admin.must_user_attributes(alice.name) == {}


@pytest.mark.rule("user-attrs-merge")
def test_only_the_owner_or_the_app_may_change_attributes(alice, bob, admin):
    """Another user's token may read but not set or delete."""
    as_bob = admin.with_token(bob.user.token())
    assert as_bob.set_user_attributes(alice.name, {"nickname": "hacked"}).status_code == 401
    assert as_bob.delete_user_attributes(alice.name).status_code == 401
    assert admin.must_user_attributes(alice.name) == {}


@pytest.mark.rule("user-attrs-limits")
def test_size_and_batch_limits(alice, admin):
    """2048 bytes of keys and values per user fit, one more does not (and changes nothing);
    more than 100 targets are refused."""
    as_alice = admin.with_token(alice.user.token())
    as_alice.must_set_user_attributes(alice.name, {"ext": "x" * (2048 - 3)})
    too_big = as_alice.set_user_attributes(alice.name, {"sign": "y"})
    assert (too_big.status_code, too_big.json()["error"]) == (400, "illegal_argument")
    assert set(admin.must_user_attributes(alice.name)) == {"ext"}
    assert admin.user_attributes_of([f"u{i}" for i in range(101)]).status_code == 400
    assert admin.must_user_attributes_capacity() >= 2048


@pytest.mark.rule("user-attrs-limits")
def test_bad_requests_answer_400_or_404(alice, admin):
    """An empty body, an empty key, a JSON body with non-string values: 400; an unknown user: 404."""
    for body in ("", "=v", ):
        assert admin.set_user_attributes(alice.name, body).status_code == 400
    resp = admin.request("PUT", f"/metadata/user/{alice.name}", json_body={"nickname": 5})
    assert resp.status_code == 400
    unknown = admin.user_attributes(alice.name + "-nobody")
    assert (unknown.status_code, unknown.json()["error"]) == (404, "service_resource_not_found")


@pytest.mark.app_config(user_metadata_enabled=False)
def test_service_off_is_403(alice, admin, target):
    """With the service off every path answers 403 FORBIDDEN naming the appkey."""
    resp = admin.with_token(alice.user.token()).set_user_attributes(alice.name, {"nickname": "Al"})
    assert resp.status_code == 403
    assert (resp.json()["error"], resp.json()["error_description"]) == (
        "FORBIDDEN", f"{target.appkey} user metadata service not allow")
