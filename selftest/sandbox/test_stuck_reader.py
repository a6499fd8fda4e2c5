"""A peer that never reads cannot stall the server: its output is bounded, it is dropped past the
limit, everyone else keeps getting their messages promptly, and nothing stored for it is lost."""
from __future__ import annotations

import socket
import time

import pytest
import websocket

from im_wire import FrameDecoder, pb
from im_client.waiting import wait_until
from selftest.sandbox.sandbox_rest import Rest
from selftest.sandbox.sandbox_wire import SYNC, Closed, TcpClient, WsClient, msync, start_sandbox, user_jid

pytestmark = pytest.mark.selftest

PW = "pw-123"
LIMIT = 256 * 1024  # the sandbox's outbound limit in this test (default: 16 MiB)
STORED = 60  # messages waiting for the stuck user
TEXT = "x" * 4000  # one page of 50 = ~200 KB per pull reply
PULLS = 400  # ~80 MB of replies asked for: far beyond kernel socket buffers plus LIMIT
SMALL_RCVBUF = 4096


class StuckTcp(TcpClient):
    """Logs in, then never reads: a tiny receive buffer, so the server's output backs up at once."""

    def __init__(self, info: dict):
        self.info, self.appkey, self.user, self.resource, self.backlog = info, info["appkey"], None, None, []
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, SMALL_RCVBUF)
        self.sock.settimeout(5)
        self.sock.connect((info["tcp_host"], info["tcp_port"]))
        self.decoder, self.frames, self.eof = FrameDecoder(), [], False


class StuckWs(WsClient):
    def __init__(self, info: dict):
        self.info, self.appkey, self.user, self.resource, self.backlog = info, info["appkey"], None, None, []
        self.ws = websocket.create_connection(info["ws_url"], timeout=5,
                                              sockopt=((socket.SOL_SOCKET, socket.SO_RCVBUF, SMALL_RCVBUF),))
        self.close_status = None


STUCK = {"tcp": StuckTcp, "ws": StuckWs}


@pytest.fixture(scope="module")
def small_buffers(tmp_path_factory):
    handle = start_sandbox(tmp_path_factory.mktemp("stuck"), max_outbound_bytes=LIMIT)
    yield handle.info
    handle.stop()


def _flood_pulls(stuck, queue: pb.JID) -> None:
    """Ask for the first page again and again (no key: nothing is acknowledged), reading nothing."""
    frame = msync(SYNC, pb.CommSyncUL(queue=queue))
    for _ in range(PULLS):
        try:
            stuck.send_raw(frame)
        except (OSError, websocket.WebSocketException):
            return  # dropped by the server: what this test wants


def _wait_dropped(api: Rest, user: str) -> None:
    wait_until(lambda: (r := api.get(f"/users/{user}/resources")).status_code == 200 and not r.json()["data"],
               f"{user}'s stuck device to be dropped", timeout=20)


@pytest.mark.parametrize("wire", ["tcp", "ws"])
def test_stuck_reader_is_dropped_and_others_are_served(wire, small_buffers):
    """A device that asks for pages and never reads them is dropped at the outbound limit, a healthy
    receiver gets every message promptly meanwhile, and the stuck user's next login gets all of
    its stored messages."""
    info = small_buffers
    api = Rest(info)
    sender, stuck_user, healthy_user = (api.create_user() for _ in range(3))
    alice = TcpClient(info)
    alice.provision(sender, password=PW)
    healthy = WsClient(info) if wire == "tcp" else TcpClient(info)
    healthy.provision(healthy_user, password=PW)
    stuck = STUCK[wire](info)
    stuck.provision(stuck_user, password=PW, resource="stuck")
    try:
        stored = [alice.send_text(stuck_user, f"{i} {TEXT}").serverId for i in range(STORED)]
        queue = user_jid(info["appkey"], sender)

        _flood_pulls(stuck, queue)  # the stuck device asks for ~80 MB and reads none of it
        started = time.monotonic()
        sent = [alice.send_text(healthy_user, f"to healthy {i}").serverId for i in range(20)]
        got = [m.id for m in healthy.drain(healthy.notice().queue)]
        assert got == sent
        assert time.monotonic() - started < 5.0, "delivery to the healthy device stalled"

        _wait_dropped(api, stuck_user)
        again = TcpClient(info)
        try:
            again.provision(stuck_user, password=PW, resource="stuck")
            pending = {mq.queue.name for mq in again.unread().unread}
            assert sender in pending
            assert [m.id for m in again.drain(queue)] == stored
        finally:
            again.close()
    finally:
        for client in (alice, healthy, stuck):
            try:
                client.close()
            except (Closed, OSError):
                pass
