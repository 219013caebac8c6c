"""Scaffold a module that checks cleanly at once: `make new-module SLUG=giving-praise CATEGORY=communication`."""

from __future__ import annotations

import shutil
import sys
from difflib import get_close_matches
from pathlib import Path

from .load import HR_CATEGORIES, SLUG, load_catalog
from .problems import SourceError, report
from .yaml_source import load_yaml

MODULE_YML = """\
title: {title}
category: {category}{hr_card}
summary: |
  TODO: two to four sentences on the challenge this module takes on, and what members will be able
  to do after the two sessions.
references:
  - title: "TODO: the title of a book or article you are sure exists"
    author: "TODO: its author, exactly as published"
    note: "TODO: one sentence on why it is worth reading."
manager_note:
  practice: >-
    TODO: to the member's own manager, what the member will practise at work between the sessions.
  support:
    - "TODO: one thing their manager can do to help, such as asking how the practice went."
    - "TODO: another, such as making room in the member's week to try it."
sessions:
  - minutes: 90
    objectives:
      - "TODO: describe the challenge in your own team, with one concrete example."
      - "TODO: use the module's framework on a real situation."
      - "TODO: choose one thing to practise before the next session."
    agenda:
      - title: Check-in and group agreement
        minutes: 10
        method: "A round: one sentence each"
        facilitator_notes:
          open: >-
            TODO: "Welcome. Before we start, let's read our group agreement together."
          steps:
            - "4 min: read the agreement aloud; everyone signs it; name a timekeeper."
            - "2 min: agree the group's one primary outcome and write it on the agreement page."
            - "4 min: a round, one sentence each on how you arrive today."
          listen_for:
            - Worries about confidentiality, to answer before the stories start.
          smaller_groups: With four or five members, the round is shorter; keep the agreement step.
          close: >-
            "Thank you. Let's hear some stories."
      - title: Sharing our stories
        minutes: 25
        method: "A round: each member tells one story in about three minutes"
        facilitator_notes:
          open: >-
            TODO: "Think of one time this challenge came up for you. Three minutes each."
          steps:
            - "2 min: quiet time to choose a story."
            - "20 min: the round; the timekeeper signals at three minutes."
            - "3 min: ask what the stories had in common."
          listen_for:
            - What members tried, and what they wish they had tried.
          smaller_groups: With four or five members, give each story four minutes.
          close: >-
            "What we heard in common was … Let's see what the framework adds."
      - title: The framework and worksheet
        minutes: 35
        method: Silent reading, then solo writing on the worksheet
        facilitator_notes:
          open: >-
            TODO: "Take ten minutes to read the reference section, then fill in the worksheet."
          steps:
            - "10 min: silent reading."
            - "15 min: the worksheet, alone."
            - "10 min: open discussion of what members wrote."
          listen_for:
            - Plans that are specific enough to try next week.
          close: >-
            "Keep your worksheet open: you will need it to plan your practice."
      - title: Planning what to practise
        minutes: 15
        method: Solo writing on the practice card, then a round of one sentence each
        facilitator_notes:
          open: >-
            TODO: "Fill in your practice card: what you will try, when, and how you will know."
          steps:
            - "5 min: members fill in their practice cards alone."
            - "9 min: a round: each reads out what, by when and how they will know; you write
              their row on the handover (the timekeeper writes yours)."
            - "1 min: read the handover rows back."
          listen_for:
            - A practice plan that would raise an issue with someone only to practise.
          smaller_groups: With four or five members, give each member more time in the round.
          close: >-
            "I will pass the handover to our session 2 facilitator."
      - title: Evaluation
        minutes: 5
        method: Solo writing
    desired_output: "TODO: every member leaves with one specific thing to try, and when."
  - minutes: 90
    objectives:
      - "TODO: report what you tried and what happened."
      - "TODO: learn from how other members handled the same challenge."
      - "TODO: adjust your approach for the weeks ahead."
    agenda:
      - title: Check-in
        minutes: 10
        method: "A round: one sentence each"
        facilitator_notes:
          open: >-
            TODO: "Welcome back. A reminder of our agreement, then what the session 1 evaluations said."
          steps:
            - "3 min: remind the group of the agreement; name a timekeeper."
            - "3 min: one thing that worked in session 1 and one to change."
            - "4 min: a round, one sentence each on how you arrive."
          listen_for:
            - Members who did not manage to practise, to bring in gently in the report-back.
          smaller_groups: With four or five members, the round is shorter.
          close: >-
            "Let's hear how the practice went."
      - title: Reporting back
        minutes: 40
        method: "A round: each member reports, the group asks questions"
        facilitator_notes:
          open: >-
            TODO: "Each of you has about six minutes: what you planned, what you did, what happened."
          steps:
            - "36 min: each member in turn; read their commitment from the handover first."
            - "4 min: ask what the reports had in common."
          listen_for:
            - What went differently from the plan, and why.
          smaller_groups: With four or five members, give each member eight minutes.
          close: >-
            "Thank you all. Let's pull out what we learned."
      - title: What we learned
        minutes: 25
        method: Open discussion
        facilitator_notes:
          open: >-
            TODO: "What would you tell a manager facing this for the first time?"
          steps:
            - "20 min: open discussion."
            - "5 min: each member writes one adjustment to their approach."
          listen_for:
            - Ideas a member took from another member's report.
          close: >-
            "Let's turn that into next steps."
      - title: Next steps
        minutes: 10
        method: "A round: one sentence each"
        facilitator_notes:
          open: >-
            TODO: "One sentence each: what you will keep doing."
          steps:
            - "10 min: the round."
          listen_for:
            - Topics for the group's next module.
          smaller_groups: With four or five members, the round ends early; use the time for questions.
          close: >-
            "Thank you. Now the evaluation, for the module as a whole."
      - title: Evaluation
        minutes: 5
        method: Solo writing
    desired_output: "TODO: every member names one adjustment and one thing they learned from another member."
"""

