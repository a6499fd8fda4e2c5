"""schemathesis against the sandbox's own OpenAPI description (/openapi.json): generated valid and
invalid requests to every operation, with no token, a garbage token, a user token and the app
token. Expected: never a 5xx, every error a JSON object in the Easemob shape (`error`,
`error_description`), and the server keeps serving."""
from __future__ import annotations

import json

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from selftest.fuzz.fuzz_settings import REST_EXAMPLES
from selftest.sandbox.sandbox_rest import Rest
from selftest.sandbox.sandbox_wire import start_sandbox

schemathesis = pytest.importorskip("schemathesis")

pytestmark = pytest.mark.selftest

# /_sandbox/faults switches deliberate bugs on: not something to fuzz
SKIPPED_PREFIX = "/{org}/{app}/_sandbox/"


@pytest.fixture(scope="module")
def rest_sandbox(tmp_path_factory):
    handle = start_sandbox(tmp_path_factory.mktemp("rest-fuzz"), log_level="INFO")
    yield handle.info
    handle.stop()


def _check(response, case) -> None:
    where = f"{case.method} {case.formatted_path} -> {response.status_code}"
    assert response.status_code < 500, f"{where}: {response.text[:500]}"
    if response.status_code < 400:
        return
    try:
        body = json.loads(response.content)
    except ValueError:
        raise AssertionError(f"{where}: error body is not JSON: {response.content[:200]!r}") from None
    assert isinstance(body, dict), f"{where}: {body!r}"
    assert isinstance(body.get("error"), str) and isinstance(body.get("error_description"), str), f"{where}: {body}"


def test_generated_requests_get_easemob_errors_and_no_5xx(rest_sandbox):
    info = rest_sandbox
    api = Rest(info)
    user = api.create_user()
    tokens = {"app": api.app_token, "user": api.user_token(user), "garbage": "YWMt-garbage", "none": None}
    schema = schemathesis.openapi.from_url(info["rest_url"] + "/openapi.json")
    operations = [r.ok() for r in schema.get_all_operations()]
    operations = [op for op in operations if not op.path.startswith(SKIPPED_PREFIX.replace("/{org}/{app}", ""))
                  and not op.full_path.startswith(SKIPPED_PREFIX)]
    assert len(operations) > 100, "the description lost most of the API"
    modes = [schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE]
    cases = st.sampled_from(operations).flatmap(
        lambda op: st.sampled_from(modes).flatmap(lambda mode: op.as_strategy(generation_mode=mode)))
    session = requests.Session()
    seen = {"requests": 0}

    @settings(max_examples=REST_EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(case=cases, token=st.sampled_from(sorted(tokens)))
    def run(case, token):
        headers = {"Authorization": f"Bearer {tokens[token]}"} if tokens[token] else {}
        response = case.call(base_url=info["rest_url"], session=session, headers=headers, timeout=10)
        seen["requests"] += 1
        _check(response, case)

    run()
    assert seen["requests"] >= REST_EXAMPLES
    # still serving
    assert requests.get(info["rest_url"] + "/_sandbox/health", timeout=5).json() == {"status": "ok"}
    assert api.create_user()
