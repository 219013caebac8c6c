"""Problems found in sources: collected, then reported once, each as `path:line: what — fix`."""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a source file, and how to fix it."""

    path: str
    line: int
    message: str
    hint: str = ""
    column: int = 0  # 1-based where known (template errors), else 0

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}" if self.column else f"{self.path}:{self.line}"
        text = f"{where}: {self.message}"
        return f"{text} — {self.hint}" if self.hint else text

    def github_annotation(self) -> str:
        """The `::error` line GitHub Actions shows on the author's line in a pull request."""
        message = self.message + (f" — {self.hint}" if self.hint else "")
        # GitHub's workflow-command escaping: % first, then newlines.
        message = message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        column = f",col={self.column}" if self.column else ""
        return f"::error file={self.path},line={self.line}{column}::{message}"


CURLY_QUOTES = "‘’“”„‚«»"


def curly_quote_hint(text: str) -> str:
    """How to write `text` with the straight quotes YAML and macros understand."""
    straight = text.translate(str.maketrans({"‘": "'", "’": "'", "‚": "'", "“": '"', "”": '"', "„": '"',
                                             "«": '"', "»": '"'}))
    return f"curly quotes are not quotes here: write {straight.strip()} with straight quotes"


class SourceError(Exception):
    """Raised once with every problem found, so an author sees them all in one run."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems))
        super().__init__(format_problems(self.problems))


def format_problems(problems: list[Problem], what: str = "the module sources") -> str:
    count = len(problems)
    header = f"{count} problem{'s' if count != 1 else ''} in {what}:"
    return "\n".join([header, *(f"  {p}" for p in problems)])


def report(problems: list[Problem], stream, what: str = "the module sources") -> None:
    """Print problems for a person, plus GitHub annotations when running on CI."""
    print(format_problems(problems, what), file=stream)
    if os.environ.get("CI") == "true":
        for problem in problems:
            print(problem.github_annotation(), file=stream)
