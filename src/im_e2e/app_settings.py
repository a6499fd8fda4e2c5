"""How app settings are read and written on a target: the sandbox's admin REST, or configured commands.

Shared by the suite (fixtures/app_config) and the load engine (im_e2e.load.settings).

`command` is for real clusters, whose settings live in the cluster (the seed notes change them with
an RPC into a node: `rp(tool:rpc({application, set_env, [message_store, is_use_channel_sync, true]},
'msync@ebs'))`). im-e2e.toml (read by im_e2e.config, docs/configuration.md):

    [app_config]
    backend = "command"
    get   = "ops/msync-rpc.sh 'application:get_env({erl_app}, {erl_key})'"
    set   = "ops/msync-rpc.sh 'application:set_env({erl_app}, {erl_key}, {value_erl})'"
    unset = "ops/msync-rpc.sh 'application:unset_env({erl_app}, {erl_key})'"   # optional
    timeout = 30

    [app_config.settings]           # the suite's setting name -> the cluster's key
    is_use_channel_sync = "message_store.is_use_channel_sync"

Placeholders: {setting} (the suite's name), {key} (the mapped key), {erl_app} {erl_key} (the key
split at its first "."), {value} (JSON), {value_erl} (an Erlang term: true, 42, <<"text">>,
[<<"a">>]), {target} {appkey} {org} {app} {rest_url}. Values are inserted verbatim; the same values
are in the command's environment as IM_E2E_SETTING, IM_E2E_KEY, IM_E2E_VALUE, IM_E2E_VALUE_ERL
(safer for values with quotes or spaces), with IM_E2E_APPKEY, IM_E2E_REST_URL, IM_E2E_CLIENT_ID and
IM_E2E_CLIENT_SECRET. `get` prints the value: the first output line that reads as JSON or
as an Erlang term (`{ok,V}` is V, `undefined` means "not set"). A setting without a mapping
cannot be changed on that target: tests that need it are "not possible".
"""
from __future__ import annotations

import json
import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from im_client import RestClient, Target
from .config import AppConfigConfig

UNSET = "<unset>"  # what `get` reports for a setting the cluster has no value for


class BackendError(RuntimeError):
    """A configured command failed or printed something that is not a value."""


class SandboxBackend:
    """The sandbox's admin endpoint `GET|PUT /{org}/{app}/app_config`."""

    name = "sandbox"

    def __init__(self, admin: RestClient):
        self.admin = admin

    def unsupported(self, names: list[str]) -> list[str]:
        return []

    def read(self, names: list[str]) -> dict[str, Any]:
        current = self.admin.must_app_config()
        return {n: current[n] for n in names}

    def write(self, values: dict[str, Any]) -> None:
        self.admin.must_set_app_config(**{n: (None if v == UNSET else v) for n, v in values.items()})


@dataclass(frozen=True)
class CommandSettings:
    get: str
    set: str
    unset: str = ""
    timeout: float = 30.0
    keys: dict[str, str] = field(default_factory=dict)
    cwd: Path = Path(".")

    @classmethod
    def of(cls, section: AppConfigConfig, cwd: Path) -> "CommandSettings":
        """The command templates of [app_config] (im_e2e.config has checked that get and set are there)."""
        return cls(get=section.get, set=section.set, unset=section.unset, timeout=section.timeout,
                   keys=dict(section.settings), cwd=cwd)


