"""PROVISION: credentials, exact failure reasons, resources, same-resource kick, device limit."""
from __future__ import annotations

import json

import pytest

from im_wire import ErrorCode, Reason, pb
from selftest.sandbox.sandbox_wire import LOGOUT, PROVISION, SYNC, msync, unique_name, user_jid

pytestmark = pytest.mark.selftest


def test_token_login_echoes_resource_and_expiry(api, connect, wire):
    user = api.create_user()
    token = api.user_token(user)
    client = connect(wire)
    reply = client.provision(user, token=token, resource="webim_web_1")
    assert reply.resource == "webim_web_1"
    assert list(reply.compressType) == [pb.Provision.COMPRESS_NONE]
    assert not reply.protocolCompressType
    expires = json.loads(reply.authToken)["expires_in"]
    expected = api.get(f"/sdk/users/{user}/token/expires", token=token).json()["expire_timestamp"]
    assert expires == expected


def test_password_login_has_no_auth_token(api, connect, wire):
    user = api.create_user()
    reply = connect(wire).provision(user, password="pw-123")
    assert not reply.HasField("authToken")


def test_never_expiring_token_sends_no_auth_token(api, connect):
    user = api.create_user()
    reply = connect().provision(user, token=api.user_token(user, ttl=0))
    assert not reply.HasField("authToken")


def test_token_in_provision_auth_token_json(api, connect, info):
    user = api.create_user()
    token = api.user_token(user)
    client = connect()
    prov = pb.Provision(resource="r1", authToken=json.dumps({"token": "$t$" + token}))
    client.send_raw(msync(PROVISION, prov, guid=user_jid(info["appkey"], user)))
    reply = client.expect(PROVISION)
    assert reply.status.errorCode == ErrorCode.OK and reply.resource == "r1"


def test_password_in_provision_field(api, connect, info):
    user = api.create_user()
    client = connect("ws")
    prov = pb.Provision(resource="r1", password="pw-123")
    client.send_raw(msync(PROVISION, prov, guid=user_jid(info["appkey"], user)))
    assert client.expect(PROVISION).status.errorCode == ErrorCode.OK


def test_resource_from_guid_or_assigned(api, connect, info):
    user = api.create_user()
    client = connect()
    client.send_raw(msync(PROVISION, pb.Provision(), guid=user_jid(info["appkey"], user, "guid_res"), auth="pw-123"))
    assert client.expect(PROVISION).resource == "guid_res"
    other = connect()
    other.send_raw(msync(PROVISION, pb.Provision(), guid=user_jid(info["appkey"], user), auth="pw-123"))
    reply = other.expect(PROVISION)
    assert reply.status.errorCode == ErrorCode.OK and reply.resource and reply.resource != "guid_res"


def _refused(client, user, **kw):
    """A refused PROVISION: its status, after checking the server closed the connection
    (rule provision-refusal-closes-socket)."""
    reply = client.provision(user, expect_ok=False, **kw)
    assert not reply.HasField("resource")
    assert client.wait_closed() == []
    return reply.status.errorCode, reply.status.reason


def test_failures_have_exact_reasons(api, connect, info, wire):
    user = api.create_user()
    other = api.create_user()
    assert _refused(connect(wire), unique_name(), password="x") == (ErrorCode.FAIL, Reason.USER_NOT_FOUND)
    assert _refused(connect(wire), user, password="wrong") == (ErrorCode.FAIL, Reason.TOKEN_MISMATCH)
    assert _refused(connect(wire), user, token="YWMtnope") == (ErrorCode.FAIL, Reason.TOKEN_MISMATCH)
    assert _refused(connect(wire), user, token=api.user_token(other)) == (ErrorCode.FAIL, Reason.TOKEN_MISMATCH)
    assert _refused(connect(wire), user, token=api.app_token) == (ErrorCode.FAIL, Reason.TOKEN_MISMATCH)
    assert _refused(connect(wire), user) == (ErrorCode.FAIL, Reason.TOKEN_MISMATCH)
    # no guid name
    client = connect(wire)
    client.send_raw(msync(PROVISION, pb.Provision(resource="r"), auth="pw-123"))
    st = client.expect(PROVISION).status
    assert (st.errorCode, st.reason) == (ErrorCode.MISSING_PARAMETER, Reason.NO_GUID)
    client.wait_closed()
    # a new connection logs in
    assert connect(wire).provision(user, password="pw-123").status.errorCode == ErrorCode.OK


