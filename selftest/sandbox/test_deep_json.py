"""JSON bodies nested absurdly deep get 400 json_parse on every JSON route, and the server serves on."""
from __future__ import annotations

import pytest

from im_wire import Reason
from selftest.sandbox.sandbox_wire import unique_name
from selftest.sandbox.test_rest import error_of

pytestmark = pytest.mark.selftest

DEEP = 100_000  # Python's parser gives up (RecursionError) long before this
ROUTES = [("POST", "/users"), ("POST", "/token"), ("POST", "/messages/users"), ("POST", "/messages/chatgroups"),
          ("POST", "/chatgroups"), ("POST", "/chatrooms"), ("POST", "/messages/chatrooms"), ("POST", "/mutes")]


def nested(depth: int, inner: str = "1") -> bytes:
    return ("[" * depth + inner + "]" * depth).encode()


def nested_objects(depth: int) -> bytes:
    return ('{"a":' * depth + "1" + "}" * depth).encode()


@pytest.mark.parametrize("method,path", ROUTES, ids=[f"{m} {p}" for m, p in ROUTES])
@pytest.mark.parametrize("body", [nested(DEEP), nested_objects(DEEP), nested(101)], ids=["arrays", "objects", "101"])
def test_deeply_nested_body_is_refused_with_json_parse(api, method, path, body):
    """A JSON body nested deeper than the limit is a 400 json_parse in the Easemob error shape."""
    reply = api.request(method, path, data=body, headers={"Content-Type": "application/json"})
    found = error_of(reply, 400, "json_parse")
    assert "nesting depth" in found["error_description"], found


def test_the_server_serves_on_after_deep_bodies(api):
    """After refusing deep bodies the same server still creates users; shallow nesting still parses."""
    for _ in range(3):
        error_of(api.post("/users", data=nested(DEEP), headers={"Content-Type": "application/json"}), 400, "json_parse")
    name = unique_name()
    assert api.post("/users", {"username": name, "password": "pw-123"}).status_code == 200
    # 100 levels is within the limit: the users route answers about the content, not the parse
    reply = api.post("/users", data=nested(100), headers={"Content-Type": "application/json"})
    assert reply.status_code == 400 and reply.json()["error"] != "json_parse", reply.text


def test_deeply_nested_provision_auth_token_is_a_login_refusal(api, connect, wire):
    """Provision.authToken is JSON too: nested absurdly deep it is no credential, not a server error."""
    user = api.create_user()
    client = connect(wire)
    reply = client.provision(user, expect_ok=False, authToken=nested(DEEP).decode())
    assert reply.status.reason == Reason.TOKEN_MISMATCH, reply.status
    # the refusal closes the connection (rule provision-refusal-closes-socket); a new one logs in
    connect(wire).provision(user, password="pw-123")
