"""Sandbox settings: one dataclass, shared by the command line and the in-process starter."""
from __future__ import annotations

import ipaddress
import uuid
from dataclasses import dataclass
from pathlib import Path

from im_wire.appkey import split_appkey

DEFAULT_APPKEY = "ime2e#sandbox"


@dataclass
class SandboxConfig:
    host: str = "127.0.0.1"
    http_port: int = 5280
    tcp_port: int = 6717
    data_dir: str | Path = "./im-sandbox-data"
    appkey: str = DEFAULT_APPKEY
    client_id: str = "sandbox-client-id"
    client_secret: str = "sandbox-client-secret"
    token_ttl: int = 604800
    log_level: str = "INFO"
    # POST /users without a token (the console's "open registration")
    open_registration: bool = False
    # msync behaviour
    idle_timeout: float = 180.0
    # a connection that has not provisioned this many seconds after it opened is closed (0 = never);
    # provisioned ones are governed by idle_timeout
    provision_timeout: float = 30.0
    max_devices: int = 4
    page_size: int = 50
    page_bytes: int = 1024 * 1024
    max_consecutive_errors: int = 16
    # a connection with more than this many bytes queued for a peer that does not read is closed
    # (its undelivered queue items stay stored for the next login; see msync/transports.py)
    max_outbound_bytes: int = 16 * 1024 * 1024
    # persistence and event log
    events_enabled: bool = True
    events_flush_interval: float = 0.2
    # where events go (the seed's queue_log_module): "jsonl" (<data_dir>/events.jsonl), a
    # "redis://host:port/db[?stream=KEY&maxlen=N]" Redis Stream, a "kafka://host:port/topic" Kafka
    # topic, or "none" (see events.py)
    event_log: str = "jsonl"
    # named faults switched on at start (faults.py), on top of IM_SANDBOX_FAULTS
    faults: tuple[str, ...] = ()
    # CLI only: also log to stderr (the in-process starter leaves stderr to the test runner)
    log_to_stderr: bool = False

    def __post_init__(self) -> None:
        split_appkey(self.appkey)
        self.data_dir = Path(self.data_dir).expanduser().resolve()
        for name in ("http_port", "tcp_port"):
            port = getattr(self, name)
            if not 0 <= int(port) <= 65535:
                raise ValueError(f"{name} out of range: {port}")
        if self.event_log not in ("jsonl", "none") and not self.event_log.startswith(("redis://", "rediss://", "unix://",
                                                                                      "kafka://")):
            raise ValueError(f"event_log must be 'jsonl', 'none', a redis:// or a kafka:// URL, got {self.event_log!r}")
        if self.provision_timeout < 0:
            raise ValueError("provision_timeout must be >= 0 (0 = no handshake timeout)")
        if self.token_ttl < 0:
            raise ValueError("token_ttl must be >= 0 (0 = tokens never expire)")

    @property
    def org(self) -> str:
        return split_appkey(self.appkey)[0]

    @property
    def app(self) -> str:
        return split_appkey(self.appkey)[1]

    @property
    def application_uuid(self) -> str:
        """Stable per appkey, so REST `application` fields survive restarts."""
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"im-sandbox:{self.appkey}"))

    @property
    def public_host(self) -> str:
        """The host clients should dial (a wildcard bind address is reached through loopback)."""
        return "127.0.0.1" if self.host in ("0.0.0.0", "", "::") else self.host

    @property
    def is_loopback(self) -> bool:
        if self.host == "localhost":
            return True
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return False
