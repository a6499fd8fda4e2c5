"""Which headroom runs count as clean: valid, nothing lost or refused, p99 within 1 s."""
import pytest

from im_e2e.load.headroom import headroom_summary, is_clean

CLEAN = {"valid": True, "lost": 0, "refused": 0, "p99_ms": 1000.0}


@pytest.mark.parametrize("change", [{"valid": False}, {"lost": 1}, {"refused": 3}, {"p99_ms": 1000.1},
                                    {"p99_ms": None}])
def test_a_run_with_any_blemish_is_not_clean(change):
    assert not is_clean({**CLEAN, **change})


def test_a_run_at_exactly_one_second_p99_is_clean():
    assert is_clean(CLEAN)


def test_the_highest_clean_rate_is_the_top_of_the_clean_runs():
    runs = [{**CLEAN, "planned_deliveries_per_s": 10000.0}, {**CLEAN, "planned_deliveries_per_s": 20000.0},
            {**CLEAN, "planned_deliveries_per_s": 30000.0, "p99_ms": 1800.0}]
    summary = headroom_summary(runs)
    assert summary["highest_clean_deliveries_per_s"] == 20000.0
    assert [r["clean"] for r in summary["headroom"]] == [True, True, False]
    assert summary["headroom_table"].count("\n") == 4  # header, rule, three rows
