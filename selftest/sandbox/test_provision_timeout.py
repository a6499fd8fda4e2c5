"""The handshake timeout: a connection that never provisions is closed, with a reason the peer can read.

TCP has no close frame: the last frame is a CommSyncDL with UNAUTHORIZED and the reason, then FIN.
WebSocket: a close frame, code 1008, the reason as its text. A provisioned connection is left to the
heartbeat rules (idle_timeout).
"""
from __future__ import annotations

import pytest

from im_wire import ErrorCode, pb
from selftest.sandbox.sandbox_rest import Rest
from selftest.sandbox.sandbox_wire import CLIENTS, SYNC, UNREAD, msync, start_sandbox

pytestmark = pytest.mark.selftest

TIMEOUT = 0.5
REASON = "no PROVISION within 0.5 s"
CLOSE_WAIT = 10.0  # generous: the machine may be busy; the close itself is due after TIMEOUT
PAST_DEADLINE = 3 * TIMEOUT  # window: long enough that an armed handshake timer would have fired


@pytest.fixture(scope="module")
def short(tmp_path_factory):
    """A sandbox that gives connections half a second to provision (and a long idle timeout)."""
    handle = start_sandbox(tmp_path_factory.mktemp("provision-timeout"), provision_timeout=TIMEOUT,
                           idle_timeout=60)
    yield handle
    handle.stop()


def assert_closed_for_not_provisioning(client) -> None:
    frames = client.wait_closed(CLOSE_WAIT)
    if client.kind == "ws":
        assert (client.close_status, client.close_reason) == (1008, REASON)
    else:
        last = pb.CommSyncDL.FromString(frames[-1].payload)
        assert (last.status.errorCode, last.status.reason) == (ErrorCode.UNAUTHORIZED, REASON), frames


def test_a_silent_unprovisioned_connection_is_closed_with_the_reason(short, wire):
    """Connect and send nothing: the server closes after the handshake timeout and says why."""
    client = CLIENTS[wire](short.info)
    try:
        assert_closed_for_not_provisioning(client)
    finally:
        client.close()


def test_frames_without_provision_do_not_extend_the_handshake(short, wire):
    """A peer that keeps sending non-PROVISION frames is still closed when the handshake time is up."""
    client = CLIENTS[wire](short.info)
    try:
        client.send_raw(msync(UNREAD))
        assert client.expect(UNREAD).status.errorCode == ErrorCode.UNAUTHORIZED
        client.send_raw(msync(SYNC, pb.CommSyncUL()))
        assert_closed_for_not_provisioning(client)
    finally:
        client.close()


def test_a_failed_provision_closes_at_once(short, wire):
    """A PROVISION that is refused (wrong password) is answered, then closed without the handshake
    timeout's UNAUTHORIZED frame (rule provision-refusal-closes-socket)."""
    api = Rest(short.info)
    client = CLIENTS[wire](short.info)
    try:
        reply = client.provision(api.create_user(), password="wrong", expect_ok=False)
        assert reply.status.errorCode != ErrorCode.OK
        assert client.wait_closed() == []
    finally:
        client.close()


def test_a_provisioned_connection_outlives_the_handshake_timeout(short, wire):
    """Once provisioned, the handshake timer is gone: the session answers well past the deadline."""
    api = Rest(short.info)
    client = CLIENTS[wire](short.info)
    try:
        client.provision(api.create_user(), password="pw-123")
        client.assert_silent(PAST_DEADLINE)  # window: the timer would have closed it by now
        assert client.unread().status.errorCode == ErrorCode.OK
    finally:
        client.close()


def test_zero_switches_the_handshake_timeout_off(tmp_path_factory, wire):
    """provision_timeout=0: an unprovisioned connection is left to the idle rules only."""
    handle = start_sandbox(tmp_path_factory.mktemp("no-provision-timeout"), provision_timeout=0, idle_timeout=60)
    client = CLIENTS[wire](handle.info)
    try:
        client.assert_silent(PAST_DEADLINE)  # window: a 0.5 s timer would have fired; there is none
        client.send_raw(msync(UNREAD))
        assert client.expect(UNREAD).status.errorCode == ErrorCode.UNAUTHORIZED  # still open
    finally:
        client.close()
        handle.stop()


def test_the_command_line_takes_the_setting():
    """`python -m im_sandbox --provision-timeout 2.5`; negative values are refused."""
    from im_sandbox.__main__ import parse_args

    assert parse_args(["--provision-timeout", "2.5"]).provision_timeout == 2.5
    assert parse_args([]).provision_timeout == 30.0
    with pytest.raises(SystemExit):
        parse_args(["--provision-timeout", "-1"])
