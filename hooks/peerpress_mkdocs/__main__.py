"""peerpress command line: `check`, `build` (site, workbooks, audit, then swap in) and `serve`."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from peerpress.load import load_catalog
from peerpress.placeholders import placeholder_problems
from peerpress.problems import SourceError, report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="peerpress")
    parser.add_argument("command", choices=["check", "build"])
    parser.add_argument("--root", type=Path, default=Path.cwd())
    parser.add_argument("--no-pdf", action="store_true", help="build the site without workbooks")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)-7s - %(message)s")
    root = args.root.resolve()
    try:
        catalog = load_catalog(root)
    except SourceError as error:
        report(error.problems, sys.stderr)
        return 1
    if args.command == "check":
        print(f"peerpress: {len(catalog.modules)} modules checked, no problems")
        return 0
    placeholders = placeholder_problems(catalog)
    if placeholders:
        report(placeholders, sys.stderr)
        print("peerpress: build refused, previous output left as it was: scaffold placeholders remain",
              file=sys.stderr)
        return 1
    from .pipeline import BuildFailed, run_build

    try:
        run_build(root, catalog, pdf=not args.no_pdf)
    except BuildFailed as error:
        print(f"peerpress: build failed, previous output left as it was: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
