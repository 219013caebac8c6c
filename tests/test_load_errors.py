"""Bad module sources: every problem reported at once, each as `path:line: what — fix`."""

from pathlib import Path

import pytest

from peerpress.load import load_catalog
from peerpress.problems import SourceError

MODULE = "modules/first-module"


def edit(project: Path, rel: str, old: str, new: str) -> None:
    file = project / rel
    text = file.read_text()
    assert old in text, f"{old!r} not in {rel}"
    file.write_text(text.replace(old, new, 1))


def problems_of(project: Path) -> list[str]:
    with pytest.raises(SourceError) as caught:
        load_catalog(project)
    return [str(p) for p in caught.value.problems]


def test_fixture_loads(project):
    catalog = load_catalog(project)
    module = catalog.module("first-module")
    assert [s.name for s in module.sessions] == ["Exploration", "Reflection"]
    assert module.sessions[1].minutes == 90  # the default
    assert [w.id for w in module.worksheets] == ["review", "task-list"]


@pytest.mark.parametrize("rel, old, new, expected", [
    (f"{MODULE}/module.yml", "summary:", "sumary:",
     f"{MODULE}/module.yml:3: unknown field 'sumary' in the module — did you mean 'summary'?"),
    (f"{MODULE}/module.yml", "category: management", "category: managment",
     f"{MODULE}/module.yml:2: unknown category 'managment' — did you mean 'management'?"),
    (f"{MODULE}/module.yml", "        minutes: 75", "        minutes: 70",
     f"{MODULE}/module.yml:17: session 1 agenda adds up to 85 minutes, not 90 — lengthen items by "
     "5 minutes in all, or set the session's `minutes:`"),
    (f"{MODULE}/module.yml", "        minutes: 10", "        minutes: ten",
     f"{MODULE}/module.yml:19: 'minutes' in agenda item 'Check-in' should be a whole number, not 'ten'"),
    (f"{MODULE}/session-1.md", "{{ worksheet('task-list') }}", "{{ worksheet('task-lsit') }}",
     f"{MODULE}/session-1.md:40: unknown worksheet 'task-lsit' — did you mean 'task-list'?"),
    (f"{MODULE}/session-1.md", "{{ agenda() }}", "{{ agneda() }}",
     f"{MODULE}/session-1.md:9: unknown macro 'agneda' — did you mean agenda()?"),
    (f"{MODULE}/session-2.md", "{{ evaluation() }}", "{{ evaluation() }}\n{% facilitator %}\nx",
     f"{MODULE}/session-2.md:45: facilitator block is never closed — add {{% endfacilitator %}} "
     "where the facilitator-only part ends"),
    (f"{MODULE}/worksheets/review.yml", "response: text", "response: textbox",
     f"{MODULE}/worksheets/review.yml:8: unknown response kind 'textbox' — did you mean 'text'?"),
    (f"{MODULE}/worksheets/task-list.yml", "    rows: [Person 1, Person 2]\n", "",
     f"{MODULE}/worksheets/task-list.yml:13: a grid question needs `rows:` with at least one name — add e.g. "
     "`rows: [Person 1, Person 2]` and `columns: [Task, Level]`"),
    (f"{MODULE}/worksheets/task-list.yml", "    options: [I am faster, I enjoy it]\n",
     "    options: [I am faster, I enjoy it]\n    rows: [A]\n",
     f"{MODULE}/worksheets/task-list.yml:12: `rows:` only applies to `response: grid`, not checklist — remove "
     "`rows:` or change the response kind"),
    (f"{MODULE}/worksheets/review.yml", "session: 2", "session: 1",
     f"{MODULE}/session-2.md:42: worksheet 'review' belongs to session 1, not 2 — move it to "
     f"session-1.md or set `session: 2` in {MODULE}/worksheets/review.yml"),
    ("modules/catalog.yml", "measure: usefulness", "measure: usefullness",
     "modules/catalog.yml:21: unknown scale measure 'usefullness' — did you mean 'usefulness'?"),
    ("modules/catalog.yml", "measures: {I felt safe: felt-safe}", "measures: {I felt sure: felt-safe}",
     "modules/catalog.yml:25: 'I felt sure' is not one of this question's options — did you mean 'I felt safe'?"),
    ("modules/catalog.yml", "measures: {I felt safe: felt-safe}", "measures: {I felt safe: usefulness}",
     "modules/catalog.yml:25: unknown checklist measure 'usefulness' — use an existing checklist measure: "
     "felt-safe, learned-from-member"),
    ("modules/catalog.yml", "measures: {I felt safe: felt-safe}", "measure: equal-voice",
     "modules/catalog.yml:25: `measure:` only applies to `response: scale`, not checklist — on a checklist, "
     "name the options that count with `measures:`"),
    ("modules/catalog.yml", "        lines: 2\n  session_2:", "        lines: 2\n        measure: usefulness\n  session_2:",
     "modules/catalog.yml:29: `measure:` only applies to `response: scale`, not lines — on a checklist, "
     "name the options that count with `measures:`"),
    ("modules/catalog.yml", "measures: {I felt safe: felt-safe}",
     "measures: {I felt safe: felt-safe}\n      - {prompt: Again?, response: scale, options: [No, Yes], measure: usefulness}",
     "modules/catalog.yml:26: the measure 'usefulness' is already given at line 21 — each figure comes from one "
     "question of a form"),
    (f"{MODULE}/worksheets/review.yml", "response: text", "response: text\n    measure: usefulness",
     f"{MODULE}/worksheets/review.yml:9: unknown field 'measure' in a question — allowed fields of a question: "
     "prompt, response, lines, options, rows, columns, answer_key"),
    ("modules/catalog.yml", "modules: [first-module]", "modules: [first-modul]",
     "modules/catalog.yml:12: track 'starter' lists unknown module 'first-modul' — did you mean 'first-module'?"),
    (f"{MODULE}/module.yml", "title: Handing", "title: !!python/object/apply:os.system [id]\nx: Handing",
     f"{MODULE}/module.yml:1: YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed "
     "— use plain text, numbers, lists and mappings only"),
    (f"{MODULE}/module.yml", "  - objectives:\n      - PARTOBJ-2d2d", "  - objectives: [\n",
     f"{MODULE}/module.yml:47: YAML syntax error: did not find expected ',' or ']'"
     " — check indentation, colons and quotes on this line and the one above"),
])
def test_each_bad_input_gets_its_message(project, rel, old, new, expected):
    edit(project, rel, old, new)
    assert expected in problems_of(project)


