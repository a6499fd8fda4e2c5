"""`im-e2e mutation`: the parts that need no suite run (sampling, annotations, equivalents, areas)."""
from pathlib import Path

import pytest

from im_e2e import mutation

pytestmark = [pytest.mark.selftest]
ROOT = Path(__file__).resolve().parents[2]


def test_every_listed_module_exists_and_every_area_is_an_owned_area():
    from im_e2e.owners import owner_areas

    areas = mutation.load_areas(ROOT)
    owned = {area for names in owner_areas().values() for area in names}
    assert set(areas) <= owned
    for modules in areas.values():
        assert all((ROOT / "src" / m).is_file() for m in modules)


def test_a_sample_is_fixed_by_its_seed():
    mutants = mutation.enumerate_mutants(ROOT / "src", ["im_sandbox/domain/recall.py"])
    first, again = mutation.sample(mutants, 5, seed=3), mutation.sample(mutants, 5, seed=3)
    assert first == again and len(first) == 5
    assert mutation.sample(mutants, 5, seed=4) != first
    assert mutation.sample(mutants, 0, seed=3) == mutants


def test_no_mutant_is_made_in_a_type_annotation(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("from __future__ import annotations\n"
                      "def f(a: int | None = None) -> str | None:\n"
                      "    return a | 1\n")
    mutants = mutation.enumerate_mutants(tmp_path, ["m.py"])
    assert mutants and {m.line for m in mutants} == {3}


def test_every_mutant_of_a_module_applies(tmp_path):
    (tmp_path / "m.py").write_text("def f(a, b):\n    return a < b and a + 1\n")
    for mutant in mutation.enumerate_mutants(tmp_path, ["m.py"]):
        assert mutation.mutated_source(tmp_path, mutant) not in (None, (tmp_path / "m.py").read_text())


def test_an_equivalent_entry_matches_only_while_its_line_is_unchanged():
    mutant = mutation.Mutant("im_sandbox/x.py", "core/AddNot", 0, 7, 4, "    if ready:")
    entry = {"module": "im_sandbox/x.py", "operator": "core/AddNot", "line": 7, "reason": "dead branch"}
    assert mutation.equivalent_reason(mutant, [entry]) == "dead branch"
    assert mutation.equivalent_reason(mutant, [{**entry, "source": "if ready:"}]) == "dead branch"
    assert mutation.equivalent_reason(mutant, [{**entry, "source": "if other:"}]) is None
    assert mutation.equivalent_reason(mutant, [{**entry, "line": 8}]) is None


def test_the_equivalent_file_parses_and_every_entry_has_a_reason():
    for entry in mutation.load_equivalents(ROOT):
        assert {"module", "operator", "line", "reason"} <= entry.keys()


def test_the_score_counts_timeouts_as_kills_and_leaves_out_equivalents():
    m = mutation.Mutant("a.py", "op", 0, 1, 0, "")
    results = [mutation.MutantResult(m, o) for o in ("killed", "timeout", "survived", "equivalent", "incompetent")]
    report = mutation.AreaReport("recall", 1, 10, results)
    assert report.score == (2, 3)
    assert "score: 2/3 killed" in mutation.format_report(report)


def test_an_area_is_judged_by_its_own_marker_unless_an_oracle_is_named():
    oracles = mutation.load_oracles(ROOT)
    assert set(oracles) == set(mutation.load_areas(ROOT))
    assert oracles["recall"] == "recall"
    assert oracles["ext"] == "ext or passthrough"
    command = mutation.area_command(oracles["ext"], Path("j.xml"), "2")
    assert command[len(command) - command[::-1].index("-m")].startswith("(ext or passthrough) and not ")


def test_removing_a_seam_is_equivalent_without_an_entry():
    seam = mutation.Mutant("im_sandbox/x.py", "core/RemoveDecorator", 0, 3, 0, '@seam("chat.deliver")')
    other = mutation.Mutant("im_sandbox/x.py", "core/RemoveDecorator", 1, 9, 0, "@property")
    assert mutation.equivalent_reason(seam, []) == mutation.SEAM_REMOVED
    assert mutation.equivalent_reason(other, []) is None


def test_a_mutated_module_never_runs_from_stale_bytecode(tmp_path):
    ws = mutation.Workspace.__new__(mutation.Workspace)
    ws.src = tmp_path
    cache = tmp_path / "pkg" / "__pycache__"
    cache.mkdir(parents=True)
    for name in ("mod.cpython-311.pyc", "mod.cpython-311.opt-1.pyc", "module.cpython-311.pyc"):
        (cache / name).write_bytes(b"")
    ws.forget_bytecode("pkg/mod.py")
    assert sorted(p.name for p in cache.iterdir()) == ["module.cpython-311.pyc"]
    assert "PYTHONDONTWRITEBYTECODE" in ws.env() and "PYTHONDONTWRITEBYTECODE" not in ws.env(write_bytecode=True)


def test_a_position_belongs_to_its_innermost_statement():
    import ast

    from im_e2e.mutation_lines import _innermost_statement

    tree = ast.parse("def f(a):\n"
                     "    if a and (a >\n"
                     "              1):\n"
                     "        return a\n"
                     "    try:\n"
                     "        g()\n"
                     "    except ValueError:\n"
                     "        pass\n")
    assert _innermost_statement(tree, 3, 14).lineno == 2  # a continuation line: the `if`
    assert isinstance(_innermost_statement(tree, 4, 8), ast.Return)
    assert isinstance(_innermost_statement(tree, 7, 11), ast.ExceptHandler)
    assert _innermost_statement(tree, 9, 0) is None


def test_a_baseline_without_coverage_data_is_refused_not_read_as_all_survivors(tmp_path):
    from im_e2e.mutation_lines import ExecutedLines, NothingRecorded

    (tmp_path / "m.py").write_text("x = 1\n")
    data = tmp_path / "coverage"
    data.mkdir()
    with pytest.raises(NothingRecorded):
        ExecutedLines(data, tmp_path, ["m.py"])
