"""The load engine on a target it did not start: a sandbox run as an outside service (its own
process, `python -m im_sandbox`), reached only through `[targets.outside]` with `allow_load`, its
CPU and memory read through a real Prometheus scraping its GET /metrics, the population made once
by `provision` and removed by `teardown` (both idempotent), REST throttling (429) retried."""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from fixtures.outcomes import not_possible
from im_client import RestClient, Target
from im_client.waiting import wait_until
from im_e2e.sandbox_process import SandboxProcess, stop_process

pytestmark = [pytest.mark.load, pytest.mark.group, pytest.mark.owner("jiahao")]

RUN_TIMEOUT = 240
PROMETHEUS_UP_TIMEOUT = 60.0
CPU_QUERY = 'rate(process_cpu_seconds_total{job="sandbox"}[5s]) * 100'
MEMORY_QUERY = 'process_resident_memory_bytes{job="sandbox"}'
CELL = ("--scenario", "ci-on", "--scale", "0.05")   # 100 members, 50 online, 2 senders


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def outside(tmp_path_factory):
    """A sandbox started on its own; the tests know only its address (the JSON line it prints)."""
    with SandboxProcess(data_dir=str(tmp_path_factory.mktemp("outside-sandbox"))) as sandbox:
        yield sandbox.info