SESSION_1 = """\
TODO: what this session is for, in one or two paragraphs.

## Objectives

{{{{ objectives() }}}}

## Agenda

{{{{ agenda() }}}}

## Sharing our stories

TODO: prompts for the story round.

{{% facilitator %}}
TODO: what the facilitator listens for in the stories.
{{% endfacilitator %}}

## Putting it to work

{{{{ worksheet('{slug}-plan') }}}}

## Further reading

{{{{ references() }}}}

## Evaluation

{{{{ evaluation() }}}}
"""

SESSION_2 = """\
TODO: what this session is for: reporting back and learning from each other.

## Objectives

{{ objectives() }}

## Agenda

{{ agenda() }}

## Reporting back

TODO: how members report on what they practised.

## Evaluation

{{ evaluation() }}
"""

WORKSHEET = """\
title: "TODO: the worksheet's title"
session: 1
instructions: Work on your own for ten minutes, then share with one other member.
questions:
  - prompt: "TODO: describe a situation in the next two weeks where you can practise."
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

TODO: what the group should have at the end of the module.

## Example approaches

TODO: two or three ways members might approach the challenge.

## Questions that unlock discussion

TODO: questions that get a quiet group talking.

## When the group stalls

TODO: what the facilitator can do when the discussion dries up.
"""


def _category_ids(root: Path) -> list[str]:
    doc, _ = load_yaml(root / "modules" / "catalog.yml", "modules/catalog.yml")
    categories = doc.data.get("categories") if doc and isinstance(doc.data, dict) else None
    return [c["id"] for c in categories or [] if isinstance(c, dict) and isinstance(c.get("id"), str)]


def new_module(root: Path, slug: str, category: str) -> int:
    """Write the module's files; keep them only if the catalog still loads. Returns an exit status."""
    folder = root / "modules" / slug
    if not SLUG.match(slug):
        print(f"new-module: '{slug}' is not a valid slug: use lowercase letters, digits and hyphens",
              file=sys.stderr)
        return 2
    if folder.exists():
        print(f"new-module: modules/{slug} already exists", file=sys.stderr)
        return 2
    categories = _category_ids(root)
    if category not in categories:
        close = get_close_matches(category, categories, n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"use one of: {', '.join(categories)}"
        print(f"new-module: unknown category '{category}' — {hint} (nothing was written)", file=sys.stderr)
        return 2
    title = slug.replace("-", " ").capitalize()
    (folder / "worksheets").mkdir(parents=True)
    hr_card = "\nhr_card: true" if category in HR_CATEGORIES else ""
    (folder / "module.yml").write_text(MODULE_YML.format(title=title, category=category, hr_card=hr_card))
    (folder / "session-1.md").write_text(SESSION_1.format(slug=slug))
    (folder / "session-2.md").write_text(SESSION_2)
    (folder / "worksheets" / f"{slug}-plan.yml").write_text(WORKSHEET)
    (folder / "facilitator.md").write_text(FACILITATOR)
    try:
        load_catalog(root)
    except SourceError as error:
        report(error.problems, sys.stderr)
        if any(p.path.startswith(f"modules/{slug}/") for p in error.problems):
            shutil.rmtree(folder)  # leave nothing half-made behind: the corrected command can run again
            print(f"new-module: modules/{slug} was not kept", file=sys.stderr)
        return 1
    print(f"new-module: created modules/{slug}; edit its files, then run make check")
    return 0
