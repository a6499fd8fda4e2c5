"""REST calls without a valid app token are refused with the Easemob error shape (docs/protocol/rest.md §0.3,
§0.5, §1.5), change nothing, and leave the users' sessions alone."""
import pytest

from im_client.waiting import wait_until

pytestmark = [pytest.mark.login, pytest.mark.owner("xinbo")]

OAUTH = ("unauthorized", "Unable to authenticate (OAuth)")
EXPIRED = ("unauthorized", "Unable to authenticate due to expired access token")
MALFORMED = [
    "",                                    # "Bearer " and nothing
    "not-a-token",
    "YWMt" + "A" * 4000,                   # huge, token-looking
    "dt-eyJub3QiOiAianNvbiJ9",             # a dynamic-token prefix with garbage
    "YWMt\u00e9\u00e8\u00ea",              # non-ASCII
    "Bearer YWMtnested",
]


def _admin_calls(victim: str) -> list[tuple[str, str, dict | None]]:
    """App-only endpoints, one per API family; the victim is the object of the writes."""
    return [
        ("GET", "/users", None),
        ("DELETE", f"/users/{victim}", None),
        ("POST", f"/users/{victim}/deactivate", None),
        ("PUT", f"/users/{victim}/password", {"newpassword": "taken-over"}),
        ("POST", "/messages/users", {"from": victim, "to": [victim], "type": "txt", "body": {"msg": "forged"}}),
        ("POST", "/mutes", {"username": victim, "chat": -1}),
        ("GET", "/chatrooms/super_admin", None),
    ]


def _assert_error(resp, status: int, error_and_description: tuple[str, str] | None = None) -> None:
    body = resp.json()
    assert resp.status_code == status, body
    assert isinstance(body, dict) and isinstance(body.get("error"), str) and isinstance(
        body.get("error_description"), str), body
    if error_and_description is not None:
        assert (body["error"], body["error_description"]) == error_and_description


def _assert_untouched(admin, victim, transport) -> None:
    """The victim is still there, active, with its password, and not muted."""
    user = admin.must_get_user(victim.name)
    assert user["activated"] is True
    client = victim.login(transport)
    assert client.must_send_text(victim.name, "still me").server_id


def test_admin_endpoints_refuse_calls_without_a_token(rest, admin, make_user, transport):
    """With no Authorization header every app-only call is 401 `unauthorized`, and nothing changes."""
    victim = make_user()
    for method, path, body in _admin_calls(victim.name):
        _assert_error(rest.request(method, path, json_body=body, token=None), 401, OAUTH)
    _assert_untouched(admin, victim, transport)


@pytest.mark.parametrize("token", MALFORMED, ids=["empty", "garbage", "huge", "dt-garbage", "non-ascii", "nested"])
def test_admin_endpoints_refuse_malformed_tokens(token, rest, admin, make_user, transport):
    """A malformed bearer token is 401 with an Easemob error body, never a crash or a success."""
    victim = make_user()
    for method, path, body in _admin_calls(victim.name):
        headers = {"Authorization": f"Bearer {token}".encode("utf-8")}
        _assert_error(rest.request(method, path, json_body=body, token=None, headers=headers), 401)
    _assert_untouched(admin, victim, transport)


def test_other_authorization_schemes_are_refused(rest, admin, make_user, transport):
    """Only `Bearer` carries a token: Basic (even with the app's credentials) is 401."""
    victim = make_user()
    for header in ("Basic c2FuZGJveDpzZWNyZXQ=", "Token " + victim.token(), admin.token):
        resp = rest.request("GET", "/users", token=None, headers={"Authorization": header})
        _assert_error(resp, 401, OAUTH)
    _assert_untouched(admin, victim, transport)


def test_expired_user_token_is_refused_everywhere(rest, admin, make_user, transport):
    """Once a token expired, its own user's endpoints refuse it as expired."""
    victim = make_user()
    token = victim.token(ttl=1)
    path = f"/users/{victim.name}"
    wait_until(lambda: rest.request("GET", path, token=token).status_code == 401, "the token to expire", timeout=10)
    _assert_error(rest.request("GET", path, token=token), 401, EXPIRED)
    _assert_error(rest.request("POST", f"/users/{victim.name}/messageroaming", token=token,
                           json_body={"queue": f"{victim.name}@easemob.com"}), 401, EXPIRED)
    _assert_untouched(admin, victim, transport)


def test_user_token_is_refused_on_admin_endpoints(rest, admin, make_user, transport):
    """A user's own valid token opens no app-only endpoint: 401 `auth_bad_access_token`."""
    attacker, victim = make_user(), make_user()
    token = attacker.token()
    for method, path, body in _admin_calls(victim.name):
        _assert_error(rest.request(method, path, json_body=body, token=token), 401,
                      ("auth_bad_access_token", "Unable to authenticate due to corrupt access token"))
    _assert_untouched(admin, victim, transport)
    assert not attacker.login(transport).closed  # the refused token is still good for its owner


def test_user_token_cannot_act_on_another_user(rest, admin, make_user, transport):
    """Endpoints about one user refuse another user's token."""
    attacker, victim = make_user(), make_user()
    token = attacker.token()
    calls = [
        ("GET", f"/users/{victim.name}/joined_chatrooms", None),
        ("POST", f"/users/{victim.name}/messageroaming", {"queue": f"{attacker.name}@easemob.com"}),
        ("DELETE", f"/users/{victim.name}/user_channel", {"channel": attacker.name, "type": "chat"}),
    ]
    for method, path, body in calls:
        _assert_error(rest.request(method, path, json_body=body, token=token), 401,
                      ("auth_bad_access_token", "Unable to authenticate due to corrupt access token"))
    _assert_untouched(admin, victim, transport)
