"""The Sandbox, the composition root: builds every part in order (store, event log, faults, hub, the
domain services, the handlers' context), then the REST/WebSocket and TCP listeners."""
from __future__ import annotations

import asyncio
import logging
import os

from aiohttp import web

from . import metrics, msync, rest
from .config import SandboxConfig
from .msync.context import Context
from .domain.auth import Auth
from .domain.chatrooms import Chatrooms
from .domain.send_policy import SendPolicy
from .domain.services import Services
from .domain.traffic import TrafficControl
from .events import EventLog, open_sink
from .faults import Faults
from .faults import from_env as faults_from_env
from .fault_behaviours import BEHAVIOURS
from .ids import IdGenerator
from .logsetup import LogHandlers
from .msync.dispatch import Dispatcher
from .msync.hub import Hub
from .msync.transports import TcpProtocol
from .store import Store
from .store.app_config import AppConfig

log = logging.getLogger(__name__)

EVENTS_FILE = "events.jsonl"
BACKLOG = 1024


class Sandbox:
    def __init__(self, config: SandboxConfig | None = None):
        self.config = config or SandboxConfig()
        self.ctx: Context | None = None
        self.info: dict | None = None
        self._runner: web.AppRunner | None = None
        self._tcp: asyncio.base_events.Server | None = None
        self._logs: LogHandlers | None = None

    async def start(self) -> dict:
        config = self.config
        loop = asyncio.get_running_loop()
        config.data_dir.mkdir(parents=True, exist_ok=True)
        self._logs = LogHandlers(config.data_dir, config.log_level, config.log_to_stderr)
        try:
            return await self._start(loop)
        except BaseException:
            await self.stop()
            raise

    async def _start(self, loop: asyncio.AbstractEventLoop) -> dict:
        config = self.config
        if not config.is_loopback:
            log.warning("listening on %s, which is not a loopback address: the sandbox (with its default "
                        "credentials) is reachable from other machines", config.host)
        # the event sink first: an unreachable Redis fails the start before anything is opened
        sink = open_sink(config.event_log, config.data_dir, config.appkey) if config.events_enabled else None
        events = EventLog(sink, config.events_flush_interval)
        store = Store(config.data_dir)
        store.db.attach(loop)
        events.attach(loop)
        faults = Faults(set(config.faults) | faults_from_env(), BEHAVIOURS)
        hub = Hub(config, loop, faults)
        services = Services(config=config, store=store, auth=Auth(config, store), ids=IdGenerator(store.messages.max_id()),
                            events=events, loop=loop, app_config=AppConfig(store.db), faults=faults, hub=hub)
        send_policy = SendPolicy(services)
        traffic = TrafficControl(services)
        chatrooms = Chatrooms(services, send_policy, traffic)
        ctx = Context.over(services, dispatcher=Dispatcher(), send_policy=send_policy, traffic=traffic,
                           chatrooms=chatrooms)
        self.ctx = ctx
        msync.install(ctx)
        ctx.hub.start()

        application = rest.build_app(ctx)
        metrics.add_route(application, ctx)
        self._runner = web.AppRunner(application, access_log=None, shutdown_timeout=2.0,
                                     handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, config.host, config.http_port, backlog=BACKLOG, reuse_address=True)
        await site.start()
        http_port = self._runner.addresses[0][1]
        self._tcp = await loop.create_server(lambda: TcpProtocol(ctx), config.host, config.tcp_port,
                                             backlog=BACKLOG, reuse_address=True)
        tcp_port = self._tcp.sockets[0].getsockname()[1]

        host = config.public_host
        url_host = f"[{host}]" if ":" in host else host
        self.info = {
            "rest_url": f"http://{url_host}:{http_port}",
            "ws_url": f"ws://{url_host}:{http_port}/websocket",
            "tcp_host": host,
            "tcp_port": tcp_port,
            "appkey": config.appkey,
            "org": config.org,
            "app": config.app,
            "client_id": config.client_id,
            "client_secret": config.client_secret,
            "data_dir": str(config.data_dir),
            "pid": os.getpid(),
            # where a reader finds the events (jsonl:PATH, redis://…?stream=KEY, kafka://…/TOPIC, none)
            "event_source": sink.describe() if sink is not None else "none",
        }
        if ctx.faults.active:
            log.warning("faults switched on: %s", ", ".join(sorted(ctx.faults.active)))
        log.info("sandbox %s listening: REST/WebSocket on %s:%d, TCP on %s:%d, data in %s",
                 config.appkey, config.host, http_port, config.host, tcp_port, config.data_dir)
        return self.info

    async def stop(self) -> None:
        ctx = self.ctx
        if self._tcp is not None:
            self._tcp.close()
        if ctx is not None:
            await ctx.hub.stop()
        if self._tcp is not None:
            try:
                await asyncio.wait_for(self._tcp.wait_closed(), 2.0)
            except (asyncio.TimeoutError, Exception):
                pass
            self._tcp = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if ctx is not None:
            ctx.events.close()
            ctx.store.close()
            self.ctx = None
            log.info("sandbox stopped")
        if self._logs is not None:
            self._logs.close()
            self._logs = None
