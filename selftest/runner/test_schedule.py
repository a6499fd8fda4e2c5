"""`im-e2e schedule`: jobs from a TOML file, --once, no overlapping runs, notifications, graceful stop."""
from __future__ import annotations

import json
import signal
import threading

import pytest
from selftest.runner.runner_support import ROOT, explain

from im_client.waiting import wait_until
from im_e2e import scheduler
from im_e2e.config import ConfigError

pytestmark = pytest.mark.selftest

ROOMS = '''
import pytest

pytestmark = [pytest.mark.chatroom, pytest.mark.owner("yifan")]


def test_room_created():
    pass
'''

SCHEDULE = '''
[scheduler]
report_url = "https://ci.example.com/im-e2e/{run_id}/report.html"

[[webhooks]]
name = "everything"
kind = "json"
url = "${HOOK}/json"
notify = "always"

[[webhooks]]
name = "team"
kind = "slack"
url = "${HOOK}/slack"

[[jobs]]
name = "crashing"
marker = "chatroom"
cron = "0 * * * *"
args = ["-p", "crash_on_start"]

[[jobs]]
name = "chatroom-hourly"
owner = "yifan"
interval = "1h"
'''


def test_the_example_schedule_is_valid(monkeypatch):
    for name in ("DINGTALK_TOKEN", "DINGTALK_SECRET", "FEISHU_HOOK", "OPS_HOOK_TOKEN"):
        monkeypatch.setenv(name, "x")
    config = scheduler.load(ROOT / "ci" / "schedule.example.toml")
    assert [j.name for j in config.jobs] == ["chatroom-hourly", "messaging-every-30m", "nightly-all"]
    assert config.jobs[0].owners == ("yifan",) and config.jobs[0].timeout == 45 * 60


def test_schedule_file_is_checked_when_loaded(tmp_path, monkeypatch):
    path = tmp_path / "schedule.toml"

    def load(text: str):
        path.write_text(text)
        return scheduler.load(path)

    monkeypatch.setenv("HOOK", "http://127.0.0.1:1")
    config = load(SCHEDULE)
    assert [(j.name, j.cron, j.interval, j.owners, j.marker) for j in config.jobs] == [
        ("crashing", "0 * * * *", None, (), "chatroom"), ("chatroom-hourly", None, 3600.0, ("yifan",), None)]
    assert [(w.name, w.url, w.notify) for w in config.webhooks] == [
        ("everything", "http://127.0.0.1:1/json", "always"), ("team", "http://127.0.0.1:1/slack", "failure")]
    with pytest.raises(ValueError, match="exactly one of cron"):
        load('[[jobs]]\nname = "x"\ncron = "0 * * * *"\ninterval = "1h"\n')
    with pytest.raises(ValueError, match="exactly one of cron"):
        load('[[jobs]]\nname = "x"\n')
    with pytest.raises(ValueError, match="Wrong number of fields"):
        load('[[jobs]]\nname = "x"\ncron = "0 * *"\n')
    with pytest.raises(ValueError, match="unknown webhooks"):
        load('[[jobs]]\nname = "x"\ninterval = "5m"\nwebhooks = ["nope"]\n')
    monkeypatch.delenv("HOOK")
    with pytest.raises(ConfigError, match="HOOK is not set"):
        load(SCHEDULE)


def test_once_runs_every_job_survives_a_crash_and_notifies(mini, receiver):
    mini.write("tests/test_rooms.py", ROOMS)
    mini.write("crash_on_start.py", "import os\n\ndef pytest_sessionstart(session):\n    os.abort()\n")
    mini.write("schedule.toml", SCHEDULE)
    mini.env["HOOK"] = receiver.url
    proc = mini.im_e2e("schedule", "--config", "schedule.toml", "--once")
    assert proc.returncode != 0, explain(proc)        # one job failed …

    crashed, hourly = mini.run_dirs()                  # … and the next one still ran
    assert crashed.name.endswith("-crashing") and hourly.name.endswith("-chatroom-hourly")
    assert mini.results(crashed)["status"] == "error"
    assert "SIGABRT" in mini.results(crashed)["message"]
    assert mini.results(hourly)["status"] == "passed"
    assert {"junit.xml", "report.html", "results.json", "allure-results"} <= {p.name for p in hourly.iterdir()}

    # "everything" hears about both runs, "team" (notify on failure) only about the crash
    posted = [r["json"] for r in receiver.at("/json")]
    assert [(p["job"], p["status"]) for p in posted] == [("crashing", "error"), ("chatroom-hourly", "passed")]
    assert posted[1]["report"] == f"https://ci.example.com/im-e2e/{hourly.name}/report.html"
    assert posted[1]["counts"]["passed"] == 1
    (team,) = receiver.at("/slack")
    assert team["json"]["text"].startswith("im-e2e crashing: ERROR")


SLOW = '''
import os
import pathlib

import pytest

from im_client.waiting import wait_until

pytestmark = [pytest.mark.chatroom, pytest.mark.owner("yifan")]


def test_long_soak():
    here = pathlib.Path(os.environ["MARKS"])
    (here / f"started-{os.getpid()}").touch()
    wait_until(lambda: (here / "release").exists(), "the release file", timeout=120)
'''


def test_serve_never_overlaps_a_job_and_stops_gracefully_on_sigterm(mini):
    mini.write("tests/test_soak.py", SLOW)
    mini.write("schedule.toml", '[[jobs]]\nname = "soak"\nowner = "yifan"\ninterval = "1s"\n')
    marks = mini.path / "marks"
    marks.mkdir()
    mini.env["MARKS"] = str(marks)
    daemon = mini.popen_im_e2e("schedule", "--config", "schedule.toml")
    output: list[str] = []
    reader = threading.Thread(target=lambda: output.extend(daemon.stdout), daemon=True)
    reader.start()
    try:
        wait_until(lambda: list(marks.glob("started-*")), "the first soak run to start", timeout=60)
        # the next fire time comes while the first run still goes: apscheduler skips it
        wait_until(lambda: any("maximum number of running instances reached" in line for line in output),
                   "the overlapping run to be skipped", timeout=30)
        daemon.send_signal(signal.SIGTERM)
        assert daemon.wait(timeout=60) == 0
    finally:
        if daemon.poll() is None:
            daemon.kill()
    reader.join(10)
    text = "".join(output)
    assert len(list(marks.glob("started-*"))) == 1, text
    assert "received SIGTERM: stopping" in text and text.rstrip().endswith("stopped"), text
    (run_dir,) = mini.run_dirs()
    results = json.loads((run_dir / "results.json").read_text())
    assert results["status"] == "interrupted", text      # the run was asked to stop, and still reported
    assert (run_dir / "console.log").stat().st_size > 0
