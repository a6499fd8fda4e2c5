"""User attributes between the Web SDK and im_client users: updateUserInfo (a form-urlencoded PUT)
and fetchUserInfoById (the batch get)."""
import pytest

pytestmark = [pytest.mark.interop, pytest.mark.userinfo, pytest.mark.owner("xinbo")]


@pytest.mark.rule("user-attrs-merge")
def test_sdk_update_is_read_by_rest_and_merges(sdk_login, login, admin):
    """updateUserInfo with an object, then with one key: both land, the first keys stay. (The one-key
    form sends `key=value` unencoded, so its value here holds no `&`.)"""
    alice, bob = sdk_login("alice"), login("bob")
    alice.call("updateUserInfo", {"nickname": "Alice ✓", "gender": 2, "ext": "{\"a\":1}"})
    alice.call("updateUserInfo", "sign", "hello world")
    got = admin.with_token(bob.user.token()).must_user_attributes(alice.name)
    assert got == {"nickname": "Alice ✓", "gender": "2", "ext": "{\"a\":1}", "sign": "hello world"}


def test_sdk_fetches_what_im_client_users_set(sdk_login, login, admin):
    """fetchUserInfoById of two users and one property returns that property of each."""
    alice, bob, carol = sdk_login("alice"), login("bob"), login("carol")
    admin.with_token(bob.user.token()).must_set_user_attributes(bob.name, {"nickname": "Bo", "mail": "b@x"})
    admin.with_token(carol.user.token()).must_set_user_attributes(carol.name, {"nickname": "Ca"})
    got = alice.call("fetchUserInfoById", [bob.name, carol.name], "nickname")
    assert got["data"] == {bob.name: {"nickname": "Bo"}, carol.name: {"nickname": "Ca"}}
