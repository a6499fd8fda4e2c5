"""REST: envelopes, token grants, auth errors, users, devices and status, generic errors."""
from __future__ import annotations

import pytest
import requests

from im_wire import pb
from selftest.sandbox.sandbox_wire import SYNC, unique_name

pytestmark = pytest.mark.selftest

PW = "pw-123"
ERROR_KEYS = {"error", "error_description", "exception", "timestamp", "duration"}


def error_of(response: requests.Response, status: int, error: str, description: str | None = None) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert isinstance(body, dict) and ERROR_KEYS <= set(body), body
    assert body["error"] == error, body
    if description is not None:
        assert body["error_description"] == description, body
    return body


def assert_envelope(body: dict, info: dict, action: str):
    for key in ("action", "application", "applicationName", "organization", "uri", "path", "timestamp", "duration"):
        assert key in body, (key, body)
    assert body["action"] == action
    assert (body["organization"], body["applicationName"]) == (info["org"], info["app"])


# -- tokens -----------------------------------------------------------------------------------------
def test_app_token(api, info):
    r = api.post("/token", {"grant_type": "client_credentials", "client_id": info["client_id"],
                            "client_secret": info["client_secret"], "ttl": 3600}, token=None)
    assert r.status_code == 200
    body = r.json()
    assert set(body) == {"access_token", "expires_in", "application"}
    assert body["access_token"].startswith("YWMt") and body["expires_in"] == 3600


def test_app_token_errors(api, info):
    base = {"grant_type": "client_credentials", "client_id": info["client_id"], "client_secret": info["client_secret"]}
    error_of(api.post("/token", {**base, "client_id": "nope"}, token=None), 400, "invalid_grant", "client_id does not match")
    error_of(api.post("/token", {**base, "client_secret": "nope"}, token=None), 400, "invalid_grant",
             "client_secret does not match")
    error_of(api.post("/token", {"grant_type": "client_credentials", "client_secret": "x"}, token=None), 400,
             "illegal_argument", "client_id must be provided.")
    error_of(api.post("/token", {**base, "ttl": -1}, token=None), 400, "illegal_argument")


def test_user_token(api):
    user = api.create_user()
    r = api.post("/token", {"grant_type": "password", "username": user.upper(), "password": PW,
                            "timestamp": 1}, token=None)
    body = r.json()
    assert r.status_code == 200 and set(body) == {"access_token", "expires_in", "user"}
    assert body["expires_in"] == 604800
    assert set(body["user"]) == {"uuid", "type", "created", "modified", "username", "activated"}
    assert body["user"]["username"] == user and body["user"]["activated"] is True


def test_user_token_errors(api):
    user = api.create_user()
    error_of(api.post("/token", {"grant_type": "password", "username": unique_name(), "password": "x"}, token=None),
             404, "invalid_grant", "user not found")
    error_of(api.post("/token", {"grant_type": "password", "username": user, "password": "bad"}, token=None),
             400, "invalid_grant", "invalid password")
    api.post(f"/users/{user}/deactivate")
    error_of(api.post("/token", {"grant_type": "password", "username": user, "password": PW}, token=None),
             400, "invalid_grant", "user not activated")


def test_token_expiry_query(api):
    user = api.create_user()
    token = api.user_token(user, ttl=100)
    r = api.get(f"/sdk/users/{user}/token/expires", token=token)
    assert r.status_code == 200 and set(r.json()) == {"expire_timestamp"}
    assert r.json()["expire_timestamp"] > 0


# -- authentication ---------------------------------------------------------------------------------
def test_auth_errors(api, sandbox):
    user, other = api.create_user(), api.create_user()
    error_of(api.get(f"/users/{user}", token=False), 401, "unauthorized", "Unable to authenticate (OAuth)")
    error_of(api.get(f"/users/{user}", token="YWMtbogus"), 401, "unauthorized", "Unable to authenticate (OAuth)")
    user_token = api.user_token(user)
    assert api.get(f"/users/{user}", token=user_token).status_code == 200
    error_of(api.get(f"/users/{other}", token=user_token), 401, "auth_bad_access_token",
             "Unable to authenticate due to corrupt access token")
    error_of(api.get("/users", token=user_token), 401, "auth_bad_access_token",
             "Unable to authenticate due to corrupt access token")
    expired = api.user_token(user, ttl=5)
    sandbox.call(sandbox.sandbox.ctx.store.db.write, "UPDATE tokens SET expires = 1 WHERE token = ?", (expired,))
    error_of(api.get(f"/users/{user}", token=expired), 401, "unauthorized",
             "Unable to authenticate due to expired access token")


