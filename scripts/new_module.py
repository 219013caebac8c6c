#!/usr/bin/env python3
"""Scaffold a module that builds cleanly at once: `make new-module SLUG=giving-praise CATEGORY=communication`."""

from __future__ import annotations

import argparse
import shutil
import sys
from difflib import get_close_matches
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "hooks"))

from peerpress.load import HR_CATEGORIES, SLUG, load_catalog  # noqa: E402
from peerpress.problems import SourceError, report  # noqa: E402
from peerpress.yaml_source import load_yaml  # noqa: E402

MODULE_YML = """\
title: {title}
category: {category}{hr_card}
summary: |
  One to three sentences: the challenge this module takes on, and what members will be able to do
  after the two sessions.
references:
  - title: Title of a well-known book or article
    author: Its author
    note: One sentence on why it is worth reading.
sessions:
  - minutes: 90
    objectives:
      - Describe the challenge in your own team, with one concrete example.
      - Use the module's framework on a real situation.
      - Choose one thing to practise before the next session.
    agenda:
      - title: Check-in and group agreement
        minutes: 10
        facilitator_notes: Read the agreement aloud and ask each member for one word on how they arrive.
      - title: Sharing our stories
        minutes: 25
      - title: The framework and worksheet
        minutes: 35
      - title: Planning what to practise
        minutes: 15
      - title: Evaluation
        minutes: 5
    desired_output: Every member leaves with one specific thing to try, and when.
  - minutes: 90
    objectives:
      - Report what you tried and what happened.
      - Learn from how other members handled the same challenge.
      - Adjust your approach for the weeks ahead.
    agenda:
      - title: Check-in
        minutes: 10
      - title: Reporting back
        minutes: 40
      - title: What we learned
        minutes: 25
      - title: Next steps
        minutes: 10
      - title: Evaluation
        minutes: 5
    desired_output: Every member names one adjustment and one thing they learned from another member.
"""

SESSION_1 = """\
What this session is for, in one or two paragraphs.

## Objectives

{{{{ objectives() }}}}

## Agenda

{{{{ agenda() }}}}

## Sharing our stories

Prompts for the story round.

{{% facilitator %}}
How to run the story round: who starts, how long each member speaks.
{{% endfacilitator %}}

## Worksheet

{{{{ worksheet('{slug}-plan') }}}}

## Further reading

{{{{ references() }}}}

## Evaluation

{{{{ evaluation() }}}}
"""

SESSION_2 = """\
What this session is for: reporting back and learning from each other.

## Objectives

{{ objectives() }}

## Agenda

{{ agenda() }}

## Reporting back

How members report on what they practised.

## Evaluation

{{ evaluation() }}
"""

WORKSHEET = """\
title: Planning your practice
session: 1
instructions: Work on your own for ten minutes, then share with one other member.
questions:
  - prompt: Describe a situation in the next two weeks where you can practise.
    response: lines
    lines: 4
    answer_key: Good answers name a real, specific situation with a date.
  - prompt: How confident are you that you will try it?
    response: scale
    options: [Not at all, A little, Fairly, Very]
    answer_key: Ask low scorers what would make it easier to start.
"""

FACILITATOR = """\
## Desired output

What the group should have at the end of the module.

## Example approaches

## Questions that unlock discussion

## When the group stalls
"""


def _category_ids(root: Path) -> list[str]:
    doc, _ = load_yaml(root / "modules" / "catalog.yml", "modules/catalog.yml")
    categories = doc.data.get("categories") if doc and isinstance(doc.data, dict) else None
    return [c["id"] for c in categories or [] if isinstance(c, dict) and isinstance(c.get("id"), str)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("slug")
    parser.add_argument("category")
    parser.add_argument("--root", type=Path, default=Path.cwd())
    args = parser.parse_args()
    root = args.root.resolve()
    folder = root / "modules" / args.slug
    if not SLUG.match(args.slug):
        print(f"new-module: '{args.slug}' is not a valid slug: use lowercase letters, digits and hyphens",
              file=sys.stderr)
        return 2
    if folder.exists():
        print(f"new-module: modules/{args.slug} already exists", file=sys.stderr)
        return 2
    categories = _category_ids(root)
    if args.category not in categories:
        close = get_close_matches(args.category, categories, n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"use one of: {', '.join(categories)}"
        print(f"new-module: unknown category '{args.category}' — {hint} (nothing was written)", file=sys.stderr)
        return 2
    title = args.slug.replace("-", " ").capitalize()
    (folder / "worksheets").mkdir(parents=True)
    hr_card = "\nhr_card: true" if args.category in HR_CATEGORIES else ""
    (folder / "module.yml").write_text(MODULE_YML.format(title=title, category=args.category, hr_card=hr_card))
    (folder / "session-1.md").write_text(SESSION_1.format(slug=args.slug))
    (folder / "session-2.md").write_text(SESSION_2)
    (folder / "worksheets" / f"{args.slug}-plan.yml").write_text(WORKSHEET)
    (folder / "facilitator.md").write_text(FACILITATOR)
    try:
        load_catalog(root)
    except SourceError as error:
        report(error.problems, sys.stderr)
        if any(p.path.startswith(f"modules/{args.slug}/") for p in error.problems):
            shutil.rmtree(folder)  # leave nothing half-made behind: the corrected command can run again
            print(f"new-module: modules/{args.slug} was not kept", file=sys.stderr)
        return 1
    print(f"new-module: created modules/{args.slug}; edit its files, then run make check")
    return 0


if __name__ == "__main__":
    sys.exit(main())
