"""The `im-e2e` command.

    im-e2e run [--owner NAME] [-m EXPR] [--target NAME] [-n N] [-- extra pytest args]
    im-e2e schedule [--config ci/schedule.toml] [--once] [--job NAME]
    im-e2e report [RUN_ID | --all]
    im-e2e health [--target NAME]
    im-e2e issue [RUN_ID] --forge github|gitlab
    im-e2e bench [bench options]
    im-e2e faults [--fault NAME] [--json] [-n N] [--maxfail N] [--focused] [--no-baseline] [--list]
    im-e2e mutation --area AREA [--sample N] [--seed S] [--timeout S] [--json] [--list]
    im-e2e rules [--target NAME] [--rule ID] [-n N] [--strict-rules] [-- extra pytest args]

See docs/runs-and-reports.md.
"""
from __future__ import annotations

import argparse
import logging
import subprocess
import sys
from pathlib import Path

from .owners import owner_areas


def _run(args: argparse.Namespace, extra: list[str]) -> int:
    from .runner import RunRequest, run

    return run(RunRequest(
        owners=args.owner, marker=args.marker, target=args.target, workers=args.workers, extra=extra,
        run_id=args.run_id, label=args.label, reports_dir=args.reports_dir, health_check=not args.skip_health_check,
        progress=None if args.progress < 0 else args.progress, allure_html=not args.no_allure, project=args.project))


