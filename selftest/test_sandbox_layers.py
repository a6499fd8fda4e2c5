"""The sandbox's layers hold in its source: store at the bottom, the domain above it, the transports
and REST routes on top (src/im_sandbox/README.md), every import pointing down, and no circle.

Imports are read with `ast`, those under `if TYPE_CHECKING:` included: a type-only import upward
is still a dependency upward.
"""
import ast
from pathlib import Path

import pytest

import im_sandbox

pytestmark = pytest.mark.selftest

SANDBOX_SRC = Path(im_sandbox.__file__).parent
PACKAGE = "im_sandbox"

# module (or package prefix), relative to im_sandbox -> its layer; the longest prefix wins
LAYER_OF = {
    "config": "base", "ids": "base", "events": "base", "logsetup": "base", "reasons": "base",
    "faults": "base", "fault_behaviours": "fault behaviours", "load_fault_behaviours": "fault behaviours",
    "store": "store",
    "domain": "domain",
    "msync": "transport",
    "rest": "rest",
    "": "composition", "app": "composition", "runner": "composition", "metrics": "composition", "__main__": "composition",
}
# layer -> the layers its modules may import
MAY_IMPORT = {
    "base": {"base"},
    "store": {"base", "store"},
    "domain": {"base", "store", "domain"},
    "fault behaviours": {"base", "store", "domain", "fault behaviours"},
    "transport": {"base", "store", "domain", "transport"},
    "rest": {"base", "store", "domain", "transport", "rest"},
    "composition": set(LAYER_OF.values()),
}


def modules() -> dict[str, Path]:
    """Dotted module names (relative to im_sandbox; "" is the package) -> their files."""
    found = {}
    for path in SANDBOX_SRC.rglob("*.py"):
        parts = list(path.relative_to(SANDBOX_SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def imports_of(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The sandbox modules `name` imports (a `from pkg import mod` names the module itself)."""
    is_package = path.name == "__init__.py"
    here = name.split(".") if name else []
    package = here if is_package else here[:-1]
    targets = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            elif node.module == PACKAGE or (node.module or "").startswith(PACKAGE + "."):
                module = node.module[len(PACKAGE) + 1:]
            else:
                continue
            for alias in node.names:
                sub = f"{module}.{alias.name}" if module else alias.name
                targets.add(sub if sub in known else module)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith(PACKAGE + "."):
                    targets.add(alias.name[len(PACKAGE) + 1:])
    return {t for t in targets if t in known and t != name}


def layer(name: str) -> str:
    best = max((prefix for prefix in LAYER_OF if name == prefix or name.startswith(prefix + ".") or prefix == ""),
               key=len)
    return LAYER_OF[best]


def import_graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports_of(name, path, known) for name, path in known.items()}


def test_every_import_points_down_the_layers():
    """No store module imports the domain, a transport or REST; no domain module imports msync,
    the handlers' context or REST; nothing below the composition root imports it."""
    upward = sorted(f"{name or PACKAGE} ({layer(name)}) imports {target} ({layer(target)})"
                    for name, targets in import_graph().items() for target in targets
                    if layer(target) not in MAY_IMPORT[layer(name)])
    assert not upward, "\n".join(upward)


def test_no_import_circle_inside_the_sandbox():
    """The modules' imports form no circle (Tarjan's strongly connected components)."""
    graph = import_graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    assert not circles, "\n".join(" <-> ".join(c) for c in circles)


def test_the_layer_map_names_real_modules():
    """Every entry of the map exists, so a renamed package cannot silently fall out of the check."""
    known = modules()
    assert all(prefix == "" or prefix in known for prefix in LAYER_OF), sorted(set(LAYER_OF) - set(known) - {""})


def test_the_check_sees_an_upward_import(tmp_path):
    """The reader resolves relative imports, so an upward one would be caught."""
    fake = tmp_path / "send_policy.py"
    fake.write_text("from __future__ import annotations\nfrom typing import TYPE_CHECKING\n"
                    "if TYPE_CHECKING:\n    from ..msync.connection import Connection\nfrom . import results\n")
    known = {"domain.send_policy": fake, "msync.connection": fake, "domain.results": fake}
    found = imports_of("domain.send_policy", fake, known)
    assert found == {"msync.connection", "domain.results"}
    assert layer("msync.connection") not in MAY_IMPORT[layer("domain.send_policy")]
