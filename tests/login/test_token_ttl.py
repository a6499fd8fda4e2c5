"""POST /token `ttl` (docs/protocol/rest.md §1): at, one under and one over its limit 0, every JSON type,
on each grant; the issued token's expiry (GET /sdk/users/{u}/token/expires) is the one asked for."""
import time

import pytest

pytestmark = [pytest.mark.login, pytest.mark.owner("xinbo")]

DEFAULT_TTL = 604800  # rule token-shape: 7 days
MAX_TTL = 2 ** 31 - 1  # rule token-ttl-range
BAD_TTL = (400, "illegal_argument", f"ttl must be an integer from 0 to {MAX_TTL}")
GRANTS = ["client_credentials", "password", "inherit"]


def _grant_body(grant: str, user, target) -> dict:
    if grant == "client_credentials":
        return {"grant_type": grant, "client_id": target.client_id, "client_secret": target.client_secret}
    if grant == "password":
        return {"grant_type": grant, "username": user.name, "password": user.password}
    return {"grant_type": grant, "username": user.name}


def _ask(admin, target, user, grant: str, **ttl):
    """POST /token for the grant (inherit on the app token's authority) with the given ttl field, if any."""
    return admin.request("POST", "/token", json_body={**_grant_body(grant, user, target), **ttl})


def _expiry(rest, user, token: str) -> int:
    """The token's expiry in epoch ms as the service reports it (0 = never); an app token may ask too."""
    resp = rest.request("GET", f"/sdk/users/{user.name}/token/expires", token=token)
    assert resp.status_code == 200, resp.text
    return resp.json()["expire_timestamp"]


@pytest.mark.rule("token-shape")
@pytest.mark.rule("token-ttl-range")
@pytest.mark.parametrize("grant", GRANTS)
@pytest.mark.parametrize("ttl", [0, 1, 3600, 3600.0, "3600", MAX_TTL],
                         ids=["0", "1", "3600", "float-3600.0", "digits", "max"])
def test_a_token_expires_ttl_seconds_after_it_is_issued(ttl, grant, make_user, admin, rest, target):
    """ttl 0 is a token that never expires; ttl N expires N seconds after the grant."""
    user = make_user()
    before = int(time.time() * 1000)
    resp = _ask(admin, target, user, grant, ttl=ttl)
    after = int(time.time() * 1000)
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["expires_in"] == int(ttl)
    expires = _expiry(rest, user, body["access_token"])
    if ttl == 0:
        assert expires == 0
    else:
        assert before + int(ttl) * 1000 <= expires <= after + int(ttl) * 1000


@pytest.mark.rule("token-shape")
@pytest.mark.parametrize("grant", GRANTS)
@pytest.mark.parametrize("ttl", ["absent", None], ids=["absent", "null"])
def test_without_a_ttl_a_token_lives_the_default_seven_days(ttl, grant, make_user, admin, rest, target):
    user = make_user()
    before = int(time.time() * 1000)
    resp = _ask(admin, target, user, grant, **({} if ttl == "absent" else {"ttl": ttl}))
    after = int(time.time() * 1000)
    assert resp.status_code == 200, resp.text
    assert resp.json()["expires_in"] == DEFAULT_TTL
    expires = _expiry(rest, user, resp.json()["access_token"])
    assert before + DEFAULT_TTL * 1000 <= expires <= after + DEFAULT_TTL * 1000


@pytest.mark.rule("token-ttl-range")
@pytest.mark.parametrize("grant", GRANTS)
@pytest.mark.parametrize("ttl", [-1, -3600, MAX_TTL + 1, 10 ** 30, 3600.5, float("inf"), float("-inf"), float("nan"),
                                 True, False, "abc", "", [], [60], {}, {"seconds": 60}],
                         ids=["minus-one", "minus-an-hour", "max-plus-one", "huge", "fraction", "infinity",
                              "minus-infinity", "nan", "true", "false", "word", "empty-string",
                              "empty-list", "list", "empty-object", "object"])
def test_a_ttl_that_is_not_an_integer_from_0_to_the_cap_is_refused(ttl, grant, make_user, admin, target):
    """400 illegal_argument, and no token."""
    user = make_user()
    resp = _ask(admin, target, user, grant, ttl=ttl)
    body = resp.json()
    assert (resp.status_code, body.get("error"), body.get("error_description")) == BAD_TTL
    assert "access_token" not in body


@pytest.mark.rule("token-ttl-range")
@pytest.mark.parametrize("text", ["1e400", "-1e400", "1" + "0" * 400], ids=["exponent", "minus-exponent", "digits"])
def test_a_ttl_past_every_number_type_is_refused_not_a_server_error(text, make_user, admin, target):
    """JSON numbers a double or an int64 cannot hold, as the raw body text."""
    user = make_user()
    body = (f'{{"grant_type": "password", "username": "{user.name}", "password": "{user.password}", '
            f'"ttl": {text}}}')
    resp = admin.request("POST", "/token", data=body, headers={"Content-Type": "application/json"})
    answer = resp.json()
    assert (resp.status_code, answer.get("error"), answer.get("error_description")) == BAD_TTL
