"""`python -m im_e2e.interop install`: install the Web SDK driver's npm packages now (else: on first use);
`methods`: how many SDK methods the interop tests drive, and which test drives each."""
from __future__ import annotations

import argparse
import sys

from .install import ensure_driver
from .sdk_process import DRIVER_DIR, driver_problem, pinned_packages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m im_e2e.interop", description=__doc__)
    parser.add_argument("command", choices=["install", "check", "methods"],
                        help="install: npm install the driver's pinned packages if missing; check: only say; "
                             "methods: count the SDK methods the interop tests drive")
    args = parser.parse_args(argv)
    if args.command == "methods":
        from .sdk_methods import report
        print(report())
        return 0
    if args.command == "check":
        problem = driver_problem()
    else:
        problem = ensure_driver()
    if problem:
        print(f"Web SDK driver: not usable: {problem}", file=sys.stderr)
        return 1
    pins = ", ".join(f"{name} {version}" for name, version in pinned_packages().items())
    print(f"Web SDK driver ready in {DRIVER_DIR} ({pins})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
