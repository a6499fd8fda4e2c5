"""How much to fuzz: IM_E2E_FUZZ_EXAMPLES msync frames per transport, IM_E2E_FUZZ_REST_EXAMPLES REST requests.

The defaults keep the CI run short; the full run is 10000 of each
(docs/bad-input-and-security.md)."""
import os

FUZZ_EXAMPLES = int(os.environ.get("IM_E2E_FUZZ_EXAMPLES", "200"))
# REST requests per schemathesis run (each one slower than a frame); the full run: 10000
REST_EXAMPLES = int(os.environ.get("IM_E2E_FUZZ_REST_EXAMPLES", "100"))
