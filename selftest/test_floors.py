"""The floors hold at run time: the sandbox loads nothing of the client, the client nothing of the sandbox."""
import json
import subprocess
import sys

import pytest

pytestmark = [pytest.mark.selftest]


def loaded_after(statement: str) -> set[str]:
    """Top-level module names loaded by a fresh interpreter after `statement`."""
    code = f"import sys, json\n{statement}\nprint(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}})))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_sandbox_loads_no_client_module_nor_its_http_libraries():
    """Importing and building the sandbox app loads only the wire floor of what the client shares."""
    loaded = loaded_after("import im_sandbox.app, im_sandbox.runner, im_sandbox.__main__")
    assert "im_wire" in loaded
    assert not loaded & {"im_client", "requests", "websocket"}, sorted(loaded & {"im_client", "requests", "websocket"})


def test_client_loads_no_sandbox_module():
    """The client stands on the wire floor only."""
    loaded = loaded_after("import im_client")
    assert "im_wire" in loaded
    assert "im_sandbox" not in loaded
