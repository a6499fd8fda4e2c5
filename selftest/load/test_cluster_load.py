"""The pieces of load on a cluster: the 429 throttle, the target opt-in, metrics sources and their
configuration, the manifest."""
from __future__ import annotations

import pytest
import requests

from im_e2e import config
from im_e2e.load.metrics import CommandMetrics, MetricsError, by_node, parse_samples, source_for
from im_e2e.load.provision import Manifest, Roster
from im_e2e.load.settings import apply, describe
from im_e2e.load.target import LoadRefused, load_target
from im_e2e.load.throttle import Throttle

pytestmark = pytest.mark.selftest

TARGET = """
[targets.staging]
rest_url = "http://im.example"
ws_url = "ws://im.example/websocket"
tcp_host = "im.example"
tcp_port = 6717
appkey = "org#app"
"""


def answer(status: int, headers: dict | None = None) -> requests.Response:
    resp = requests.Response()
    resp.status_code = status
    resp.headers.update(headers or {})
    resp._content = b'{"error": "reach_limit"}' if status == 429 else b'{"data": "ok"}'
    return resp


def test_throttle_retries_429_with_backoff_honours_retry_after_and_counts():
    answers = iter([answer(429, {"Retry-After": "3"}), answer(429), answer(200)])
    slept = []
    throttle = Throttle(attempts=5, base_s=0.5, sleep=slept.append)
    assert throttle.must(lambda: next(answers)) == "ok"
    assert slept == [3.0, 1.0]   # Retry-After, then the backoff of the second attempt
    assert throttle.figures() == {"rest_429": 2, "rest_retry_wait_s": 4.0, "rest_gave_up": 0}


def test_throttle_gives_up_after_its_attempts_and_says_so():
    throttle = Throttle(attempts=3, sleep=lambda s: None)
    assert throttle.call(lambda: answer(429)).status_code == 429
    assert throttle.figures()["rest_429"] == 3 and throttle.figures()["rest_gave_up"] == 1


def configured(tmp_path, text: str) -> config.Config:
    path = tmp_path / "im-e2e.toml"
    path.write_text(text, encoding="utf-8")
    return config.load(None, environ={"IM_E2E_CONFIG": str(path)})


def test_a_target_without_allow_load_is_refused_and_with_it_announced(tmp_path):
    with pytest.raises(LoadRefused, match=r"allow_load = true in \[targets.staging\]"):
        load_target(configured(tmp_path, TARGET), "staging")
    target = load_target(configured(tmp_path, TARGET + "allow_load = true\n"), "staging")
    assert target.announce() == ("load against target staging (rest_url http://im.example): "
                                 "allowed by [targets.staging] allow_load")
    assert load_target(configured(tmp_path, TARGET), "sandbox").is_own_sandbox


def test_metrics_tables_are_checked(tmp_path):
    with pytest.raises(config.ConfigError, match="needs url, cpu_query, memory_query"):
        configured(tmp_path, TARGET + '[targets.staging.metrics]\nsource = "prometheus"\n')
    with pytest.raises(config.ConfigError, match="source must be one of"):
        configured(tmp_path, TARGET + '[targets.staging.metrics]\nsource = "snmp"\n')
    with pytest.raises(config.ConfigError, match="tokens must be one of"):
        configured(tmp_path, '[load]\ntokens = "magic"\n')


def test_command_metrics_read_json_samples_over_the_cell_window():
    source = CommandMetrics(config.MetricsConfig(source="command", command=(
        "echo '{\"t\": {start}, \"cpu\": 50, \"rss\": 1048576, \"node\": \"n1\"}'")), "staging")
    source.start(None, "cell")
    source.stop()
    [sample] = source.samples()
    assert (sample["cpu"], sample["node"]) == (50, "n1") and sample["t"] == pytest.approx(source.started, abs=0.01)
    assert by_node([sample], sample["t"], sample["t"]) == {"n1": {"cpu_mean": 50.0, "cpu_max": 50.0,
                                                                  "rss_max_mb": 1.0}}
    with pytest.raises(MetricsError):
        parse_samples("not json")
    assert source_for(config.MetricsConfig(), "staging").kind == "none"
    assert source_for(config.MetricsConfig(), "sandbox", pid=1).kind == "process"


def test_settings_without_a_backend_run_as_found():
    from im_e2e.load.scenarios import cells_for
    [cell] = cells_for("ci-on", 0.05)
    report = apply(None, cell)
    assert report["set"] == [] and "traffic_control_enabled" in report["as_found"]
    assert describe(report).startswith("as found: traffic_control_enabled")


def test_manifest_round_trips(tmp_path):
    manifest = Manifest("staging", "http://im.example", "org#app", "seed", 0.5,
                        {"1000": Roster.new(1000, "load-abc-g1000")})
    manifest.rosters["1000"].group_id = "g1"
    manifest.save(tmp_path / "m.json")
    again = Manifest.load(tmp_path / "m.json")
    assert again == manifest and again.rosters["1000"].names[:2] == ["load-abc-g1000-0", "load-abc-g1000-1"]
