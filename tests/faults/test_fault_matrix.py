"""Every named sandbox fault is caught by its area's suite (docs/faults.md).

Slow (one area run per fault, plus one baseline run per area), so deselected unless asked for:
`pytest -m faults -p no:cacheprovider` (one fault: add `-k <name>`), or `im-e2e faults`.
"""
import pytest

from im_e2e.faults import Baselines, check_fault
from im_sandbox.faults import FAULTS

pytestmark = pytest.mark.faults


@pytest.fixture(scope="module")
def baselines(pytestconfig) -> Baselines:
    return Baselines(pytestconfig.rootpath, workers="2")


@pytest.mark.parametrize("name", sorted(n for n, f in FAULTS.items() if not f.load))  # load: tests/load
def test_fault_is_caught_by_its_area_suite(name, baselines, pytestconfig, record_property):
    """Switching the fault on makes tests of its area fail that pass without it."""
    fault = FAULTS[name]
    result = check_fault(fault, pytestconfig.rootpath, workers="2", baselines=baselines)
    record_property("caught_by", ",".join(result.caught_by))
    assert result.error is None, result.error
    assert result.caught_by, (f"fault {name} ({fault.area}: {fault.description}) survived: "
                              f"{result.passed} tests passed, none failed")