# -- users ------------------------------------------------------------------------------------------
def test_register_get_delete(api, info):
    name = unique_name("Mixed_Case.")
    r = api.post("/users", {"username": name, "password": PW, "nickname": "Nick"})
    body = r.json()
    assert r.status_code == 200
    assert_envelope(body, info, "post")
    (entity,) = body["entities"]
    assert entity["username"] == name.lower() and entity["nickname"] == "Nick" and entity["type"] == "user"
    got = api.get(f"/users/{name}").json()
    assert_envelope(got, info, "get")
    assert got["entities"] == [entity] and got["count"] == 1
    deleted = api.delete(f"/users/{name}").json()
    assert deleted["action"] == "delete" and deleted["entities"][0]["username"] == name.lower()
    body = error_of(api.get(f"/users/{name}"), 404, "service_resource_not_found", "Service resource not found")
    assert body["exception"] == "UserNotFoundException"
    error_of(api.delete(f"/users/{name}"), 404, "service_resource_not_found")


def test_register_errors(api, info):
    name = api.create_user()
    body = error_of(api.post("/users", {"username": name, "password": PW}), 400, "duplicate_unique_property_exists")
    application = api.get(f"/users/{name}").json()["application"]
    assert body["error_description"] == (
        f"Application {application} Entity user requires that property named username be unique,"
        f" value of {name} exists")
    error_of(api.post("/users", [{"username": name, "password": PW}]), 400, "duplicate_unique_property_exists")
    error_of(api.post("/users", {"username": "bad name!", "password": PW}), 400, "illegal_argument",
             "username bad name! is not legal")
    error_of(api.post("/users", {"username": "x" * 65, "password": PW}), 400, "illegal_argument")
    error_of(api.post("/users", {"username": unique_name()}), 400, "illegal_argument", "password or pin must provided")
    error_of(api.post("/users", [{"username": unique_name(), "password": PW}] * 61), 400, "illegal_argument")
    error_of(api.post("/users", data="{not json", headers={"Content-Type": "application/json"}), 400, "json_parse")
    error_of(api.post("/users", {"username": unique_name(), "password": PW}, token=False), 401, "unauthorized")


def test_batch_register_reports_existing_users(api):
    existing = api.create_user()
    fresh = [unique_name(), unique_name()]
    body = api.post("/users", [{"username": fresh[0], "password": PW}, {"username": existing, "password": PW},
                               {"username": fresh[1], "password": PW}]).json()
    assert [e["username"] for e in body["entities"]] == fresh
    assert body["data"] == [{"username": existing, "registerUserFailReason": f"the {existing} already exists"}]


def test_list_users_with_cursor(api):
    for _ in range(3):
        api.create_user()
    seen, cursor = [], None
    while True:
        params = {"limit": 2}
        if cursor:
            params["cursor"] = cursor
        body = api.get("/users", params=params).json()
        assert body["count"] == len(body["entities"]) <= 2
        assert body["params"]["limit"] == ["2"]
        seen += [e["username"] for e in body["entities"]]
        cursor = body.get("cursor")
        if not cursor:
            break
    assert len(seen) == len(set(seen)) >= 3


# -- password / activation / kicks ------------------------------------------------------------------
def _kick_operation(client) -> int:
    frames = client.wait_closed()
    assert len(frames) == 1 and frames[0].command == SYNC
    dl = pb.CommSyncDL.FromString(frames[0].payload)
    assert dl.isLast and dl.queue.domain == "easemob.com"
    return pb.StatisticsBody.FromString(dl.metas[0].payload).operation


