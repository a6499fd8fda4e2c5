"""A stand-in for a cluster's config RPC, used as the `command` backend's template in self-tests.

    python admin_command.py get NAME      prints `{ok,<Erlang term>}` then `ok`, like `rp(...)` in a node shell
    python admin_command.py set NAME      value from $IM_E2E_VALUE (JSON)

It changes the target's settings through the sandbox's admin endpoint, found by the environment the
backend gives every command (IM_E2E_REST_URL, IM_E2E_APPKEY, IM_E2E_CLIENT_ID, IM_E2E_CLIENT_SECRET).
Each call is appended to $IM_E2E_PROOF_LOG when set.
"""
from __future__ import annotations

import json
import os
import sys
import time

import requests


def erlang_term(value) -> str:
    """How a node shell prints the values these settings take (kept free of the suite's imports: fast)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ",".join(erlang_term(v) for v in value) + "]"
    return '<<"' + str(value).replace('"', '\\"') + '">>'


def main(action: str, name: str) -> int:
    org, app = os.environ["IM_E2E_APPKEY"].split("#", 1)
    base = f"{os.environ['IM_E2E_REST_URL']}/{org}/{app}"
    token = requests.post(f"{base}/token", json={"grant_type": "client_credentials",
                                                 "client_id": os.environ["IM_E2E_CLIENT_ID"],
                                                 "client_secret": os.environ["IM_E2E_CLIENT_SECRET"]},
                          timeout=10).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    log = os.environ.get("IM_E2E_PROOF_LOG")
    if action == "get":
        value = requests.get(f"{base}/app_config", headers=headers, timeout=10).json()["data"][name]
        print("{ok," + erlang_term(value) + "}")
        print("ok")
    else:
        value = json.loads(os.environ["IM_E2E_VALUE"])
        resp = requests.put(f"{base}/app_config", json={name: value}, headers=headers, timeout=10)
        if resp.status_code != 200:
            print(resp.text, file=sys.stderr)
            return 1
    if log:
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"t": time.time(), "pid": os.getppid(), "action": action, "name": name,
                                 "value": value}) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
