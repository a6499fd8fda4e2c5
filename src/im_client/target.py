"""Where the service under test lives: REST base, WebSocket URL, TCP address, appkey, credentials."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from im_wire.appkey import split_appkey


@dataclass(frozen=True)
class Target:
    rest_url: str
    ws_url: str
    tcp_host: str
    tcp_port: int
    appkey: str
    client_id: str = ""
    client_secret: str = ""
    name: str = "custom"
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def org(self) -> str:
        return split_appkey(self.appkey)[0]

    @property
    def app(self) -> str:
        return split_appkey(self.appkey)[1]

    @classmethod
    def from_info(cls, info: Mapping[str, Any], name: str = "sandbox") -> "Target":
        """Build from the JSON line `python -m im_sandbox` prints (or any dict with those keys)."""
        known = {"rest_url", "ws_url", "tcp_host", "tcp_port", "appkey", "client_id", "client_secret"}
        return cls(
            rest_url=info["rest_url"].rstrip("/"),
            ws_url=info["ws_url"],
            tcp_host=info["tcp_host"],
            tcp_port=int(info["tcp_port"]),
            appkey=info["appkey"],
            client_id=info.get("client_id", ""),
            client_secret=info.get("client_secret", ""),
            name=name,
            extra={k: v for k, v in info.items() if k not in known},
        )
