"""Server CPU and memory from where they live, one source per target (`[targets.NAME.metrics]`):

- `process`: a PID on this machine, sampled with psutil by a process of its own (probe.py); the
  default for the sandbox the load engine starts itself.
- `prometheus`: the Prometheus HTTP API, `GET /api/v1/query_range` over the cell's time with the
  configured PromQL for CPU (% of one core) and memory (resident bytes), one series per node
  (the `node_label`, default `instance`).
- `command`: a command printing JSON samples (one object a line, or one list):
  `{"t": epoch s, "cpu": % of a core, "rss": bytes, "node": "..."}`; placeholders `{start}` `{end}`
  (epoch s) and `{target}`.
- `none`: no server figures (the report says so).

Every source gives the same samples: `{"t", "cpu", "rss", "node"}` (`cpu` or `rss` None where the
source had no point), which probe.sending_figures and the report read.
"""
from __future__ import annotations

import json
import re
import subprocess
import time
from pathlib import Path
from typing import Any

import requests

from ..config import MetricsConfig
from .probe import Probe

# what a Prometheus scraping the sandbox's GET /metrics answers (im_sandbox/metrics.py)
SANDBOX_CPU_QUERY = 'rate(process_cpu_seconds_total{job="%s"}[5s]) * 100'
SANDBOX_MEMORY_QUERY = 'process_resident_memory_bytes{job="%s"}'


class MetricsError(RuntimeError):
    """The source could not be read (the report carries the message instead of figures)."""


class NoMetrics:
    kind = "none"

    def start(self, out_dir: Path, cell_name: str) -> None:
        pass

    def stop(self) -> None:
        pass

    def samples(self) -> list[dict]:
        return []

    def describe(self) -> str:
        return "no server metrics (set [targets.NAME.metrics] source)"


class ProcessMetrics(NoMetrics):
    kind = "process"

    def __init__(self, pid: int, interval: float = 0.5):
        self.pid, self.interval = pid, interval
        self.probe: Probe | None = None

    def start(self, out_dir: Path, cell_name: str) -> None:
        self.probe = Probe(self.pid, out_dir / f"{cell_name}.probe.jsonl", self.interval)

    def stop(self) -> None:
        if self.probe is not None:
            self.probe.stop()

    def samples(self) -> list[dict]:
        return [{**s, "node": f"pid {self.pid}"} for s in self.probe.samples()] if self.probe else []

    def describe(self) -> str:
        return f"process {self.pid} on this machine (psutil)"


class _Windowed(NoMetrics):
    """Sources read after the cell, over its time window."""

    def __init__(self, config: MetricsConfig, target: str):
        self.config, self.target = config, target
        self.started = self.ended = None

    def start(self, out_dir: Path, cell_name: str) -> None:
        self.started = time.time()

    def stop(self) -> None:
        self.ended = time.time()


class PrometheusMetrics(_Windowed):
    kind = "prometheus"

    def samples(self) -> list[dict]:
        if self.started is None:
            return []
        end = self.ended or time.time()
        by_point: dict[tuple[str, float], dict] = {}
        for field, query in (("cpu", self.config.cpu_query), ("rss", self.config.memory_query)):
            for series in self.query_range(query, self.started, end):
                node = series["metric"].get(self.config.node_label, "")
                for t, value in series["values"]:
                    point = by_point.setdefault((node, float(t)), {"t": float(t), "cpu": None, "rss": None,
                                                                   "node": node})
                    point[field] = float(value)
        return sorted(by_point.values(), key=lambda s: (s["t"], s["node"]))

    def query_range(self, query: str, start: float, end: float) -> list[dict]:
        url = self.config.url.rstrip("/") + "/api/v1/query_range"
        try:
            resp = requests.get(url, params={"query": query, "start": f"{start:.3f}", "end": f"{end:.3f}",
                                             "step": f"{self.config.step:g}"}, timeout=self.config.timeout)
            body = resp.json()
        except (requests.RequestException, ValueError) as exc:
            raise MetricsError(f"Prometheus {url}: {exc}") from None
        if resp.status_code != 200 or body.get("status") != "success":
            raise MetricsError(f"Prometheus {url} answered {resp.status_code} to {query!r}: "
                               f"{body.get('error', body)}")
        return body["data"]["result"]

    def describe(self) -> str:
        return f"Prometheus {self.config.url} (cpu: {self.config.cpu_query}; memory: {self.config.memory_query})"


class CommandMetrics(_Windowed):
    kind = "command"

    def samples(self) -> list[dict]:
        if self.started is None:
            return []
        values = {"start": f"{self.started:.3f}", "end": f"{(self.ended or time.time()):.3f}", "target": self.target}
        command = re.sub(r"\{([a-z_]+)\}", lambda m: values.get(m.group(1), m.group(0)), self.config.command)
        try:
            done = subprocess.run(command, shell=True, capture_output=True, text=True, timeout=self.config.timeout)
        except subprocess.TimeoutExpired:
            raise MetricsError(f"metrics command timed out after {self.config.timeout:g}s: {command}") from None
        if done.returncode != 0:
            raise MetricsError(f"metrics command exited {done.returncode}: {command}: {done.stderr.strip()[:500]}")
        return parse_samples(done.stdout)

    def describe(self) -> str:
        return f"command {self.config.command}"


def parse_samples(text: str) -> list[dict]:
    """JSON samples: one list, or one object a line; each needs `t`, takes `cpu` `rss` `node`."""
    text = text.strip()
    if not text:
        return []
    try:
        items = json.loads(text) if text.startswith("[") else [json.loads(line) for line in text.splitlines()
                                                                if line.strip()]
    except ValueError as exc:
        raise MetricsError(f"metrics command printed something that is not JSON samples: {exc}") from None
    samples = []
    for item in items:
        if not isinstance(item, dict) or "t" not in item:
            raise MetricsError(f"a metrics sample needs at least \"t\": {item!r}")
        samples.append({"t": float(item["t"]), "cpu": item.get("cpu"), "rss": item.get("rss"),
                        "node": str(item.get("node", ""))})
    return samples


def source_for(config: MetricsConfig, target: str, pid: int | None = None) -> Any:
    """The metrics source of a target; `pid`: the sandbox the engine started (the default `process`)."""
    kind = config.source or ("process" if pid is not None else "none")
    if kind == "process":
        chosen = config.pid if config.pid is not None else pid
        if chosen is None:
            raise MetricsError("metrics source \"process\" needs a pid ([targets.NAME.metrics] pid)")
        return ProcessMetrics(chosen)
    if kind == "prometheus":
        return PrometheusMetrics(config, target)
    if kind == "command":
        return CommandMetrics(config, target)
    return NoMetrics()


def by_node(samples: list[dict], start: float, end: float) -> dict[str, dict[str, Any]]:
    """Per node: CPU mean and max (% of a core) within [start, end], peak RSS (MB) over all samples."""
    nodes: dict[str, dict[str, Any]] = {}
    for node in sorted({s.get("node", "") for s in samples}):
        mine = [s for s in samples if s.get("node", "") == node]
        cpu = [s["cpu"] for s in mine if s.get("cpu") is not None and start <= s["t"] <= end]
        rss = [s["rss"] for s in mine if s.get("rss") is not None]
        nodes[node] = {"cpu_mean": round(sum(cpu) / len(cpu), 1) if cpu else None,
                       "cpu_max": round(max(cpu), 1) if cpu else None,
                       "rss_max_mb": round(max(rss) / 2**20, 1) if rss else None}
    return nodes
