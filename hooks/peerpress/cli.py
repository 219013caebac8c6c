"""The `peerpress` command: check, build, audit, serve, new-module (and the program's commands)."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from .load import load_catalog
from .model import Catalog, Edition
from .placeholders import placeholder_problems
from .problems import SourceError, report
from .site_generator import SiteBuildError, default_generator

PROGRAM_DIR = Path("build") / "program"  # program data: answers and attendance; git-ignored, never in site/
DATABASE = "program.db"


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)-7s - %(message)s")
    logging.getLogger("pikepdf").setLevel(logging.WARNING)  # it announces its logger bridge at INFO
    args.root = args.root.resolve()
    return args.run(args)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="peerpress", description="Publish peer learning workbooks.")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="the project folder (default: here)")
    commands = parser.add_subparsers(required=True, metavar="command")

    def command(name: str, run, help: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help, description=help)
        # Accepted after the command too, as `peerpress build --root x` reads naturally.
        sub.add_argument("--root", type=Path, default=argparse.SUPPRESS, help=argparse.SUPPRESS)
        sub.set_defaults(run=run)
        return sub

    command("check", _check, "check every source; report all problems at once")
    build = command("build", _build, "build the site and both editions of every workbook, then swap them in")
    build.add_argument("--no-pdf", action="store_true", help="build the site without workbooks")
    command("audit", _audit, "search the published site/ for facilitator-only text")
    serve = command("serve", _serve, "live preview that rebuilds on every save")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--pdf", action="store_true", help="also render participant workbooks")
    serve.add_argument("--facilitator", action="store_true",
                       help="preview the facilitator edition (served from memory, never written to site/)")
    new = command("new-module", _new_module, "scaffold a module that checks cleanly")
    new.add_argument("slug")
    new.add_argument("category")
    run = command("print-run", _print_run, "personalised workbooks and schedules for groups, into build/print/")
    run.add_argument("groups", type=Path, help="the groups file (YAML), e.g. program/groups.example.yml")
    run.add_argument("--group", help="only the group with this id")
    collect = command("collect", _collect, f"read returned workbooks' evaluations and records into {PROGRAM_DIR}/")
    collect.add_argument("folder", type=Path, help="the folder holding the returned PDFs (searched recursively)")
    command("report", _report, f"write {PROGRAM_DIR}/report.html from the collected answers")
    return parser


def _catalog(root: Path) -> Catalog | None:
    try:
        return load_catalog(root)
    except SourceError as error:
        report(error.problems, sys.stderr)
        return None


def _check(args) -> int:
    catalog = _catalog(args.root)
    if catalog is None:
        return 1
    print(f"peerpress: {len(catalog.modules)} modules checked, no problems")
    return 0


def _build(args) -> int:
    from .build import BuildFailed, run_build

    catalog = _catalog(args.root)
    if catalog is None:
        return 1
    placeholders = placeholder_problems(catalog)
    if placeholders:
        report(placeholders, sys.stderr)
        print("peerpress: build refused, previous output left as it was: scaffold placeholders remain",
              file=sys.stderr)
        return 1
    try:
        run_build(args.root, catalog, default_generator(), pdf=not args.no_pdf)
    except BuildFailed as error:
        print(f"peerpress: build failed, previous output left as it was: {error}", file=sys.stderr)
        return 1
    return 0


def _audit(args) -> int:
    from .audit import audit_outputs
    from .build import audit_text_dir

    site = args.root / "site"
    if not site.is_dir():
        print(f"audit: {site} does not exist; build first", file=sys.stderr)
        return 2
    catalog = _catalog(args.root)
    if catalog is None:
        return 2
    leaks = audit_outputs(catalog, site, audit_text_dir(args.root), default_generator().copied_asset_dirs())
    for leak in leaks:
        print(f"LEAK {leak}", file=sys.stderr)
    files = len([p for p in site.rglob("*") if p.is_file()])
    print(f"audit: {files} files under site/ searched, {len(leaks)} facilitator-only passage(s) found")
    return 1 if leaks else 0


def _serve(args) -> int:
    edition = Edition.FACILITATOR if args.facilitator else Edition.PARTICIPANT
    try:
        default_generator().serve(args.root, args.port, edition, workbooks=args.pdf)
    except SiteBuildError as error:
        print(f"peerpress: {error}", file=sys.stderr)
        return 1
    return 0


def _print_run(args) -> int:
    from .build import BuildFailed
    from .groups import load_groups, select_group
    from .print_run import run_print

    catalog = _catalog(args.root)
    if catalog is None:
        return 1
    shown = str(args.groups)
    try:
        groups = select_group(load_groups(args.groups, catalog, shown), args.group, shown)
    except SourceError as error:
        report(error.problems, sys.stderr, "the groups file")
        print("peerpress: print run refused, build/print/ left as it was", file=sys.stderr)
        return 1
    try:
        written = run_print(args.root, catalog, groups)
    except BuildFailed as error:
        print(f"peerpress: print run failed, build/print/ left as it was: {error}", file=sys.stderr)
        return 1
    for folder in written:
        print(f"peerpress: wrote {folder.relative_to(args.root)}/")
    return 0


def _collect(args) -> int:
    from .collect import collect

    catalog = _catalog(args.root)
    if catalog is None:
        return 1
    try:
        result = collect(args.folder, args.root / PROGRAM_DIR / DATABASE, catalog)
    except FileNotFoundError as error:
        print(f"collect: {error}", file=sys.stderr)
        return 2
    for line in result.lines():
        print(f"collect: {line}", file=sys.stdout if result.ok else sys.stderr)
    return 0 if result.ok else 1


def _report(args) -> int:
    from .report import write_report

    catalog = _catalog(args.root)
    if catalog is None:
        return 1
    try:
        page = write_report(args.root / PROGRAM_DIR / DATABASE, args.root / PROGRAM_DIR, catalog)
    except FileNotFoundError as error:
        print(f"report: {error}", file=sys.stderr)
        return 2
    print(f"report: wrote {page.relative_to(args.root)} (open it from disk; it makes no requests)")
    return 0


def _new_module(args) -> int:
    from .scaffold import new_module

    return new_module(args.root, args.slug, args.category)