@pytest.fixture(scope="module")
def prometheus(outside, tmp_path_factory):
    """A real Prometheus scraping the outside sandbox's /metrics every second; its base URL."""
    binary = shutil.which("prometheus")
    if binary is None:
        not_possible("no prometheus binary (apt-get install -y prometheus)")
    work = tmp_path_factory.mktemp("prometheus")
    scrape = outside["rest_url"].split("://", 1)[1]
    (work / "prometheus.yml").write_text(
        "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
        f"scrape_configs:\n  - job_name: sandbox\n    static_configs:\n      - targets: ['{scrape}']\n",
        encoding="utf-8")
    port = free_port()
    with (work / "prometheus.log").open("w") as log:
        proc = subprocess.Popen([binary, f"--config.file={work / 'prometheus.yml'}",
                                 f"--storage.tsdb.path={work / 'data'}", f"--web.listen-address=127.0.0.1:{port}"],
                                stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        def up() -> bool:
            assert proc.poll() is None, (work / "prometheus.log").read_text()[-2000:]
            return _target_up(url)

        wait_until(up, "Prometheus to report the sandbox target up", timeout=PROMETHEUS_UP_TIMEOUT)
        yield url
    finally:
        stop_process(proc)


def _target_up(url: str) -> bool:
    try:
        active = requests.get(f"{url}/api/v1/targets", timeout=2).json()["data"]["activeTargets"]
    except (requests.RequestException, ValueError, KeyError):
        return False
    return any(t["labels"].get("job") == "sandbox" and t["health"] == "up" for t in active)


def write_config(path: Path, info: dict, *, allow_load: bool = True, prometheus: str | None = None,
                 tokens: str = "inherit") -> Path:
    lines = ["[targets.outside]"] + [f"{k} = {json.dumps(info[k])}" for k in
                                     ("rest_url", "ws_url", "tcp_host", "tcp_port", "appkey", "client_id",
                                      "client_secret")]
    lines.append(f"allow_load = {'true' if allow_load else 'false'}")
    if prometheus:
        lines += ["[targets.outside.metrics]", 'source = "prometheus"', f"url = {json.dumps(prometheus)}",
                  f"cpu_query = {json.dumps(CPU_QUERY)}", f"memory_query = {json.dumps(MEMORY_QUERY)}"]
    lines += ["[app_config]", 'backend = "sandbox"', "[storage]",
              f"events = {json.dumps('jsonl:' + str(Path(info['data_dir']) / 'events.jsonl'))}",
              "[load]", f"tokens = {json.dumps(tokens)}"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def load(config: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("IM_E2E_")}
    env["IM_E2E_CONFIG"] = str(config)
    return subprocess.run([sys.executable, "-m", "im_e2e.load", *args], capture_output=True, text=True,
                          timeout=RUN_TIMEOUT, env=env)


def last_json(done: subprocess.CompletedProcess) -> dict:
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_cell_on_an_outside_sandbox_loses_nothing_and_reads_cpu_through_prometheus(outside, prometheus, tmp_path):
    """provision twice (the second finds everything there), one cell on the manifest with server
    metrics from Prometheus and lost = 0, teardown twice (the second finds nothing left)."""
    config = write_config(tmp_path / "im-e2e.toml", outside, prometheus=prometheus)
    manifest = tmp_path / "manifest.json"
    first = last_json(load(config, "provision", *CELL, "--target", "outside", "--manifest", str(manifest)))
    assert (first["users_created"], first["groups_created"]) == (100, 1)
    again = last_json(load(config, "provision", *CELL, "--target", "outside", "--manifest", str(manifest)))
    assert (again["users_created"], again["groups_created"], again["members_added"]) == (0, 0, 0)

    out = tmp_path / "load"
    done = load(config, *CELL, "--target", "outside", "--manifest", str(manifest), "--out", str(out))
    assert done.stdout.splitlines()[0] == (f"load against target outside (rest_url {outside['rest_url']}): "
                                           f"allowed by [targets.outside] allow_load"), done.stdout + done.stderr
    [cell] = json.loads((out / "results.json").read_text())["cells"]
    assert cell["valid"], cell["invalid_reasons"]
    assert (cell["ledger"]["lost"], cell["ledger"]["unanswered"], cell["verdict"]) == (0, 0, "pass")
    assert cell["app_settings"]["set"] == ["traffic_control_enabled", "traffic_control_ticket_max",
                                           "traffic_control_timeout"]
    metrics = cell["server_metrics"]
    assert (metrics["source"], metrics["error"]) == ("prometheus", None)
    [node] = metrics["by_node"].values()
    assert node["cpu_mean"] is not None and node["rss_max_mb"] > 0

    gone = last_json(load(config, "teardown", "--manifest", str(manifest)))
    assert (gone["groups_destroyed"], gone["users_deleted"]) == (1, 100)
    still = last_json(load(config, "teardown", "--manifest", str(manifest)))
    assert (still["groups_destroyed"], still["users_deleted"]) == (0, 0)


def test_cell_on_two_workers_gets_the_outside_target_from_the_master(outside, tmp_path):
    """A master with two local workers drives the outside target: the workers dial the configured
    address the master hands them (password tokens this time), and nothing is lost."""
    config = write_config(tmp_path / "im-e2e.toml", outside, tokens="password")
    manifest = tmp_path / "manifest.json"
    last_json(load(config, "provision", *CELL, "--target", "outside", "--manifest", str(manifest)))
    out = tmp_path / "load"
    done = load(config, *CELL, "--processes", "2", "--target", "outside", "--manifest", str(manifest),
                "--out", str(out))
    assert (out / "results.json").exists(), done.stdout + done.stderr
    [cell] = json.loads((out / "results.json").read_text())["cells"]
    assert cell["valid"], cell["invalid_reasons"]
    assert len(cell["processes"]) == 2 and (cell["ledger"]["lost"], cell["verdict"]) == (0, "pass")
    assert cell["target"] == {"name": "outside", "rest_url": outside["rest_url"]}
    assert cell["server_metrics"]["source"] == "none"   # no metrics table: said, not invented
    last_json(load(config, "teardown", "--manifest", str(manifest)))


def test_load_against_a_target_without_allow_load_is_refused(outside, tmp_path):
    """Without allow_load in its [targets.NAME] a target is never loaded: exit 4, the reason said."""
    config = write_config(tmp_path / "im-e2e.toml", outside, allow_load=False)
    done = load(config, *CELL, "--target", "outside", "--out", str(tmp_path / "load"))
    assert done.returncode == 4 and "allow_load = true in [targets.outside]" in done.stderr
    assert not (tmp_path / "load").exists()


@pytest.mark.rule("rest-rate-limit")
def test_provision_retries_throttled_calls_and_counts_them(outside, tmp_path):
    """With the sandbox's REST rate limit at 2 calls/s, provision still completes: its 429 answers
    are retried with backoff and counted."""
    admin = RestClient(Target.from_info(outside))
    admin.token = admin.must_app_token().access_token
    admin.must_set_app_config(rest_rate_limit=2)
    try:
        config = write_config(tmp_path / "im-e2e.toml", outside)
        manifest = tmp_path / "manifest.json"
        done = last_json(load(config, "provision", *CELL, "--target", "outside", "--manifest", str(manifest)))
    finally:
        admin.must_set_app_config(rest_rate_limit=0)
    assert done["users_created"] == 100 and done["rest_429"] > 0 and done["rest_gave_up"] == 0
    last_json(load(config, "teardown", "--manifest", str(manifest)))


def test_a_loss_on_an_outside_sandbox_shows_in_the_ledger(tmp_path, monkeypatch):
    """The ledger catches loss on a target it did not start: an outside sandbox that drops every
    25th group delivery after its first 100 gives a ledger with exactly those lost, and verdict fail."""
    monkeypatch.setenv("IM_SANDBOX_LOAD_FAULT_N", "25")
    monkeypatch.setenv("IM_SANDBOX_LOAD_FAULT_AFTER", "100")
    with SandboxProcess("--faults", "load_drop_one_in_n", data_dir=str(tmp_path / "lossy-sandbox")) as sandbox:
        config = write_config(tmp_path / "im-e2e.toml", sandbox.info, tokens="password")
        out = tmp_path / "load"
        done = load(config, "--scenario", "ledger-small", "--target", "outside", "--out", str(out))
    assert (out / "results.json").exists(), done.stdout + done.stderr
    [cell] = json.loads((out / "results.json").read_text())["cells"]
    assert cell["valid"], cell["invalid_reasons"]
    ledger = cell["ledger"]
    assert ledger["accepted"] == ledger["sent"] and ledger["expected"] > 100
    assert (ledger["lost"], ledger["duplicates"], ledger["unanswered"]) == ((ledger["expected"] - 100) // 25, 0, 0)
    assert cell["verdict"] == "fail"
