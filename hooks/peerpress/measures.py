"""The figures the program report draws from the evaluation forms, and how a form names its questions.

A scale question carries `measure: <id>`; a checklist question names the options that count with
`measures: {<option>: <id>}`. The tags are checked when the catalog loads, so rewording a question
keeps its figure, and a tag that names nothing is an error rather than a figure quietly missing.
"""

from __future__ import annotations

from dataclasses import dataclass

from .forms import evaluation_field, option_field
from .model import Evaluation


@dataclass(frozen=True)
class Measure:
    id: str
    title: str
    response: str  # scale: a mean score; checklist: the share who ticked the option


MEASURES = (
    Measure("usefulness", "Usefulness", "scale"),
    Measure("equal-voice", "Equal voice", "scale"),
    Measure("felt-safe", "Felt safe", "checklist"),
    Measure("learned-from-member", "Learned from another member", "checklist"),
)
BY_ID = {measure.id: measure for measure in MEASURES}


def locate(measure: Measure, evaluation: Evaluation) -> tuple[str, int] | None:
    """The field that answers `measure` in `evaluation`, with the scale's top point (1 for a tick)."""
    for number, question in enumerate(evaluation.questions, start=1):
        field = evaluation_field(evaluation.session, number)
        if question.measure == measure.id:
            return field, len(question.options)
        for option_number, tagged in question.option_measures:
            if tagged == measure.id:
                return option_field(field, option_number), 1
    return None
