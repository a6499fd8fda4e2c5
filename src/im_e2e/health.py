"""Pre-run health check: is the target worth running the suite against?

Checks that the REST, WebSocket and TCP endpoints accept connections, that an app token is
obtainable, and (optionally) that a consumer-lag command reports a lag under a limit, e.g.

    [health]
    lag_command = "kafka-consumer-groups.sh --bootstrap-server kafka:9092 --describe --group msync-channel-outgoing"
    max_lag = 10000

An unhealthy target ends the run with TARGET_UNHEALTHY and one clear message instead of a wall of
failures.
"""
from __future__ import annotations

import socket
import subprocess
from dataclasses import asdict, dataclass, field
from typing import Any, Mapping
from urllib.parse import urlsplit

TARGET_UNHEALTHY = 75  # EX_TEMPFAIL: the target is down for now; try again later


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str

    def line(self) -> str:
        return f"  {'ok    ' if self.ok else 'FAILED'} {self.name}: {self.detail}"


@dataclass
class Health:
    target: str
    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)

    def message(self) -> str:
        head = f"target {'healthy' if self.ok else 'unhealthy'}: {self.target}"
        return "\n".join([head, *(c.line() for c in self.checks)])

    def as_dicts(self) -> list[dict[str, Any]]:
        return [asdict(c) for c in self.checks]


@dataclass(frozen=True)
class HealthSettings:
    """[health] of im-e2e.toml (read by im_e2e.config)."""

    lag_command: str | None = None
    max_lag: int | None = None
    timeout: float = 10.0


def _address(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    default = 443 if parts.scheme in ("https", "wss") else 80
    return parts.hostname or "", parts.port or default


def _connect(name: str, host: str, port: int, timeout: float) -> Check:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return Check(name, True, f"{host}:{port} accepts connections")
    except OSError as exc:
        return Check(name, False, f"cannot connect to {host}:{port}: {exc.strerror or exc}")


def _token(info: Mapping[str, Any], timeout: float) -> Check:
    from im_client import RestClient, RestError, Target

    try:
        rest = RestClient(Target.from_info(info), timeout=timeout)
        token = rest.must_app_token()
    except RestError as exc:
        return Check("app token", False, str(exc))
    except Exception as exc:  # requests' connection errors, a non-JSON answer …
        return Check("app token", False, f"{type(exc).__name__}: {exc}")
    if not token.access_token:
        return Check("app token", False, "the token answer has no access_token")
    return Check("app token", True, f"obtained for {info.get('appkey')} (expires_in {token.expires_in})")


def parse_lag(output: str) -> int | None:
    """Total of the LAG column of `kafka-consumer-groups.sh --describe` output (None if there is no LAG column)."""
    total, column = None, None
    for line in output.splitlines():
        cells = line.split()
        if "LAG" in cells:
            column = cells.index("LAG")
            total = total or 0
            continue
        if column is not None and len(cells) > column:
            cell = cells[column]
            if cell.isdigit():
                total += int(cell)
    return total


def _lag(settings: HealthSettings) -> Check:
    try:
        proc = subprocess.run(settings.lag_command, shell=True, capture_output=True, text=True,
                              timeout=max(settings.timeout, 30.0))
    except subprocess.TimeoutExpired:
        return Check("consumer lag", False, f"`{settings.lag_command}` did not finish in time")
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
        return Check("consumer lag", False, f"`{settings.lag_command}` exited {proc.returncode}: {' | '.join(tail)}")
    lag = parse_lag(proc.stdout)
    if settings.max_lag is None:
        return Check("consumer lag", True, f"command succeeded (total lag {lag if lag is not None else 'unknown'})")
    if lag is None:
        return Check("consumer lag", False, "no LAG column in the command's output")
    if lag > settings.max_lag:
        return Check("consumer lag", False, f"total lag {lag} exceeds max_lag {settings.max_lag}")
    return Check("consumer lag", True, f"total lag {lag} (max {settings.max_lag})")


def check(info: Mapping[str, Any], settings: HealthSettings = HealthSettings(), name: str = "") -> Health:
    """Run every check against a target described by its info dict (rest_url, ws_url, tcp_host, tcp_port …)."""
    health = Health(name or str(info.get("name") or info.get("rest_url")))
    endpoints = {
        "REST": _address(info["rest_url"]),
        "WebSocket": _address(info["ws_url"]),
        "TCP": (str(info["tcp_host"]), int(info["tcp_port"])),
    }
    seen: dict[tuple[str, int], Check] = {}
    for label, address in endpoints.items():
        if address in seen:  # REST and WebSocket usually share a port
            health.checks.append(Check(f"{label} endpoint", seen[address].ok, f"same as {seen[address].name}"))
            continue
        seen[address] = _connect(f"{label} endpoint", *address, settings.timeout)
        health.checks.append(seen[address])
    if health.checks[0].ok:
        health.checks.append(_token(info, settings.timeout))
    else:
        health.checks.append(Check("app token", False, "not tried: the REST endpoint is unreachable"))
    if settings.lag_command:
        health.checks.append(_lag(settings))
    return health
