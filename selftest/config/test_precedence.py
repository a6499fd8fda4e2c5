"""Where a setting comes from: environment over the file over the defaults; one rule for a missing file."""
from pathlib import Path

import pytest

from im_e2e import config
from im_e2e.config import Config, ConfigError

pytestmark = pytest.mark.selftest

STAGING = """
[target]
name = "staging"

[targets.staging]
rest_url = "https://im-api.staging.example.com"
ws_url = "wss://im-msync.staging.example.com/websocket"
tcp_host = "im-msync.staging.example.com"
tcp_port = 6717
appkey = "org#app"
client_id = "file-id"
client_secret = "file-secret"

[suite]
transports = ["ws"]
cleanup_users = false

[app_config]
backend = "none"

[storage]
events = "kafka://file:9092/topic"
"""


def project(tmp_path: Path, text: str | None = None) -> Path:
    if text is not None:
        (tmp_path / "im-e2e.toml").write_text(text)
    return tmp_path


def test_no_file_and_no_environment_give_the_defaults(tmp_path):
    """Without im-e2e.toml the run targets the sandbox on both transports, as on a fresh machine."""
    cfg = config.load(project(tmp_path), environ={})
    assert cfg == Config()
    assert cfg.uses_sandbox and cfg.suite.transports == ("tcp", "ws") and cfg.suite.cleanup_users
    assert cfg.app_config_backend == "sandbox" and cfg.storage.events is None and cfg.path is None


def test_the_file_sets_what_the_environment_leaves_alone(tmp_path):
    cfg = config.load(project(tmp_path, STAGING), environ={})
    assert cfg.path == tmp_path / "im-e2e.toml"
    assert cfg.target.name == "staging" and cfg.target.tcp_port == 6717 and cfg.target.client_id == "file-id"
    assert cfg.suite.transports == ("ws",) and cfg.suite.cleanup_users is False
    assert cfg.app_config_backend == "none" and cfg.storage.events == "kafka://file:9092/topic"


def test_environment_wins_over_the_file(tmp_path):
    env = {"IM_E2E_TCP_PORT": "7000", "IM_E2E_CLIENT_ID": "env-id", "IM_E2E_TRANSPORTS": "tcp,ws",
           "IM_E2E_CLEANUP_USERS": "true", "IM_E2E_APP_CONFIG_BACKEND": "command",
           "IM_E2E_EVENT_SOURCE": "redis://env:6379/0"}
    with pytest.raises(ConfigError, match="needs get and set"):  # the env's backend is checked like the file's
        config.load(project(tmp_path, STAGING), environ=env)
    text = STAGING.replace('backend = "none"', 'backend = "none"\nget = "g {setting}"\nset = "s {setting}"')
    cfg = config.load(project(tmp_path, text), environ=env)
    assert cfg.target.tcp_port == 7000 and cfg.target.client_id == "env-id"
    assert cfg.target.client_secret == "file-secret"              # not in the environment: the file's
    assert cfg.suite.transports == ("tcp", "ws") and cfg.suite.cleanup_users is True
    assert cfg.app_config_backend == "command" and cfg.storage.events == "redis://env:6379/0"


def test_the_target_is_picked_by_argument_then_environment_then_file(tmp_path):
    text = STAGING + '\n[targets.other]\nrest_url = "http://o"\nws_url = "ws://o"\ntcp_host = "o"\n' \
                     'tcp_port = 1\nappkey = "o#o"\n'
    root = project(tmp_path, text)
    assert config.load(root, environ={}).target.name == "staging"
    assert config.load(root, environ={"IM_E2E_TARGET": "other"}).target.name == "other"
    assert config.load(root, target="sandbox", environ={"IM_E2E_TARGET": "other"}).uses_sandbox


def test_environment_keys_apply_to_the_run_target_only(tmp_path):
    """IM_E2E_REST_URL … describe the run's target; another [targets.NAME] stays as written."""
    text = STAGING + '\n[targets.other]\nrest_url = "http://o"\nws_url = "ws://o"\ntcp_host = "o"\n' \
                     'tcp_port = 1\nappkey = "o#o"\n'
    cfg = config.load(project(tmp_path, text), environ={"IM_E2E_REST_URL": "http://env"})
    assert cfg.target.rest_url == "http://env"
    assert cfg.target_named("other").rest_url == "http://o"
    assert cfg.target_named("sandbox").is_sandbox
    with pytest.raises(ConfigError, match=r"no target 'nope': add \[targets.nope\]"):
        cfg.target_named("nope")


def test_a_remote_target_from_the_environment_alone(tmp_path):
    env = {"IM_E2E_TARGET": "ci", "IM_E2E_REST_URL": "http://127.0.0.1:1", "IM_E2E_WS_URL": "ws://127.0.0.1:1/ws",
           "IM_E2E_TCP_HOST": "127.0.0.1", "IM_E2E_TCP_PORT": "2", "IM_E2E_APPKEY": "a#b"}
    cfg = config.load(project(tmp_path), environ=env)
    assert cfg.target.info() == {"rest_url": "http://127.0.0.1:1", "ws_url": "ws://127.0.0.1:1/ws",
                                 "tcp_host": "127.0.0.1", "tcp_port": 2, "appkey": "a#b"}
    assert cfg.app_config_backend == "none"                        # the default away from the sandbox
    del env["IM_E2E_APPKEY"]
    with pytest.raises(ConfigError, match="target 'ci' is missing appkey .set IM_E2E_APPKEY"):
        config.load(project(tmp_path), environ=env)


def test_a_file_named_by_im_e2e_config_must_exist(tmp_path):
    missing = tmp_path / "elsewhere.toml"
    with pytest.raises(ConfigError, match=f"IM_E2E_CONFIG={missing}: no such file"):
        config.load(project(tmp_path, STAGING), environ={"IM_E2E_CONFIG": str(missing)})
    missing.write_text('[suite]\ntransports = ["tcp"]\n')       # … and, once it does, it replaces im-e2e.toml
    cfg = config.load(project(tmp_path, STAGING), environ={"IM_E2E_CONFIG": str(missing)})
    assert cfg.path == missing and cfg.uses_sandbox and cfg.suite.transports == ("tcp",)


def test_a_file_that_is_not_toml_is_an_error_naming_it(tmp_path):
    with pytest.raises(ConfigError, match="im-e2e.toml: not valid TOML"):
        config.load(project(tmp_path, "[suite\n"), environ={})


def test_values_of_the_wrong_type_are_errors_naming_the_key(tmp_path):
    with pytest.raises(ConfigError, match=r"\[targets.staging\] tcp_port: expected an integer"):
        config.load(project(tmp_path, STAGING.replace("6717", '"msync"')), environ={})
    with pytest.raises(ConfigError, match="IM_E2E_TCP_PORT: expected an integer"):
        config.load(project(tmp_path, STAGING), environ={"IM_E2E_TCP_PORT": "x"})
    with pytest.raises(ConfigError, match=r"unknown transport\(s\) \['udp'\]"):
        config.load(project(tmp_path), environ={"IM_E2E_TRANSPORTS": "tcp,udp"})
    with pytest.raises(ConfigError, match="unknown app-config backend 'magic'"):
        config.load(project(tmp_path), environ={"IM_E2E_APP_CONFIG_BACKEND": "magic"})