def _schedule(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from . import scheduler
    from .config import ConfigError

    try:
        config = scheduler.load(args.config) if args.config else scheduler.from_project(args.project)
    except (ConfigError, FileNotFoundError) as exc:
        print(f"im-e2e schedule: {exc}", file=sys.stderr)
        return 4
    if args.project:
        config = replace(config, project=args.project)
    if args.reports_dir:
        config = replace(config, reports_dir=args.reports_dir)
    unknown = set(args.job) - {j.name for j in config.jobs}
    if unknown:
        print(f"im-e2e schedule: unknown job(s) {sorted(unknown)}", file=sys.stderr)
        return 4
    if args.once:
        return scheduler.run_once(config, args.job)
    return scheduler.serve(config, args.job)


def _report(args: argparse.Namespace) -> int:
    from . import project
    from .reports import HISTORY_FILE, allure, publish, run_dirs
    from .reports.html import ReportUnavailable

    try:
        root: Path | None = project.find_root(args.project)
    except FileNotFoundError:
        if args.reports_dir is None:
            raise
        root = None  # a copied reports dir, away from any checkout
    reports_dir = (args.reports_dir or root / "reports").resolve()
    found = run_dirs(reports_dir) if reports_dir.is_dir() else []
    if args.all:
        chosen = found
    elif args.run_id:
        chosen = [reports_dir / args.run_id]
        if not (chosen[0] / "results.json").is_file():
            print(f"im-e2e report: no {chosen[0] / 'results.json'}", file=sys.stderr)
            return 4
    else:
        chosen = found[-1:]
    if not chosen:
        print(f"im-e2e report: no runs with results.json under {reports_dir}", file=sys.stderr)
        return 4
    for run_dir in chosen:
        try:
            path = publish(run_dir, reports_dir / HISTORY_FILE)
        except ReportUnavailable as exc:
            print(f"im-e2e report: {exc}", file=sys.stderr)
            return 4
        print(path)
        if not args.no_allure:
            out = allure.generate(run_dir, root)
            if out is not None:
                print(out / "index.html")
    return 0


def _issue(args: argparse.Namespace) -> int:
    from . import issues, notify, project
    from .reports import results, run_dirs

    reports_dir = (args.reports_dir or project.find_root(args.project) / "reports").resolve()
    found = [reports_dir / args.run_id] if args.run_id else run_dirs(reports_dir)[-1:]
    if not found or not (found[0] / results.RESULTS_FILE).is_file():
        print(f"im-e2e issue: no results under {reports_dir}", file=sys.stderr)
        return 4
    run = results.read(found[0])
    if run.ok:
        print(f"run {run.run_id} passed: no issue to open")
        return 0
    summary = notify.Summary.of(run, run.label or "suite", args.report_url, found[0])
    try:
        action, number = issues.report_failure(issues.Forge.from_env(args.forge), summary, run.label)
    except KeyError as exc:
        print(f"im-e2e issue: {exc.args[0]}", file=sys.stderr)
        return 4
    print(f"{action} issue #{number}: {issues.title_for(summary, run.label)}")
    return 0


def _health(args: argparse.Namespace) -> int:
    from . import config, health, project

    try:
        cfg = config.load(project.find_root(args.project), target=args.target)
    except config.ConfigError as exc:
        print(f"im-e2e health: {exc}", file=sys.stderr)
        return 4
    if cfg.uses_sandbox:
        print("target: sandbox, started by each run (im-e2e run checks it once it is up)")
        return 0
    result = health.check({**cfg.target.info(), "name": cfg.target.name}, cfg.health, name=cfg.target.name)
    print(result.message())
    return 0 if result.ok else health.TARGET_UNHEALTHY


def _faults(args: argparse.Namespace) -> int:
    from . import faults, project
    from im_sandbox.faults import FAULTS

    if args.list:
        for f in FAULTS.values():
            print(f"{f.name:30} {f.area:11} {f.description}")
        return 0
    unknown = sorted(set(args.fault) - FAULTS.keys())
    if unknown:
        print(f"im-e2e faults: unknown fault(s) {unknown}; see im-e2e faults --list", file=sys.stderr)
        return 4
    # load-mode faults are caught by the load cells' ledgers (tests/load), not by an area suite
    names = args.fault or [name for name, fault in FAULTS.items() if not fault.load]
    root = project.find_root(args.project)
    # one row per fault as it finishes (to stderr with --json, so stdout stays one JSON document)
    show = lambda r: print(faults.format_row(r), file=sys.stderr if args.json else sys.stdout, flush=True)  # noqa: E731
    results = faults.run_matrix(names, root, args.workers, baseline=not args.no_baseline, progress=show,
                                max_fail=args.maxfail, focused=args.focused)
    print(faults.to_json(results) if args.json else faults.format_matrix(results))
    caught, total = faults.score(results)
    return 0 if caught == total else 1


def _mutation(args: argparse.Namespace) -> int:
    import signal

    from . import mutation, project

    # SIGTERM unwinds like Ctrl-C: the running mutant's pytest is killed and the workspace removed
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    root = project.find_root(args.project)
    if args.list:
        for area, modules in mutation.load_areas(root).items():
            print(f"{area:11} {len(mutation.enumerate_mutants(root / 'src', modules)):5} mutants  {' '.join(modules)}")
        return 0
    out = sys.stderr if args.json else sys.stdout
    show = lambda r: print(mutation.format_result(r), file=out, flush=True)  # noqa: E731
    try:
        report = mutation.run_area_mutation(root, args.area, args.sample or None, args.seed, args.workers,
                                            args.timeout, confirm=not args.no_confirm, progress=show,
                                            use_coverage=not args.run_every_mutant)
    except (KeyError, mutation.BaselineRed) as exc:
        print(f"im-e2e mutation: {exc}", file=sys.stderr)
        return 4
    print(mutation.to_json(report) if args.json else mutation.format_report(report))
    killed, counted = report.score
    return 0 if killed == counted else 1


def _rules(args: argparse.Namespace, extra: list[str]) -> int:
    from .rules_run import run

    return run(args.target, args.rule, args.workers, extra, args.reports_dir, args.project, args.run_id,
               args.strict_rules)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="im-e2e", description="End-to-end suite for Easemob-style IM services")
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--project", type=Path, help="the suite's checkout (default: found from the cwd upwards)")
        p.add_argument("--reports-dir", type=Path, help="where runs write (default: <project>/reports)")

    run = sub.add_parser("run", help="run the suite (wraps pytest), reports in reports/<run-id>/")
    run.add_argument("--owner", action="append", default=[], choices=sorted(owner_areas()))
    run.add_argument("-m", dest="marker", help="pytest marker expression, e.g. 'chatroom and not load'")
    run.add_argument("--target", help="'sandbox' (default) or a [targets.NAME] of im-e2e.toml")
    run.add_argument("-n", dest="workers", help="xdist workers, e.g. auto")
    run.add_argument("--run-id", help="name of the run directory (default: <time>-<label>)")
    run.add_argument("--label", help="what this run is, for trends (default: from --owner / -m)")
    run.add_argument("--skip-health-check", action="store_true", help="do not check the target first")
    run.add_argument("--progress", type=float, default=30.0, metavar="SECONDS",
                     help="progress line every SECONDS (0: after every test, -1: none; default 30)")
    run.add_argument("--no-allure", action="store_true", help="do not build the Allure HTML")
    common(run)

    schedule = sub.add_parser("schedule", help="run suites on cron/interval triggers from a TOML file")
    schedule.add_argument("--config", type=Path,
                          help="schedule file (see ci/schedule.example.toml; default: the [[jobs]] of im-e2e.toml)")
    schedule.add_argument("--once", action="store_true", help="run every job once, one after another, then exit")
    schedule.add_argument("--job", action="append", default=[], help="only this job (repeatable)")
    common(schedule)

    report = sub.add_parser("report", help="rebuild report.html (and Allure HTML) from stored results")
    report.add_argument("run_id", nargs="?", help="run id (default: the latest run)")
    report.add_argument("--all", action="store_true", help="every run under the reports dir")
    report.add_argument("--no-allure", action="store_true", help="do not build the Allure HTML")
    common(report)

    issue = sub.add_parser("issue", help="open (or comment on) the issue of a failing run on GitHub or GitLab")
    issue.add_argument("run_id", nargs="?", help="run id (default: the latest run)")
    issue.add_argument("--forge", choices=["github", "gitlab"], required=True)
    issue.add_argument("--report-url", help="link to the published report, {run_id} is filled in")
    common(issue)

    health = sub.add_parser("health", help="check the configured target (reachable, token obtainable, lag)")
    health.add_argument("--target", help="'sandbox' (default) or a [targets.NAME] of im-e2e.toml")
    health.add_argument("--project", type=Path, help="the suite's checkout (default: found from the cwd upwards)")

    faults = sub.add_parser("faults", help="run each area suite against the sandbox's named faults: detection matrix")
    faults.add_argument("--fault", action="append", default=[], metavar="NAME", help="only this fault (repeatable)")
    faults.add_argument("--json", action="store_true", help="print the matrix as JSON")
    faults.add_argument("-n", dest="workers", default="2", help="xdist workers per area run (default 2)")
    faults.add_argument("--no-baseline", action="store_true",
                        help="do not run each area without faults first (tests failing there are not counted)")
    faults.add_argument("--maxfail", type=int, default=0, metavar="N",
                        help="stop an area run after N failures: faster, names at most about N catching tests "
                             "(default 0: run the whole area and name every test that caught the fault)")
    faults.add_argument("--focused", action="store_true",
                        help="run only the feature's test files first (im_e2e/faults.py FOCUS); a survivor is "
                             "run again against its whole area")
    faults.add_argument("--list", action="store_true", help="list the faults and exit")
    faults.add_argument("--project", type=Path, help="the suite's checkout (default: found from the cwd upwards)")

    mut = sub.add_parser("mutation", help="mutate the sandbox modules of an area (cosmic-ray), run the area's tests "
                                          "on each mutant: score and survivors (docs/mutation.md)")
    mut.add_argument("--area", help="the area (docs/mutation/areas.toml)")
    mut.add_argument("--sample", type=int, default=20, metavar="N", help="mutants drawn (default 20; 0 = all)")
    mut.add_argument("--seed", type=int, default=1, metavar="S", help="seed of the sample (default 1)")
    mut.add_argument("--timeout", type=float, default=300.0, metavar="S", help="seconds per mutant run (default 300)")
    mut.add_argument("-n", dest="workers", default="2", help="xdist workers per mutant run (default 2)")
    mut.add_argument("--no-confirm", action="store_true", help="do not rerun a killing test on the unmutated code")
    mut.add_argument("--run-every-mutant", action="store_true",
                     help="run the area even for mutants on statements the baseline run never executed")
    mut.add_argument("--json", action="store_true", help="print the report as JSON")
    mut.add_argument("--list", action="store_true", help="list the areas, their modules and mutant counts")
    mut.add_argument("--project", type=Path, help="the suite's checkout (default: found from the cwd upwards)")

    rules = sub.add_parser("rules", help="run the rule-tagged tests; per rule: confirmed, contradicted, not exercised")
    rules.add_argument("--target", help="'sandbox' (default) or a [targets.NAME] of im-e2e.toml")
    rules.add_argument("--rule", action="append", default=[], metavar="ID", help="only this rule (repeatable)")
    rules.add_argument("-n", dest="workers", help="xdist workers, e.g. 2")
    rules.add_argument("--run-id", help="name of the run directory (default: <time>-rules)")
    rules.add_argument("--strict-rules", action="store_true", help="chosen rules that differ fail the run")
    common(rules)

    sub.add_parser("bench", help="sandbox throughput benchmark (python -m im_e2e.bench --help)", add_help=False)
    sub.add_parser("load", help="group pressure scenarios on Locust: --scenario NAME [--scale F] "
                                "(python -m im_e2e.load --help)", add_help=False)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    extra: list[str] = []
    if "--" in argv:
        cut = argv.index("--")
        argv, extra = argv[:cut], argv[cut + 1:]
    parser = _parser()
    args, rest = parser.parse_known_args(argv)
    if args.command == "bench":
        from . import bench
        return bench.main(rest + extra)
    if args.command == "load":  # its own process: Locust monkey-patches the standard library
        return subprocess.call([sys.executable, "-m", "im_e2e.load", *rest, *extra])
    if rest:
        parser.error(f"unrecognized arguments: {' '.join(rest)} (put pytest arguments after --)")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if args.command == "run":
        return _run(args, extra)
    if args.command == "schedule":
        return _schedule(args)
    if args.command == "report":
        return _report(args)
    if args.command == "issue":
        return _issue(args)
    if args.command == "faults":
        return _faults(args)
    if args.command == "rules":
        return _rules(args, extra)
    if args.command == "mutation":
        if not args.area and not args.list:
            parser.error("mutation needs --area AREA (or --list)")
        return _mutation(args)
    return _health(args)


if __name__ == "__main__":
    raise SystemExit(main())
