"""Every section: `${VAR}` expanded everywhere, unknown sections and keys named, schedule files checked."""
from pathlib import Path

import pytest

from im_e2e import config
from im_e2e.config import ConfigError

pytestmark = pytest.mark.selftest

EVERY_SECTION = """
[target]
name = "${NAME}"

[targets.staging]
rest_url = "https://${HOST}"
ws_url = "wss://${HOST}/websocket"
tcp_host = "${HOST}"
tcp_port = 6717
appkey = "org#app"
client_id = "${ID}"
client_secret = "${SECRET}"

[suite]
transports = ["${TRANSPORT}"]

[app_config]
backend = "command"
get = "ops/rpc.sh ${HOST} get {key}"
set = "ops/rpc.sh ${HOST} set {key} \\"$${IM_E2E_VALUE}\\""
lock_dir = "${DIR}/locks"

[app_config.settings]
recall_time_limit = "${APP}.recall_time_limit"

[storage]
events = "kafka://${HOST}:9092/log"

[storage.kafka]
kind_field = "${FIELD}"

[storage.kafka.kinds]
log = "${FIELD}"

[health]
lag_command = "lag.sh ${HOST}"

[diagnostics]
timezone = "${TZ_NAME}"

[[diagnostics.commands]]
name = "log"
command = "search.sh ${HOST} {user}"

[scheduler]
report_url = "https://${HOST}/{run_id}"
reports_dir = "${DIR}/reports"

[[webhooks]]
name = "team"
url = "https://hooks/${SECRET}"
headers = { Authorization = "Bearer ${SECRET}" }

[[jobs]]
name = "hourly"
owner = "yifan"
interval = "1h"
args = ["-k", "${TRANSPORT}"]
env = { IM_E2E_TRANSPORTS = "${TRANSPORT}" }

[load]
sandbox_host = "${HOST}"
"""

ENV = {"NAME": "staging", "HOST": "im.example.com", "ID": "the-id", "SECRET": "s3cret", "TRANSPORT": "ws",
       "DIR": "/var/im-e2e", "APP": "msync", "FIELD": "type", "TZ_NAME": "Asia/Shanghai"}


def write(tmp_path: Path, text: str, name: str = "im-e2e.toml") -> Path:
    (tmp_path / name).write_text(text)
    return tmp_path / name


def test_env_references_are_expanded_in_every_section(tmp_path):
    cfg = config.load(write(tmp_path, EVERY_SECTION).parent, environ=ENV)
    assert cfg.target.name == "staging" and cfg.target.rest_url == "https://im.example.com"
    assert (cfg.target.client_id, cfg.target.client_secret) == ("the-id", "s3cret")
    assert cfg.suite.transports == ("ws",)
    assert cfg.app_config.get == "ops/rpc.sh im.example.com get {key}"
    assert cfg.app_config.set == 'ops/rpc.sh im.example.com set {key} "${IM_E2E_VALUE}"'  # $${…} is left to the shell
    assert cfg.app_config.lock_dir == Path("/var/im-e2e/locks")
    assert cfg.app_config.settings == {"recall_time_limit": "msync.recall_time_limit"}
    assert cfg.storage.events == "kafka://im.example.com:9092/log"
    assert cfg.storage.kafka.kind_field == "type" and cfg.storage.kafka.kinds == {"log": "type"}
    assert cfg.health.lag_command == "lag.sh im.example.com"
    assert cfg.diagnostics.timezone == "Asia/Shanghai"
    assert cfg.diagnostics.commands[0].command == "search.sh im.example.com {user}"
    assert cfg.schedule.report_url == "https://im.example.com/{run_id}"
    assert cfg.schedule.reports_dir == Path("/var/im-e2e/reports")
    assert cfg.schedule.webhooks[0].url == "https://hooks/s3cret"
    assert cfg.schedule.webhooks[0].headers == {"Authorization": "Bearer s3cret"}
    job = cfg.schedule.jobs[0]
    assert job.args == ("-k", "ws") and job.env == {"IM_E2E_TRANSPORTS": "ws"} and job.interval == 3600
    assert cfg.load.sandbox_host == "im.example.com"


def test_an_unset_variable_is_an_error_naming_it_and_where_it_is(tmp_path):
    env = {k: v for k, v in ENV.items() if k != "FIELD"}
    with pytest.raises(ConfigError, match=r"storage.kafka.kind_field: environment variable FIELD is not set"):
        config.load(write(tmp_path, EVERY_SECTION).parent, environ=env)


@pytest.mark.parametrize("text, named", [
    ('[sutie]\ntransports = ["tcp"]\n', r"unknown section in im-e2e.toml: \[sutie\]"),
    ('[suite]\ntransport = ["tcp"]\n', r"unknown key in \[suite\]: transport"),
    ('[targets.staging]\nresturl = "x"\n', r"unknown key in \[targets.staging\]: resturl"),
    ('[target]\nname = "sandbox"\nhost = "x"\n', r"unknown key in \[target\]: host"),
    ('[app_config]\nbackend = "none"\nisolate = "x"\n', r"unknown key in \[app_config\]: isolate"),
    ('[storage.kafka]\nbrokers = "x"\n', r"unknown key in \[storage.kafka\]: brokers"),
    ('[health]\nmax_lags = 1\n', r"unknown key in \[health\]: max_lags"),
    ('[[diagnostics.commands]]\ncommand = "x"\nevery = "user"\n', r"unknown key in \[\[diagnostics.commands\]\] #1: every"),
    ('[scheduler]\ntimezon = "UTC"\n', r"unknown key in \[scheduler\]: timezon"),
    ('[[webhooks]]\nurl = "http://x"\nsecrets = "x"\n', r"unknown key in \[\[webhooks\]\] #1: secrets"),
    ('[[jobs]]\nname = "a"\ninterval = "1h"\nowners = "yifan"\n', r"unknown key in \[\[jobs\]\] #1: owners"),
    ('[load]\nhost = "x"\n', r"unknown key in \[load\]: host"),
])
def test_unknown_sections_and_keys_are_errors_that_name_them(tmp_path, text, named):
    with pytest.raises(ConfigError, match=named):
        config.load(write(tmp_path, text).parent, environ={})


def test_a_schedule_file_holds_only_the_schedule_sections(tmp_path):
    path = write(tmp_path, '[[jobs]]\nname = "a"\ninterval = "1h"\n\n[suite]\ntransports = ["tcp"]\n', "schedule.toml")
    with pytest.raises(ConfigError, match=r"unknown section in schedule file schedule.toml: \[suite\]"):
        config.load_schedule(path, environ={})
    with pytest.raises(ConfigError, match="no such schedule file"):
        config.load_schedule(tmp_path / "nope.toml", environ={})


def test_the_schedule_may_live_in_im_e2e_toml(tmp_path):
    """`im-e2e schedule` without --config runs the [[jobs]] of im-e2e.toml; paths are relative to it."""
    from im_e2e import scheduler

    (tmp_path / "conftest.py").write_text("")
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    write(tmp_path, '[scheduler]\nreports_dir = "out"\n\n[[jobs]]\nname = "nightly"\ncron = "30 2 * * *"\n')
    schedule = scheduler.from_project(tmp_path)
    assert [j.name for j in schedule.jobs] == ["nightly"] and schedule.reports == (tmp_path / "out").resolve()
    write(tmp_path, '[suite]\ntransports = ["tcp"]\n')
    with pytest.raises(ConfigError, match=r"no \[\[jobs\]\] configured"):
        scheduler.from_project(tmp_path)
