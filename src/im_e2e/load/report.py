"""The report of a load run: report.html (matplotlib figures embedded as base64, cells side by side,
traffic control on next to off), results.json and cells.csv."""
from __future__ import annotations

import base64
import csv
import html
import io
import json
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from .probe import sending_figures  # noqa: E402

ROWS = [("verdict", "verdict"), ("target", "target.name"), ("traffic-control settings", "settings_line"),
        ("group size", "cell.group_size"), ("online members", "cell.online_members"),
        ("traffic control", "cell.traffic_control"), ("planned deliveries/s", "cell.deliveries_per_s"),
        ("achieved deliveries/s (sent)", "achieved_deliveries_per_s"), ("duration s", "cell.duration_s"),
        ("member pull delay ms", "cell.pull_delay_ms"),
        ("sent", "ledger.sent"), ("accepted", "ledger.accepted"), ("refused", "ledger.refused"),
        ("unanswered", "ledger.unanswered"), ("expected deliveries", "ledger.expected"),
        ("delivered live", "ledger.delivered_live"), ("pulled after the run", "ledger.pulled"),
        ("evicted", "ledger.evicted"), ("duplicates", "ledger.duplicates"), ("lost", "ledger.lost"),
        ("p50 ms", "latency_ms.p50"), ("p95 ms", "latency_ms.p95"), ("p99 ms", "latency_ms.p99"),
        ("p99.9 ms", "latency_ms.p99.9"), ("drain s", "drain_s"), ("generator CPU (cores)", "generator_cpu"),
        ("server CPU while sending, mean % (all nodes)", "sandbox_cpu_sending_mean"),
        ("server CPU while sending, max %", "sandbox_cpu_sending_max"),
        ("notes: server CPU before %", "reference_cpu_before"), ("notes: server CPU after %", "reference_cpu_after"),
        ("server RSS max MB", "sandbox_rss_max_mb"),
        ("server metrics from", "server_metrics.from"), ("server metrics error", "server_metrics.error"),
        ("server figures per node", "server_metrics.by_node"), ("evictions read from", "evictions_from"),
        ("event log caught up after s", "event_log_marker.seen_after_s"),
        ("REST 429 answers retried", "rest.rest_429"), ("REST calls given up after 429s", "rest.rest_gave_up"),
        ("invalid because", "invalid_reasons")]


def reference_figures(result: dict[str, Any]) -> dict[str, Any]:
    """The notes' server CPU before and after (scenarios.toml `reference_cpu`), where recorded."""
    before, after = result["cell"].get("reference_cpu") or (None, None)
    return {"reference_cpu_before": before, "reference_cpu_after": after}


def pick(result: dict[str, Any], path: str) -> Any:
    value: Any = result
    head, _, rest = path.partition(".")
    value = value.get(head)
    if rest and isinstance(value, dict):
        value = value.get(rest)
    return "; ".join(map(str, value)) if isinstance(value, list) else value


def _figure(fig) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=80, bbox_inches="tight")
    plt.close(fig)
    return f'<img src="data:image/png;base64,{base64.b64encode(buf.getvalue()).decode()}">'


def _timeline(result: dict[str, Any]) -> str:
    tl, cell = result["timeline"], result["cell"]
    fig, (ax, ax2) = plt.subplots(2, 1, figsize=(6, 5), sharex=True)
    ax.plot(tl["second"], tl["delivered_live"], label="delivered live /s")
    ax.plot(tl["second"], [n * (cell["group_size"] - 1) for n in tl["accepted"]], label="accepted x fan-out /s")
    ax.plot(tl["second"], [n * 100 for n in tl["refused"]], label="refused x100 /s")
    ax.set_title(cell["name"])
    ax.legend(fontsize=7)
    samples = result.get("sandbox_samples") or []
    if samples:
        t0 = result["send_end"] - cell["duration_s"]  # seq 0, the origin of the timeline above
        ax3 = ax2.twinx()
        for node in sorted({s.get("node", "") for s in samples}):
            mine = [s for s in samples if s.get("node", "") == node]
            cpu = [s for s in mine if s.get("cpu") is not None]
            rss = [s for s in mine if s.get("rss") is not None]
            ax2.plot([s["t"] - t0 for s in cpu], [s["cpu"] for s in cpu], label=f"CPU % {node}".strip())
            ax3.plot([s["t"] - t0 for s in rss], [s["rss"] / 2**20 for s in rss], "--", label=f"RSS MB {node}".strip())
        ax3.set_ylabel("RSS MB (dashed)")
    ax2.set_xlabel("s after the first send (before: set-up and logins; after: the offline pull)")
    ax2.set_ylabel("CPU %")
    return _figure(fig)


def _cdf(results: list[dict[str, Any]]) -> str:
    fig, ax = plt.subplots(figsize=(6, 4))
    for r in results:
        points = r["latency_cdf"]
        if points:
            ax.plot([p[0] for p in points], [p[1] for p in points], label=r["cell"]["name"])
    ax.set_xscale("log")
    ax.set_xlabel("delivery latency ms (send → member received)")
    ax.set_ylabel("share")
    ax.legend(fontsize=7)
    return _figure(fig)


def _completeness(result: dict[str, Any]) -> str:
    fig, ax = plt.subplots(figsize=(6, 3))
    values = sorted(m["completeness"] for m in result["members"])
    ax.plot(range(len(values)), values)
    ax.set_ylim(0, 1.05)
    ax.set_title(f"{result['cell']['name']}: completeness per member (sorted)")
    return _figure(fig)


def write_report(results: list[dict[str, Any]], out: Path, *, scenario: str, scale: float) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for r in results:
        r.update(sending_figures(r))
        r.update(reference_figures(r))
    ordered = sorted(results, key=lambda r: (r["cell"]["deliveries_per_s"], r["cell"]["online"],
                                             r["cell"]["traffic_control"]))
    (out / "results.json").write_text(json.dumps({"scenario": scenario, "scale": scale, "cells": ordered},
                                                 indent=1, default=str), encoding="utf-8")
    with (out / "cells.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["cell", *[label for label, _ in ROWS]])
        for r in ordered:
            writer.writerow([r["cell"]["name"], *[pick(r, path) for _, path in ROWS]])
    with (out / "members.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["cell", "member", "transport", "phase", "expected", "delivered_live", "pulled", "evicted",
                         "duplicates", "lost", "completeness", "worker"])
        for r in ordered:
            for m in r["members"]:
                writer.writerow([r["cell"]["name"], *m.values()])
    head = "".join(f"<th>{html.escape(r['cell']['name'])}</th>" for r in ordered)
    body = "".join(f"<tr><th>{html.escape(label)}</th>"
                   + "".join(f"<td>{html.escape(str(pick(r, path)))}</td>" for r in ordered) + "</tr>"
                   for label, path in ROWS)
    figures = "".join(f"<div class=cell>{_timeline(r)}{_completeness(r)}</div>" for r in ordered)
    page = (f"<!doctype html><meta charset=utf-8><title>load: {html.escape(scenario)} x{scale:g}</title>"
            "<style>body{font-family:sans-serif}td,th{border:1px solid #ccc;padding:2px 6px;font-size:12px}"
            "table{border-collapse:collapse}.cell{display:inline-block;vertical-align:top}</style>"
            f"<h1>Group pressure: {html.escape(scenario)}, scale {scale:g}</h1>"
            f"<table><tr><th></th>{head}</tr>{body}</table><h2>Latency CDF</h2>{_cdf(ordered)}"
            f"<h2>Timelines and completeness</h2>{figures}")
    (out / "report.html").write_text(page, encoding="utf-8")
