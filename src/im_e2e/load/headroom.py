"""The sandbox's headroom: which fan-out runs are clean, the table of them, the highest clean rate.
(Kept apart from bench.py, which imports Locust and with it gevent's monkey-patching.)"""
from __future__ import annotations

CLEAN_P99_MS = 1000.0
HEADROOM_KEYS = ("planned_deliveries_per_s", "fanout_deliveries_per_s", "fanout_live_deliveries_per_s", "lost",
                 "refused", "p99_ms", "drain_s", "generator_cpu_max", "sandbox_cpu_sending_mean",
                 "sandbox_cpu_sending_max", "valid", "invalid_reasons")


def is_clean(run: dict) -> bool:
    p99 = run.get("p99_ms")
    return bool(run["valid"]) and run["lost"] == 0 and run["refused"] == 0 and p99 is not None \
        and p99 <= CLEAN_P99_MS


def _n(value) -> str:
    return "–" if value is None else f"{value:,.0f}"


def headroom_summary(flat_runs: list[dict]) -> dict:
    """Flat fan-out figures of runs at rising rates → their table and the highest clean rate."""
    runs = [{**{k: run.get(k) for k in HEADROOM_KEYS}, "clean": is_clean(run)} for run in flat_runs]
    lines = ["| asked deliveries/s | fan-out/s (live + pulled) | live/s | p99 ms | lost | refused | "
             "sandbox CPU mean / max % | generator CPU (cores) | clean |", "|---|---|---|---|---|---|---|---|---|"]
    for r in runs:
        lines.append(f"| {_n(r['planned_deliveries_per_s'])} | {_n(r['fanout_deliveries_per_s'])} | "
                     f"{_n(r['fanout_live_deliveries_per_s'])} | {r['p99_ms']} | {r['lost']} | {r['refused']} | "
                     f"{r['sandbox_cpu_sending_mean']} / {r['sandbox_cpu_sending_max']} | {r['generator_cpu_max']} | "
                     f"{'yes' if r['clean'] else 'no'} |")
    clean = [r["planned_deliveries_per_s"] for r in runs if r["clean"]]
    return {"headroom": runs, "headroom_table": "\n".join(lines),
            "highest_clean_deliveries_per_s": max(clean) if clean else None}
