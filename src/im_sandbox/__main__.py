"""`python -m im_sandbox`: run the sandbox until SIGTERM/SIGINT; print one JSON line when ready."""
from __future__ import annotations

import argparse
import asyncio
import json
import signal
import sys

from .app import Sandbox
from .config import SandboxConfig
from .faults import parse_list as parse_faults

_DEFAULTS = SandboxConfig.__dataclass_fields__


def _default(name: str):
    return _DEFAULTS[name].default


def parse_args(argv: list[str] | None = None) -> SandboxConfig:
    p = argparse.ArgumentParser(prog="python -m im_sandbox", description=__doc__)
    p.add_argument("--host", default=_default("host"), help="bind address (default %(default)s)")
    p.add_argument("--http-port", type=int, default=_default("http_port"),
                   help="REST + WebSocket port, 0 = any free port (default %(default)s)")
    p.add_argument("--tcp-port", type=int, default=_default("tcp_port"),
                   help="msync TCP port, 0 = any free port (default %(default)s)")
    p.add_argument("--data-dir", default=_default("data_dir"), help="database and logs (default %(default)s)")
    p.add_argument("--appkey", default=_default("appkey"), help="org#app (default %(default)s)")
    p.add_argument("--client-id", default=_default("client_id"))
    p.add_argument("--client-secret", default=_default("client_secret"))
    p.add_argument("--token-ttl", type=int, default=_default("token_ttl"),
                   help="default token lifetime in seconds, 0 = never expires (default %(default)s)")
    p.add_argument("--idle-timeout", type=float, default=_default("idle_timeout"),
                   help="close msync connections silent for this many seconds (default %(default)s)")
    p.add_argument("--provision-timeout", type=float, default=_default("provision_timeout"),
                   help="close msync connections that have not sent a successful PROVISION this many seconds "
                        "after connecting, 0 = never (default %(default)s)")
    p.add_argument("--open-registration", action="store_true", help="allow POST /users without a token")
    p.add_argument("--log-level", default=_default("log_level"), help="(default %(default)s)")
    p.add_argument("--event-log", default=_default("event_log"), metavar="SINK",
                   help="where events go (the cluster's queue_log_module): 'jsonl' (<data-dir>/events.jsonl), "
                        "'redis://HOST:PORT/DB[?stream=KEY]' (a Redis Stream), 'kafka://HOST:PORT/TOPIC' (a Kafka "
                        "topic) or 'none' (default %(default)s)")
    p.add_argument("--faults", default="", metavar="NAMES",
                   help="comma-separated named faults to switch on (docs/faults.md); adds to $IM_SANDBOX_FAULTS")
    a = p.parse_args(argv)
    try:
        return SandboxConfig(host=a.host, http_port=a.http_port, tcp_port=a.tcp_port, data_dir=a.data_dir,
                             appkey=a.appkey, client_id=a.client_id, client_secret=a.client_secret,
                             token_ttl=a.token_ttl, idle_timeout=a.idle_timeout,
                             provision_timeout=a.provision_timeout,
                             open_registration=a.open_registration, log_level=a.log_level, log_to_stderr=True,
                             event_log=a.event_log, faults=tuple(sorted(parse_faults(a.faults))))
    except ValueError as exc:
        p.error(str(exc))


async def serve(config: SandboxConfig) -> None:
    sandbox = Sandbox(config)
    info = await sandbox.start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    sys.stdout.write(json.dumps(info, separators=(",", ":")) + "\n")
    sys.stdout.flush()
    try:
        await stop.wait()
    finally:
        await sandbox.stop()


def main(argv: list[str] | None = None) -> int:
    config = parse_args(argv)
    try:
        asyncio.run(serve(config))
    except OSError as exc:  # typically a port already in use
        print(f"im_sandbox: cannot start: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
