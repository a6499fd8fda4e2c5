"""The fault-detection mechanism, once, fast: a recall refusal test catches `recall_of_others_allowed`.

The full matrix (every fault against its area's suite) is `pytest -m faults` or `im-e2e faults`
(docs/faults.md); it takes many minutes, so the default run proves the mechanism with one fault
and one test.
"""
import pytest

from im_e2e.faults import check_fault, run_suite
from im_sandbox.faults import FAULTS

pytestmark = pytest.mark.selftest

CATCHER = "tests/recall/test_recall_refusals.py::test_someone_elses_message_cannot_be_recalled"


def test_recall_refusal_test_catches_recall_of_others_allowed(pytestconfig):
    """The test passes on a sandbox without faults and fails, by name, with recall_of_others_allowed on."""
    root = pytestconfig.rootpath
    clean = run_suite(root, "recall", (), workers="0", paths=[CATCHER])
    assert clean.returncode == 0 and clean.passed == 2 and not clean.failed, clean.output_tail
    result = check_fault(FAULTS["recall_of_others_allowed"], root, workers="0", paths=[CATCHER])
    assert result.error is None, result.error
    assert result.caught_by == [f"{CATCHER}[tcp]", f"{CATCHER}[ws]"]