def test_password_change_revokes_tokens_and_kicks(api, connect):
    user = api.create_user()
    token = api.user_token(user)
    devices = [connect("tcp"), connect("ws")]
    for d in devices:
        d.provision(user, token=token)
    r = api.put(f"/users/{user}/password", {"newpassword": "new-pw"})
    assert r.status_code == 200 and r.json()["action"] == "set user password"
    for d in devices:
        assert _kick_operation(d) == pb.StatisticsBody.USER_KICKED_BY_CHANGE_PASSWORD
    error_of(api.get(f"/users/{user}", token=token), 401, "unauthorized")
    assert api.post(f"/users/{user}/password", {"newpassword": "newer"}).status_code == 200
    api.user_token(user, "newer")
    error_of(api.put(f"/users/{user}/password", {}), 400, "illegal_argument", "newpassword is required")
    error_of(api.put(f"/users/{unique_name()}/password", {"newpassword": "x"}), 404, "entity_not_found")


def test_delete_kicks_with_user_removed(api, connect):
    user = api.create_user()
    device = connect("ws")
    device.provision(user, password=PW)
    api.delete(f"/users/{user}")
    assert _kick_operation(device) == pb.StatisticsBody.USER_REMOVED


def test_deactivate_kicks_and_activate(api, connect, info):
    user = api.create_user()
    device = connect()
    device.provision(user, password=PW)
    body = api.post(f"/users/{user}/deactivate").json()
    assert body["action"] == "Deactivate user" and body["entities"][0]["activated"] is False
    assert _kick_operation(device) == pb.StatisticsBody.USER_KICKED_BY_OTHER_DEVICE
    assert api.post(f"/users/{user}/activate").json()["action"] == "activate user"
    assert api.get(f"/users/{user}").json()["entities"][0]["activated"] is True


def test_disconnect_resources_and_status(api, connect):
    user = api.create_user()
    assert api.get(f"/users/{user}/status").json()["data"] == {user: "offline"}
    d1, d2 = connect("tcp"), connect("ws")
    d1.provision(user, password=PW, resource="r1", deviceUuid="uuid-1")
    d2.provision(user, password=PW, resource="r2")
    assert api.get(f"/users/{user}/status").json()["data"] == {user: "online"}
    data = api.get(f"/users/{user}/resources").json()["data"]
    assert sorted(d["res"] for d in data) == ["r1", "r2"]
    assert {d["res"]: d["device_uuid"] for d in data}["r1"] == "uuid-1"
    body = api.post("/users/batch/status", {"usernames": [user, "nobody"]}).json()
    assert body["action"] == "get batch user status" and body["data"] == [{user: "online"}, {"nobody": "offline"}]
    error_of(api.post("/users/batch/status", {"usernames": ["x"] * 101}), 400, "illegal_argument",
             "request body exceeds maximum limit, maximum limit is 100")
    r = api.delete(f"/users/{user}/disconnect/r1")
    assert r.status_code == 200 and r.json()["data"] == {"result": True}
    assert _kick_operation(d1) == pb.StatisticsBody.USER_KICKED_BY_OTHER_DEVICE
    body = api.get(f"/users/{user}/disconnect").json()
    assert body["data"] == {"result": True} and body["entities"] == [] and body["count"] == 0
    assert _kick_operation(d2) == pb.StatisticsBody.USER_KICKED_BY_OTHER_DEVICE
    assert api.get(f"/users/{user}/status").json()["data"] == {user: "offline"}
    error_of(api.get(f"/users/{unique_name()}/disconnect"), 404, "service_resource_not_found")


# -- generic errors ---------------------------------------------------------------------------------
def test_generic_errors_are_json(api, info):
    base = info["rest_url"]
    r = requests.get(f"{base}/otherorg/otherapp/users", headers={"Authorization": f"Bearer {api.app_token}"})
    error_of(r, 404, "organization_application_not_found")
    error_of(api.get("/no/such/path"), 404, "service_resource_not_found")
    error_of(requests.get(f"{base}/nothing"), 404, "service_resource_not_found")
    error_of(api.request("PATCH", "/users"), 405, "method_not_allowed")
    error_of(api.delete("/token", token=None), 405, "method_not_allowed")
    error_of(requests.get(f"{base}/websocket"), 400, "web_application")


def test_health(info):
    r = requests.get(f"{info['rest_url']}/_sandbox/health")
    assert r.status_code == 200 and r.json() == {"status": "ok"}
