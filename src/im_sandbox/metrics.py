"""`GET /metrics`: the sandbox's live state in the Prometheus text format (`prometheus-client`).

A scrape reads the state as it is at that moment (a custom Collector; nothing is counted twice):
the process's CPU seconds and RSS (the client's own ProcessCollector: `process_cpu_seconds_total`,
`process_resident_memory_bytes`), connections and online users, queue depth (stored queue items),
tickets in use / waiting / the pool size of traffic control, and counters taken from the event
log's per-kind counts: deliveries (`message.downstream`: a queue item written in a pulled page),
refusals (`group.message_refused`, `message.refused`, `chatroom.send_refused`), evictions
(`message.evicted`) and drops (`message.dropped`). A load run against the sandbox as an outside
service reads CPU and memory through Prometheus from here (im_e2e.load.metrics).
"""
from __future__ import annotations

from typing import Iterator

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, ProcessCollector, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from .msync.context import Context

REFUSALS = ("group.message_refused", "message.refused", "chatroom.send_refused")


class SandboxCollector(Collector):
    def __init__(self, ctx: Context):
        self.ctx = ctx

    def collect(self) -> Iterator:
        ctx = self.ctx
        appkey = ctx.config.appkey
        yield _gauge("im_sandbox_connections", "msync connections open now", len(ctx.hub.connections), appkey)
        yield _gauge("im_sandbox_online_users", "users with at least one bound device", len(ctx.hub.devices), appkey)
        depth = ctx.store.db.scalar("SELECT COUNT(*) FROM queue_items") or 0
        yield _gauge("im_sandbox_queue_depth", "queue items stored (not yet acknowledged by their device)", depth, appkey)
        traffic = ctx.traffic
        yield _gauge("im_sandbox_tickets_in_use", "traffic-control tickets in use", traffic.in_use, appkey)
        yield _gauge("im_sandbox_tickets_waiting", "group messages waiting for tickets", len(traffic.waiting), appkey)
        yield _gauge("im_sandbox_ticket_max", "traffic_control_ticket_max", traffic.ticket_max, appkey)
        counts = ctx.events.counts
        yield _counter("im_sandbox_deliveries", "queue items written to devices in pulled pages",
                       counts["message.downstream"], appkey)
        refusals = CounterMetricFamily("im_sandbox_refusals", "messages refused, by event kind", labels=["appkey", "kind"])
        for kind in REFUSALS:
            refusals.add_metric([appkey, kind], counts[kind])
        yield refusals
        yield _counter("im_sandbox_evictions", "queue items evicted by the offline limit", counts["message.evicted"], appkey)
        yield _counter("im_sandbox_drops", "room messages dropped (budget, traffic control)", counts["message.dropped"],
                       appkey)


def _gauge(name: str, doc: str, value: float, appkey: str) -> GaugeMetricFamily:
    family = GaugeMetricFamily(name, doc, labels=["appkey"])
    family.add_metric([appkey], value)
    return family


def _counter(name: str, doc: str, value: float, appkey: str) -> CounterMetricFamily:
    family = CounterMetricFamily(name, doc, labels=["appkey"])
    family.add_metric([appkey], value)
    return family


def registry_for(ctx: Context) -> CollectorRegistry:
    registry = CollectorRegistry(auto_describe=False)
    ProcessCollector(registry=registry)
    registry.register(SandboxCollector(ctx))
    return registry


def add_route(app: web.Application, ctx: Context) -> None:
    registry = registry_for(ctx)

    async def metrics(request: web.Request) -> web.Response:
        return web.Response(body=generate_latest(registry), headers={"Content-Type": CONTENT_TYPE_LATEST})

    app.router.add_get("/metrics", metrics)
