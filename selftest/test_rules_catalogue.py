"""The rule catalogue: rules.toml is well-formed, chosen.md is rendered from it, markers name real ids."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from im_e2e import rules as rules_mod
from im_e2e import rules_doc

pytestmark = pytest.mark.selftest

ROOT = Path(__file__).resolve().parents[1]
CHOSEN_MD = ROOT / "docs" / "protocol" / "chosen.md"


def test_the_catalogue_loads_with_unique_ids_and_known_sources():
    rules = rules_mod.load()
    assert len(rules) >= 100
    assert {r.source for r in rules.values()} == set(rules_mod.SOURCES)
    assert all(r.statement and r.evidence and r.where for r in rules.values())


def test_every_file_a_rule_points_at_exists():
    """A rule's `where` is how a reader finds the code behind the choice: a moved module must take it along."""
    named = {(rid, path) for rid, rule in rules_mod.load().items()
             for path in re.findall(r"(?:src|tests|fixtures)/[\w/.-]+\.(?:py|toml|md|js)", rule.where)}
    assert len(named) >= 100
    assert sorted((rid, path) for rid, path in named if not (ROOT / path).exists()) == []


def test_chosen_md_lists_exactly_the_chosen_rules_in_order_with_their_statements():
    rules = rules_mod.load()
    text = CHOSEN_MD.read_text(encoding="utf-8")
    listed = re.findall(r"^### `([a-z0-9-]+)`$", text, flags=re.M)
    assert listed == rules_mod.chosen_ids(rules), "chosen.md and rules.toml disagree on the chosen rules"
    choices = re.findall(r"^### `([a-z0-9-]+)`\n\n\*\*Choice\.\*\* (.+)$", text, flags=re.M)
    differing = [rid for rid, statement in choices if statement != rules[rid].statement]
    assert not differing, f"statements differ between chosen.md and rules.toml: {differing}"
    assert f"{len(listed)} rules, grouped by area" in text


def test_chosen_md_is_rendered_from_rules_toml_and_up_to_date():
    assert CHOSEN_MD.read_text(encoding="utf-8") == rules_doc.render(), \
        "docs/protocol/chosen.md is stale: regenerate it with python -m im_e2e.rules_doc"


@pytest.mark.parametrize("toml, problem", [
    ('[[rule]]\nid = "a"\nstatement = "s"\nsource = "guess"\nevidence = "e"\nwhere = "w"\n', "source 'guess'"),
    ('[[rule]]\nid = "a"\nstatement = "s"\nsource = "chosen"\nwhere = "w"\n', "missing or empty evidence"),
    ('[[rule]]\nid = "a"\nstatement = "s"\nsource = "chosen"\nevidence = "e"\nwhere = "w"\n' * 2, "duplicate id"),
    ('[[rule]]\nid = "A_b"\nstatement = "s"\nsource = "chosen"\nevidence = "e"\nwhere = "w"\n', "kebab-case"),
    ('[[rule]]\nid = "a"\nstatement = "s"\nsource = "sdk"\nevidence = "e"\nwhere = "w"\nwho = "x"\n', "unknown keys"),
])
def test_a_malformed_catalogue_is_refused_with_the_problem_named(tmp_path, toml, problem):
    path = tmp_path / "rules.toml"
    path.write_text(toml)
    with pytest.raises(rules_mod.CatalogueError, match=re.escape(problem)):
        rules_mod.load(path)


def _rule_marks(path: Path) -> list[tuple[str, str]]:
    """(test name, rule id) for every @pytest.mark.rule(...) decorator of a test module."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef):
            for dec in node.decorator_list:
                if (isinstance(dec, ast.Call) and isinstance(dec.func, ast.Attribute) and dec.func.attr == "rule"):
                    found += [(node.name, a.value) for a in dec.args if isinstance(a, ast.Constant)]
    return found


def test_every_rule_marker_in_the_suite_names_a_catalogued_rule():
    rules = rules_mod.load()
    marks = [(p, name, rid) for p in sorted((ROOT / "tests").rglob("test_*.py")) for name, rid in _rule_marks(p)]
    assert marks, "no test names a rule"
    unknown = [f"{p.relative_to(ROOT)}::{name}: {rid}" for p, name, rid in marks if rid not in rules]
    assert not unknown, unknown
