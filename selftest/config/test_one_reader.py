"""The configuration has one reader, and nothing reaches around the floors to get at it."""
import ast
from pathlib import Path

import pytest

pytestmark = pytest.mark.selftest

ROOT = Path(__file__).resolve().parents[2]
# TOML data files that are not configuration: the owner map, the load scenarios, the rule catalogue
# and the mutation maps (docs/mutation/*.toml)
DATA_READERS = {"src/im_e2e/owners.py", "src/im_e2e/load/scenarios.py", "src/im_e2e/rules.py",
                "src/im_e2e/mutation.py"}


def modules(*trees: str) -> list[Path]:
    found = [ROOT / "conftest.py"] if "conftest.py" in trees else []
    for tree in trees:
        if tree != "conftest.py":
            found += sorted((ROOT / tree).rglob("*.py"))
    return found


def imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_nothing_in_src_imports_the_fixtures():
    upward = [str(p.relative_to(ROOT)) for p in modules("src")
              if any(n == "fixtures" or n.startswith("fixtures.") for n in imported(p))]
    assert upward == []


def test_no_module_edits_sys_path():
    editing = [str(p.relative_to(ROOT)) for p in modules("src", "fixtures", "conftest.py")
               if "sys.path" in p.read_text(encoding="utf-8")]
    assert editing == []


def test_only_im_e2e_config_reads_toml_configuration():
    """(The sandbox is a program of its own, configured by its command line; it is not scanned.)"""
    readers = {str(p.relative_to(ROOT)) for p in modules("src/im_e2e", "src/im_client", "fixtures", "conftest.py")
               if "tomllib" in imported(p) and not p.is_relative_to(ROOT / "src" / "im_e2e" / "config")}
    assert readers <= DATA_READERS, sorted(readers - DATA_READERS)
