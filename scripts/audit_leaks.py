#!/usr/bin/env python3
"""Search every file under site/ for facilitator-only text; exit 1 naming each file that has some.

    python scripts/audit_leaks.py [--root .] [--site site]

The build runs the same audit on its scratch output before publishing; `make build` runs this
script again on the published site/.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "hooks"))

from peerpress.audit import audit_outputs  # noqa: E402
from peerpress.load import load_catalog  # noqa: E402
from peerpress.problems import SourceError, report  # noqa: E402
from peerpress_mkdocs.site import theme_dirs  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path.cwd())
    parser.add_argument("--site", type=Path, default=None)
    args = parser.parse_args()
    root = args.root.resolve()
    site = (args.site or root / "site").resolve()
    if not site.is_dir():
        print(f"audit: {site} does not exist; build first", file=sys.stderr)
        return 2
    try:
        catalog = load_catalog(root)
    except SourceError as error:
        report(error.problems, sys.stderr)
        return 2
    leaks = audit_outputs(catalog, site, root / ".peerpress-build" / "audit-text", theme_dirs())
    for leak in leaks:
        print(f"LEAK {leak}", file=sys.stderr)
    files = len([p for p in site.rglob("*") if p.is_file()])
    print(f"audit: {files} files under {site.name}/ searched, {len(leaks)} facilitator-only passage(s) found")
    return 1 if leaks else 0


if __name__ == "__main__":
    sys.exit(main())
