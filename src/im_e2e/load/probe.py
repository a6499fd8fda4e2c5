"""Sample CPU and RSS of a process (the sandbox) with psutil, from a process of its own, so the
sampling neither loads the generator nor is delayed by it.

    python -m im_e2e.load.probe PID OUT.jsonl [--interval 0.5]

One JSON line per sample: {"t": epoch s, "cpu": percent of one core, "rss": bytes}; ends when
the process ends or on SIGTERM.
"""
from __future__ import annotations

import argparse
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil

from ..sandbox_process import stop_process


def sample(pid: int, out: Path, interval: float) -> None:
    proc = psutil.Process(pid)
    proc.cpu_percent(None)
    with out.open("a", encoding="utf-8") as f:
        while True:
            time.sleep(interval)  # the sampling period itself
            try:
                cpu, rss = proc.cpu_percent(None), proc.memory_info().rss
            except psutil.Error:
                return
            f.write(json.dumps({"t": round(time.time(), 3), "cpu": cpu, "rss": rss}) + "\n")
            f.flush()


def read(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


class Probe:
    """Start the sampler in its own process; `stop()` ends it; `samples()` reads what it wrote."""

    def __init__(self, pid: int, out: Path, interval: float = 0.5):
        self.out = out
        self.proc = subprocess.Popen([sys.executable, "-m", "im_e2e.load.probe", str(pid), str(out),
                                      "--interval", str(interval)])

    def stop(self) -> None:
        stop_process(self.proc)

    def samples(self) -> list[dict]:
        return read(self.out)


def sending_figures(result: dict) -> dict:
    """Sandbox CPU (mean and max, % of one core) while the cell sent and drained, and its peak RSS
    over the whole cell; set-up (users, logins) and the offline pull are left out of the CPU."""
    samples = result.get("sandbox_samples") or []
    end = result["send_end"] + (result.get("drain_s") or 0)
    start = result["send_end"] - result["cell"]["duration_s"]
    cpu = [s["cpu"] for s in samples if s.get("cpu") is not None and start <= s["t"] <= end]
    rss = [s["rss"] for s in samples if s.get("rss") is not None]
    return {"sandbox_cpu_sending_mean": round(sum(cpu) / len(cpu), 1) if cpu else None,
            "sandbox_cpu_sending_max": max(cpu, default=None),
            "sandbox_rss_max_mb": round(max(rss, default=0) / 2**20, 1) or None}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("pid", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--interval", type=float, default=0.5)
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    sample(args.pid, args.out, args.interval)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