class CommandBackend:
    """Settings changed by configured command templates (see the module doc)."""

    name = "command"

    def __init__(self, settings: CommandSettings, target: Target, target_name: str):
        self.settings = settings
        self.target = target
        self.target_name = target_name

    def unsupported(self, names: list[str]) -> list[str]:
        return [n for n in names if n not in self.settings.keys]

    def read(self, names: list[str]) -> dict[str, Any]:
        return {n: parse_value(self._run(self.settings.get, n, None)) for n in names}

    def write(self, values: dict[str, Any]) -> None:
        for name, value in values.items():
            if value == UNSET and self.settings.unset:
                self._run(self.settings.unset, name, None)
            else:
                if value == UNSET:
                    from im_wire.settings import SETTINGS
                    value = SETTINGS[name].default  # no unset command: the documented default
                self._run(self.settings.set, name, value)

    def _run(self, template: str, name: str, value: Any) -> str:
        key = self.settings.keys[name]
        erl_app, _, erl_key = key.partition(".")
        values = {"setting": name, "key": key, "erl_app": erl_app, "erl_key": erl_key or erl_app,
                  "value": json.dumps(value), "value_erl": erlang_term(value), "target": self.target_name,
                  "appkey": self.target.appkey, "org": self.target.org, "app": self.target.app,
                  "rest_url": self.target.rest_url}
        command = re.sub(r"\{([a-z_]+)\}", lambda m: str(values.get(m.group(1), m.group(0))), template)
        env = {**os.environ, "IM_E2E_SETTING": name, "IM_E2E_KEY": key, "IM_E2E_VALUE": values["value"],
               "IM_E2E_VALUE_ERL": values["value_erl"], "IM_E2E_APPKEY": self.target.appkey,
               "IM_E2E_REST_URL": self.target.rest_url, "IM_E2E_CLIENT_ID": self.target.client_id,
               "IM_E2E_CLIENT_SECRET": self.target.client_secret}
        try:
            done = subprocess.run(command, shell=True, capture_output=True, text=True, env=env,
                                  cwd=self.settings.cwd, timeout=self.settings.timeout)
        except subprocess.TimeoutExpired:
            raise BackendError(f"app_config command timed out after {self.settings.timeout:g}s: {command}") from None
        if done.returncode != 0:
            raise BackendError(f"app_config command exited {done.returncode}: {command}\n"
                               f"stdout: {done.stdout.strip()[:2000]}\nstderr: {done.stderr.strip()[:2000]}")
        return done.stdout


# ------------------------------------------------------------------------------- values
def erlang_term(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if value is None:
        return "undefined"
    if isinstance(value, str):
        return '<<"' + value.replace("\\", "\\\\").replace('"', '\\"') + '">>'
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(erlang_term(v) for v in value) + "]"
    raise TypeError(f"no Erlang form for {value!r}")


_TOKEN = re.compile(r'\s*(<<"(?:[^"\\]|\\.)*">>|"(?:[^"\\]|\\.)*"|-?\d+\.\d+|-?\d+|[a-z][A-Za-z0-9_@]*|[\[\]{},])')


def parse_erlang(text: str) -> Any:
    """The small subset of Erlang terms settings use: atoms, numbers, binaries, strings, lists, tuples."""
    tokens = _TOKEN.findall(text)
    if "".join(tokens).replace(" ", "") != re.sub(r"\s+", "", text):
        raise ValueError(f"not an Erlang term: {text!r}")
    pos = 0

    def term() -> Any:
        nonlocal pos
        tok = tokens[pos]
        pos += 1
        if tok in ("[", "{"):
            close = "]" if tok == "[" else "}"
            items = []
            while tokens[pos] != close:
                items.append(term())
                if tokens[pos] == ",":
                    pos += 1
            pos += 1
            return items if tok == "[" else tuple(items)
        if tok.startswith('<<"'):
            return json.loads(tok[2:-2])
        if tok.startswith('"'):
            return json.loads(tok)
        if re.fullmatch(r"-?\d+", tok):
            return int(tok)
        if re.fullmatch(r"-?\d+\.\d+", tok):
            return float(tok)
        return {"true": True, "false": False, "undefined": UNSET}.get(tok, tok)

    value = term()
    if pos != len(tokens):
        raise ValueError(f"trailing input after an Erlang term: {text!r}")
    return value


def parse_value(output: str) -> Any:
    """The value a `get` command printed: its first line that is JSON or an Erlang term."""
    for line in output.splitlines():
        line = line.strip().rstrip(".")
        if not line:
            continue
        try:
            value = json.loads(line)
        except ValueError:
            try:
                value = parse_erlang(line)
            except (ValueError, IndexError):
                continue
        if isinstance(value, tuple) and len(value) == 2 and value[0] == "ok":
            value = value[1]
        return value
    raise BackendError(f"app_config get printed no value: {output.strip()[:500]!r}")