def test_expired_and_revoked_tokens(api, connect, sandbox):
    user = api.create_user()
    token = api.user_token(user)
    expired = api.user_token(user, ttl=1)
    # age the short token without waiting: move its expiry into the past on the sandbox thread
    sandbox.call(sandbox.sandbox.ctx.store.db.write, "UPDATE tokens SET expires = 1 WHERE token = ?", (expired,))
    assert _refused(connect(), user, token=expired) == (ErrorCode.FAIL, Reason.TOKEN_EXPIRED)
    assert api.put(f"/users/{user}/password", {"newpassword": "pw-456"}).status_code == 200
    assert _refused(connect(), user, token=token) == (ErrorCode.FAIL, Reason.TOKEN_MISMATCH)
    assert connect().provision(user, password="pw-456").status.errorCode == ErrorCode.OK


def test_deactivated_user_is_refused(api, connect):
    user = api.create_user()
    assert api.post(f"/users/{user}/deactivate").status_code == 200
    assert _refused(connect(), user, password="pw-123") == (ErrorCode.UNAUTHORIZED, Reason.WHO_ARE_YOU)
    assert api.post(f"/users/{user}/activate").status_code == 200
    assert connect().provision(user, password="pw-123").status.errorCode == ErrorCode.OK


def test_second_provision_is_rejected(api, connect, wire):
    user = api.create_user()
    client = connect(wire)
    client.provision(user, password="pw-123")
    reply = client.provision(user, password="pw-123", expect_ok=False)
    assert (reply.status.errorCode, reply.status.reason) == (ErrorCode.WRONG_PARAMETER, Reason.ALREADY_PROVISIONED)
    assert client.unread().status.errorCode == ErrorCode.OK


def test_same_resource_kicks_the_first_connection(api, connect, wire):
    user = api.create_user()
    first = connect(wire)
    first.provision(user, password="pw-123", resource="dev1")
    second = connect(wire)
    second.provision(user, password="pw-123", resource="dev1", reason="custom-ext")
    frames = first.wait_closed()
    assert len(frames) == 1 and frames[0].command == SYNC
    dl = pb.CommSyncDL.FromString(frames[0].payload)
    assert dl.status.errorCode == ErrorCode.OK and dl.isLast
    assert dl.queue.domain == "easemob.com" and not dl.queue.name
    (meta,) = dl.metas
    assert meta.id and meta.ns == pb.Meta.STATISTIC
    body = pb.StatisticsBody.FromString(meta.payload)
    assert body.operation == pb.StatisticsBody.USER_LOGIN_ANOTHER_DEVICE
    assert body.reason == "custom-ext"
    assert second.unread().status.errorCode == ErrorCode.OK


def test_four_devices_then_overflow(api, connect):
    user = api.create_user()
    clients = [connect() for _ in range(4)]
    for i, client in enumerate(clients):
        client.provision(user, password="pw-123", resource=f"d{i}")
    assert _refused(connect("ws"), user, password="pw-123", resource="d4") == (
        ErrorCode.TOO_MANY_DEVICES, Reason.TOO_MANY_DEVICES)
    # re-login on an existing resource is a replacement, not a fifth device
    again = connect()
    again.provision(user, password="pw-123", resource="d0")
    clients[0].wait_closed()
    clients[1].logout()
    connect("ws").provision(user, password="pw-123", resource="d4")


def test_logout_replies_and_closes(api, connect, wire):
    user = api.create_user()
    client = connect(wire)
    client.provision(user, password="pw-123")
    client.send_raw(msync(LOGOUT, pb.Logout(sessionId="1:", reason="inner:logout")))
    assert client.expect(LOGOUT).status.errorCode == ErrorCode.OK
    client.wait_closed()
    assert api.get(f"/users/{user}/status").json()["data"] == {user: "offline"}
