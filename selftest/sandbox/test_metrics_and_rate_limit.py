"""The sandbox's GET /metrics (Prometheus text format) and its REST call-rate limit."""
from __future__ import annotations

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from im_sandbox.rest.rate_limit import RateLimit

pytestmark = pytest.mark.selftest

PW = "pw-123"


def scrape(info) -> dict[str, float]:
    """name{labels} -> value of one GET /metrics, labels other than appkey kept in the key."""
    text = requests.get(f"{info['rest_url']}/metrics", timeout=10).text
    values = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            extra = ",".join(f"{k}={v}" for k, v in sorted(sample.labels.items()) if k != "appkey")
            values[sample.name + (f"{{{extra}}}" if extra else "")] = sample.value
    return values


def test_metrics_expose_process_and_live_state(info):
    resp = requests.get(f"{info['rest_url']}/metrics", timeout=10)
    assert resp.status_code == 200 and resp.headers["Content-Type"].startswith("text/plain")
    names = {f.name for f in text_string_to_metric_families(resp.text)}
    assert {"process_cpu_seconds", "process_resident_memory_bytes", "im_sandbox_connections",
            "im_sandbox_queue_depth", "im_sandbox_tickets_in_use", "im_sandbox_deliveries",
            "im_sandbox_refusals"} <= names


def test_metrics_follow_connections_and_deliveries(info, api, connect, wire):
    """A scrape reads the state at that moment: a new connection counts, a pulled message is a delivery."""
    before = scrape(info)
    alice, bob = connect(wire), connect(wire)
    alice.provision(api.create_user(), password=PW)
    bob.provision(api.create_user(), password=PW)
    alice.send_text(bob.user, "hello")
    bob.pull(bob.notice().queue)
    after = scrape(info)
    assert after["im_sandbox_connections"] >= before["im_sandbox_connections"] + 2
    assert after["im_sandbox_deliveries_total"] >= before["im_sandbox_deliveries_total"] + 1
    assert after["process_resident_memory_bytes"] > 0


def test_rate_limit_counts_a_fixed_window_and_spares_the_admin_endpoint():
    now = [10.2]
    limit = RateLimit(clock=lambda: now[0])
    limit.admit(2, "/users")
    limit.admit(2, "/users")
    try:
        limit.admit(2, "/users")
        raise AssertionError("the third call in the window was admitted")
    except Exception as exc:  # RestError
        assert (exc.status, exc.error) == (429, "reach_limit")
    limit.admit(2, "/app_config")       # never counted
    now[0] = 11.0                        # the next window
    limit.admit(2, "/users")
    limit.admit(0, "/users")             # 0 = off


def test_rate_limit_setting_answers_429_reach_limit(api):
    assert api.put("/app_config", {"rest_rate_limit": 1}).status_code == 200
    try:
        answers = [api.get("/users", params={"limit": 1}) for _ in range(5)]
    finally:
        assert api.put("/app_config", {"rest_rate_limit": 0}).status_code == 200
    limited = [r for r in answers if r.status_code == 429]
    assert limited, [r.status_code for r in answers]
    body = limited[0].json()
    assert (body["error"], body["error_description"]) == ("reach_limit", "This request has reached api limit")
    assert "Retry-After" not in limited[0].headers
