"""docs/protocol/chosen.md, rendered from rules.toml: `python -m im_e2e.rules_doc [--check]`.

The areas are the `# -- <area> ---` comment lines of rules.toml's chosen part; every rule with
`source = "chosen"` is listed under the area comment above it, in file order.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from . import rules as rules_mod

AREA_LINE = re.compile(r"^# -- (.+?) -+\s*$")
ID_LINE = re.compile(r'^id = "([^"]+)"\s*$')
SECTION = re.compile(r"^((?:msync|rest|flows)\.md) (.+)$")

HEAD = """# Rules the sandbox chose

Where the real service's behaviour is not documented, not observable from the official SDK, or
documented inconsistently, the sandbox had to pick one. Each pick below is **a choice, not a fact
about the real service**: a test that rests on one of them checks the sandbox's contract and may
legitimately see something else on a real cluster. Each has a stable id (tests and the protocol
documents refer to it), a one-sentence statement, why it had to be chosen, and where it lives.

The same catalogue, with the documented and SDK-backed rules as well, is data in
[rules.toml](rules.toml) (`source = "chosen"` for every rule on this page, and only for those).
Ids are stable: a rule that stops applying is removed, never renamed or reused.

{count} rules, grouped by area. Section references point at the protocol text that discusses each.
"""


def areas(text: str) -> dict[str, str]:
    """rule id -> the area comment above it."""
    found: dict[str, str] = {}
    area = ""
    for line in text.splitlines():
        m = AREA_LINE.match(line)
        if m:
            area = m.group(1).strip()
            continue
        m = ID_LINE.match(line)
        if m and area:
            found[m.group(1)] = area
    return found


def _section(section: str) -> str:
    m = SECTION.match(section)
    return f" ([{m.group(1)}]({m.group(1)}) {m.group(2)})" if m else (f" ({section})" if section else "")


def render(path: Path | None = None) -> str:
    path = path or rules_mod.default_path()
    catalogue = rules_mod.load(path)
    area_of = areas(path.read_text(encoding="utf-8"))
    chosen = [r for r in catalogue.values() if r.chosen]
    missing = [r.id for r in chosen if r.id not in area_of]
    if missing:
        raise rules_mod.CatalogueError(f"{path}: chosen rules without an area comment above them: {missing}")
    out = [HEAD.format(count=len(chosen))]
    area = None
    for rule in chosen:
        if area_of[rule.id] != area:
            area = area_of[rule.id]
            out.append(f"## {area[0].upper()}{area[1:]}\n")
        out.append(f"### `{rule.id}`\n")
        out.append(f"**Choice.** {rule.statement}\n")
        out.append(f"*Why chosen:* {rule.evidence}{_section(rule.section)}\n")
        out.append(f"*Where:* {rule.where}\n")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m im_e2e.rules_doc", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if chosen.md is not up to date")
    parser.add_argument("--output", type=Path, default=None, help="default: chosen.md next to rules.toml")
    args = parser.parse_args(argv)
    target = args.output or rules_mod.default_path().with_name("chosen.md")
    text = render()
    if args.check:
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            print(f"{target} is not up to date: python -m im_e2e.rules_doc", file=sys.stderr)
            return 1
        return 0
    target.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