def test_not_exactly_two_sessions(project):
    text = (project / MODULE / "module.yml").read_text()
    (project / MODULE / "module.yml").write_text(text.split("  - objectives:\n      - PARTOBJ-2d2d")[0]
                                                 + "manager_note:" + text.split("manager_note:")[1])
    assert problems_of(project) == [
        f"{MODULE}/module.yml:13: a module has exactly two sessions, this one has 1 — keep one "
        "exploration session and one reflection session, in that order"]


def test_all_problems_are_reported_together(project):
    edit(project, f"{MODULE}/module.yml", "summary:", "sumary:")
    edit(project, f"{MODULE}/worksheets/review.yml", "response: text", "response: textbox")
    edit(project, "modules/catalog.yml", "modules: [first-module]", "modules: [nope]")
    found = problems_of(project)
    assert len(found) == 3, found


def test_module_jinja_beyond_the_macros_is_refused(project):
    edit(project, f"{MODULE}/session-1.md", "## The framework",
         "{{ lipsum.__globals__['os'].popen('id').read() }}\n\n## The framework")
    assert problems_of(project) == [
        f"{MODULE}/session-1.md:17: attribute and item access is not allowed in module pages — use only "
        "the macros objectives(), agenda(), evaluation(), worksheet(), references() and "
        "{% facilitator %} blocks"]


def test_five_mistakes_are_reported_in_one_run(project):
    """YAML, agenda total, worksheet id, macro name and an unclosed block: all at once, sorted, nothing else."""
    edit(project, f"{MODULE}/module.yml", "summary: |", "sumary: |")
    edit(project, f"{MODULE}/module.yml", "        minutes: 75", "        minutes: 80")
    edit(project, f"{MODULE}/module.yml", '"75 min: stories', '"80 min: stories')
    edit(project, f"{MODULE}/session-1.md", "{{ worksheet('task-list') }}", "{{ worksheet('task-lists') }}")
    edit(project, f"{MODULE}/session-2.md", "{{ objectives() }}", "{{ objectivs() }}")
    edit(project, f"{MODULE}/session-2.md", "{{ evaluation() }}", "{{ evaluation() }}\n\n{% facilitator %}\nunclosed")
    assert problems_of(project) == [
        f"{MODULE}/module.yml:3: unknown field 'sumary' in the module — did you mean 'summary'?",
        f"{MODULE}/module.yml:17: session 1 agenda adds up to 95 minutes, not 90 — shorten items by 5 minutes "
        "in all, or set the session's `minutes:`",
        f"{MODULE}/session-1.md:40: unknown worksheet 'task-lists' — did you mean 'task-list'?",
        f"{MODULE}/session-2.md:3: unknown macro 'objectivs' — did you mean objectives()?",
        f"{MODULE}/session-2.md:46: facilitator block is never closed — add {{% endfacilitator %}} where the "
        "facilitator-only part ends",
    ]


def test_a_misspelt_field_on_an_agenda_item_does_not_falsify_the_total(project):
    edit(project, f"{MODULE}/module.yml", "        facilitator_notes:\n          open: FACNOTES",
         "        facilitator_note:\n          open: FACNOTES")
    assert problems_of(project) == [
        f"{MODULE}/module.yml:22: unknown field 'facilitator_note' in agenda item 'Check-in' — did you mean "
        "'facilitator_notes'?"]
