"""The notes' CPU rows (seed notes "群组压测" and "大群") are cells of scenarios.toml with the notes'
own server CPU before → after, and the report puts those figures beside the measured ones."""
import pytest

from im_e2e.load.report import ROWS, reference_figures
from im_e2e.load.scenarios import cells_for

pytestmark = pytest.mark.selftest

# (members, deliveries/s, share online: "不在线" 0, 1000 of 2000 or 500 of 1000 0.5, 1000 of 1000 1)
# -> server CPU % before, after, as the notes record them
NOTES = {
    (2000, 2000, 0.0): (43, 62), (2000, 4000, 0.0): (43, 99.7), (2000, 2000, 0.5): (77, 99.7),
    (1000, 1000, 1.0): (80, 82), (1000, 2000, 1.0): (93.5, 99.7), (1000, 0, 0.0): (15, 15.6),
    (1000, 2000, 0.5): (68, 99.7),
}


def test_every_row_of_the_notes_is_a_cell_with_its_reference_cpu():
    cells = cells_for("notes")
    got = {(c.group_size, int(c.deliveries_per_s), c.online): c.reference_cpu for c in cells}
    assert got == {k: tuple(map(float, v)) for k, v in NOTES.items()}


def test_scaling_keeps_the_reference_figures():
    assert all(c.reference_cpu for c in cells_for("notes", 0.05))


def test_reports_show_the_notes_cpu_beside_the_measured_one():
    labels = [label for label, _ in ROWS]
    sending = labels.index("server CPU while sending, mean % (all nodes)")
    assert labels[sending + 2:sending + 4] == ["notes: server CPU before %", "notes: server CPU after %"]
    assert reference_figures({"cell": {"reference_cpu": [43.0, 62.0]}}) == {"reference_cpu_before": 43.0,
                                                                            "reference_cpu_after": 62.0}
    assert reference_figures({"cell": {"reference_cpu": []}}) == {"reference_cpu_before": None,
                                                                  "reference_cpu_after": None}
