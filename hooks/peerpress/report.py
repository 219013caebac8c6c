"""The program report: one self-contained HTML page of charts and tables, with a CSV per chart beside it.

Read from the database `collect` fills. The page loads nothing: charts are inline SVG drawn by matplotlib,
styles are inline, and there is no script. Members are never named, and a module's session with fewer than
`MIN_RESPONSES` responses shows only its count, so a small group's answers cannot be told apart.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import sqlite3
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import jinja2
import markupsafe
from cycler import cycler

from .collect import COUNTED_RECORDS
from .forms import evaluation_field
from .identity import form_version
from .measures import MEASURES, Measure, locate
from .model import SESSION_NAMES, Catalog

MIN_RESPONSES = 3
FREE_TEXT = ("lines", "text")


@dataclass(frozen=True)
class Chart:
    id: str  # also the CSV's name
    title: str
    summary: str  # what the chart shows, for its <desc> and the text above the table
    svg: str | None  # None when there is nothing to draw
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    empty: str = "Nothing collected for this yet."  # said instead of an empty table


@dataclass(frozen=True)
class _Data:
    modules: tuple[tuple[str, str], ...]  # (slug, title) in catalog order
    responses: dict[tuple[str, int], list[dict[str, str]]]  # (module, session) -> each response's answers
    records: tuple[tuple, ...]  # (group, module, session, date, present, members, minutes)
    left_out: int  # copies printed with another form version


def write_report(db_path: Path, out_dir: Path, catalog: Catalog) -> Path:
    """Write `out_dir/report.html` and one CSV per chart from the database at `db_path`; return the page."""
    if not db_path.is_file():
        raise FileNotFoundError(f"{db_path}: no program database yet — collect returned workbooks first")
    data = _load(db_path, catalog)
    charts = [_responses_chart(data), *(_measure_chart(data, catalog, m) for m in MEASURES), _attendance_chart(data)]
    out_dir.mkdir(parents=True, exist_ok=True)
    for chart in charts:
        with (out_dir / f"{chart.id}.csv").open("w", newline="", encoding="utf-8") as out:
            csv.writer(out).writerows([chart.header, *chart.rows])
    page = out_dir / "report.html"
    page.write_text(_page(data, charts, _free_text(data, catalog)), encoding="utf-8")
    return page


def _load(db_path: Path, catalog: Catalog) -> _Data:
    version = form_version(catalog)
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        answers: dict[tuple[str, int, int], dict[str, str]] = defaultdict(dict)
        for module, rowid, session, field, value in db.execute("""
                SELECT f.module, f.rowid, a.session, a.field, a.value FROM answers a JOIN returned_file f USING (sha256)
                WHERE f.current = 1 AND f.edition = 'participant' AND f.form_version = ?""", (version,)):
            answers[(module, session, rowid)][field] = value
        records = tuple(db.execute(
            f"{COUNTED_RECORDS} ORDER BY r.group_label, r.date IS NULL, r.date, f.module, r.session"))
        left_out = db.execute("SELECT count(*) FROM returned_file WHERE current = 1 AND edition = 'participant' "
                              "AND form_version != ?", (version,)).fetchone()[0]
    finally:
        db.close()
    responses: dict[tuple[str, int], list[dict[str, str]]] = defaultdict(list)
    for (module, session, _), values in sorted(answers.items()):
        responses[(module, session)].append(values)
    known = [(m.slug, m.title) for m in catalog.modules]
    extra = sorted(({module for module, _ in responses} | {r[1] for r in records}) - {slug for slug, _ in known})
    return _Data(tuple(known + [(slug, slug) for slug in extra]), dict(responses), records, left_out)


def _session(number: int) -> str:
    return f"Session {number} ({SESSION_NAMES[number]})"


def _cells(data: _Data):
    """(slug, title, session, responses) for every module and session that has at least one response."""
    for slug, title in data.modules:
        for session in (1, 2):
            if data.responses.get((slug, session)):
                yield slug, title, session, data.responses[(slug, session)]


def _responses_chart(data: _Data) -> Chart:
    rows = tuple((title, _session(s), str(len(found))) for _, title, s, found in _cells(data))
    counts = {(slug, s): len(found) for slug, _, s, found in _cells(data)}
    titles = [title for slug, title in data.modules if any((slug, s) in counts for s in (1, 2))]
    series = {s: [counts.get((slug, s)) for slug, _ in data.modules if any((slug, t) in counts for t in (1, 2))]
              for s in (1, 2)}
    summary = "How many members returned an evaluation, per module and session."
    svg = _bars("responses", "Responses", summary, titles, series, "Evaluations returned", None, "{:.0f}")
    return Chart("responses", "Responses", summary, svg, ("Module", "Session", "Responses"), rows)


def _measure_chart(data: _Data, catalog: Catalog, measure: Measure) -> Chart:
    located = {e.session: locate(measure, e) for e in catalog.evaluations}
    rows, values = [], {}
    scale = "mean score" if measure.response == "scale" else "share who ticked it"
    for slug, title, session, found in _cells(data):
        where = located[session]
        if where is None:
            rows.append((title, _session(session), str(len(found)), "", "not asked in this session's form"))
            continue
        if len(found) < MIN_RESPONSES:
            rows.append((title, _session(session), str(len(found)), "",
                         f"fewer than {MIN_RESPONSES} responses: only the count is shown"))
            continue
        field, top = where
        if measure.response == "scale":
            points = [int(r[field]) for r in found if r.get(field, "").isdigit()]
            value = sum(points) / len(points) if points else None
            shown = f"{value:.1f} of {top} ({len(points)} answered)" if value is not None else ""
        else:
            value = 100 * sum(1 for r in found if r.get(field)) / len(found)
            shown = f"{value:.0f}%"
        values[(slug, session)] = value
        rows.append((title, _session(session), str(len(found)), shown, "" if value is not None else "no answers"))
    header = ("Module", "Session", "Responses", measure.title + (" (mean score)" if measure.response == "scale"
                                                                    else " (share of responses)"), "Note")
    asked = [_session(s) for s, where in located.items() if where]
    summary = f"{measure.title}: the {scale}, per module and session; asked in {' and '.join(asked)}."
    if not asked:
        summary = f"{measure.title}: not asked in the current evaluation forms."
        return Chart(measure.id, measure.title, summary, None, header, (), "No figures: the question is not asked.")
    top = max((where[1] for where in located.values() if where), default=1)
    keep = [(slug, title) for slug, title in data.modules if any((slug, s) in values for s in (1, 2))]
    series = {s: [values.get((slug, s)) for slug, _ in keep] for s in (1, 2)}
    if measure.response == "scale":
        svg = _bars(measure.id, measure.title, summary, [t for _, t in keep], series,
                    f"Mean score (1 to {top})", (0, top), "{:.1f}")
    else:
        svg = _bars(measure.id, measure.title, summary, [t for _, t in keep], series,
                    "Share of responses (%)", (0, 100), "{:.0f}%")
    return Chart(measure.id, measure.title, summary, svg if keep else None, header, tuple(rows))


def _attendance_chart(data: _Data) -> Chart:
    titles = dict(data.modules)
    rows = tuple((group, titles.get(module, module), _session(session), date or "not given",
                  "" if present is None else str(present), "" if members is None else str(members),
                  "" if minutes is None else str(minutes))
                 for group, module, session, date, present, members, minutes in data.records)
    header = ("Group", "Module", "Session", "Date", "Members present", "Group size", "Minutes")
    summary = "Members present at each session, per group over time, from the facilitators' session records."
    lines: dict[str, list[tuple[datetime.date, int]]] = defaultdict(list)
    for group, _, _, date, present, _, _ in data.records:
        if date and present is not None:
            lines[group].append((datetime.date.fromisoformat(date), present))
    svg = _attendance_svg(summary, lines) if lines else None
    return Chart("attendance", "Attendance", summary, svg, header, rows)


def _free_text(data: _Data, catalog: Catalog) -> list[tuple[str, list[tuple[int, int, list[tuple[str, list[str]]]]]]]:
    """Per module, per session: the count and, from three responses on, each free-text question's answers.

    Answers are sorted, so their order says nothing about who wrote which.
    """
    modules = []
    for slug, title in data.modules:
        sessions = []
        for session in (1, 2):
            found = data.responses.get((slug, session), [])
            if not found:
                continue
            questions = []
            if len(found) >= MIN_RESPONSES:
                for number, question in enumerate(catalog.evaluation(session).questions, start=1):
                    if question.response in FREE_TEXT:
                        field = evaluation_field(session, number)
                        questions.append((question.prompt, sorted(r[field] for r in found if r.get(field))))
            sessions.append((session, len(found), questions))
        if sessions:
            modules.append((title, sessions))
    return modules


# Session 1 and 2 differ in colour and in fill pattern, so the charts read in greyscale print too.
_STYLE = {1: {"color": "#1f5f99", "hatch": None}, 2: {"color": "#a84f00", "hatch": "///"}}
_RC = {"svg.fonttype": "none", "font.family": "sans-serif", "font.size": 10, "text.color": "#1a1a1a",
       "axes.labelcolor": "#1a1a1a", "xtick.color": "#1a1a1a", "ytick.color": "#1a1a1a",
       "axes.edgecolor": "#595959", "hatch.color": "#ffffff", "axes.spines.top": False, "axes.spines.right": False,
       "axes.prop_cycle": cycler(color=["#1f5f99", "#a84f00", "#2e7d32", "#6a3d9a", "#5d4037", "#ad1457"])}


def _bars(chart_id: str, title: str, summary: str, labels: list[str], series: dict[int, list],
          axis_label: str, limits: tuple[float, float] | None, value_format: str) -> str | None:
    """Horizontal bars, one pair per module (session 1 above session 2), each labelled with its value."""
    if not labels:
        return None
    from matplotlib.figure import Figure

    with _rc(chart_id):
        figure = Figure(figsize=(7, 0.9 + 0.62 * len(labels)), layout="constrained")
        axes = figure.add_subplot()
        height = 0.38
        for offset, session in ((-height / 2, 1), (height / 2, 2)):
            positions = [i + offset for i, value in enumerate(series[session]) if value is not None]
            values = [value for value in series[session] if value is not None]
            if not values:  # an empty series would still claim a legend entry, in the wrong colours
                continue
            bars = axes.barh(positions, values, height=height, label=_session(session), **_STYLE[session])
            axes.bar_label(bars, labels=[value_format.format(v) for v in values], padding=3)
        axes.set_yticks(range(len(labels)), labels=labels)
        axes.invert_yaxis()
        axes.set_xlabel(axis_label)
        if limits:
            axes.set_xlim(limits[0], limits[1] * 1.12)  # room for the value labels
        else:
            axes.xaxis.get_major_locator().set_params(integer=True)
            axes.set_xlim(0, max(v for s in series.values() for v in s if v is not None) * 1.15 + 0.5)
        figure.legend(loc="outside upper right", ncols=2, frameon=False)
        return _svg(figure, chart_id, title, summary)


def _attendance_svg(summary: str, lines: dict[str, list[tuple[datetime.date, int]]]) -> str:
    from matplotlib.dates import DateFormatter
    from matplotlib.figure import Figure

    markers = "osD^v<>"
    with _rc("attendance"):
        figure = Figure(figsize=(7, 3.4), layout="constrained")
        axes = figure.add_subplot()
        for index, (group, points) in enumerate(sorted(lines.items())):
            dates, present = zip(*sorted(points), strict=True)
            axes.plot(dates, present, marker=markers[index % len(markers)], label=group, linewidth=1.6)
        dates = sorted({date for points in lines.values() for date, _ in points})
        if len(dates) <= 8:  # few sessions: tick exactly the days they met
            axes.set_xticks(dates)
        axes.xaxis.set_major_formatter(DateFormatter("%Y-%m-%d"))
        axes.set_ylim(0, max(max(p for _, p in points) for points in lines.values()) + 1)
        axes.set_ylabel("Members present")
        figure.legend(title="Group", loc="outside right upper", frameon=False)
        figure.autofmt_xdate()
        return _svg(figure, "attendance", "Attendance", summary)


def _rc(salt: str):
    import matplotlib

    # A salt per chart keeps the ids matplotlib derives stable from run to run.
    return matplotlib.rc_context({**_RC, "svg.hashsalt": salt})


def _svg(figure, chart_id: str, title: str, summary: str) -> str:
    """The figure as inline SVG: no prolog, no namespace address, ids prefixed, a title and description."""
    out = io.StringIO()
    figure.savefig(out, format="svg", metadata={"Date": None, "Creator": None, "Format": None, "Type": None})
    svg = out.getvalue()
    svg = svg[svg.index("<svg"):]  # no XML prolog or doctype inside HTML
    opening = re.match(r"<svg\b[^>]*>", svg)
    view_box = re.search(r'viewBox="([^"]*)"', opening.group(0)).group(1)
    # Several charts share the page, so each one's ids get its own prefix.
    body = re.sub(r'(\sid="|url\(#|xlink:href="#)', lambda m: m.group(0).replace("xlink:", "") + f"{chart_id}-",
                  svg[opening.end():])
    return (f'<svg viewBox="{view_box}" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc">'
            f'<title id="{chart_id}-title">{_escape(title)}</title>'
            f'<desc id="{chart_id}-desc">{_escape(summary)} The table below gives the same figures.</desc>{body}')


def _escape(text: str) -> str:
    return str(markupsafe.escape(text))


def _page(data: _Data, charts: list[Chart], free_text) -> str:
    environment = jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    responses = sum(len(found) for found in data.responses.values())
    return environment.from_string(PAGE).render(
        charts=charts, free_text=free_text, minimum=MIN_RESPONSES, responses=responses,
        records=len(data.records), left_out=data.left_out, session=_session, markup=markupsafe.Markup)


PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Peer learning program report</title>
<style>
:root { color: #1a1a1a; background: #fff; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto,
  "Helvetica Neue", Arial, sans-serif; }
body { max-width: 52rem; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 1.8rem; margin: 0 0 .5rem; }
h2 { font-size: 1.4rem; margin: 2.5rem 0 .5rem; border-top: 2px solid #1a1a1a; padding-top: .75rem; }
h3 { font-size: 1.15rem; margin: 1.75rem 0 .25rem; }
h4 { font-size: 1rem; margin: 1.25rem 0 .25rem; }
figure { margin: 1rem 0; }
svg { display: block; width: 100%; height: auto; }
svg text { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif !important; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .95rem; }
caption { text-align: left; font-weight: 600; padding-bottom: .25rem; }
th, td { border-bottom: 1px solid #8a8a8a; padding: .3rem .5rem .3rem 0; text-align: left; vertical-align: top; }
thead th { border-bottom: 2px solid #1a1a1a; }
.note { color: #404040; }
ul.answers { padding-left: 1.25rem; }
ul.answers li { margin: .25rem 0; white-space: pre-line; }
a { color: #0b4f8a; }
@media print { body { max-width: none; padding: 0; } h2 { break-before: auto; } figure, table { break-inside: avoid; } }
</style>
</head>
<body>
<header>
<h1>Peer learning program report</h1>
<p>From {{ responses }} evaluation{{ "s" if responses != 1 }} returned by members and {{ records }} session
record{{ "s" if records != 1 }} from facilitators. Members are never named. Where fewer than {{ minimum }}
members answered for a module's session, the report shows only how many answered, so that no one's answers
can be picked out.</p>
{% if left_out %}
<p class="note">{{ left_out }} returned cop{{ "ies were" if left_out != 1 else "y was" }} printed with
evaluation questions other than the current ones and {{ "are" if left_out != 1 else "is" }} left out here; the
database and answers.csv keep {{ "them" if left_out != 1 else "it" }}.</p>
{% endif %}
</header>
<main>
{% for chart in charts %}
<section aria-labelledby="{{ chart.id }}">
<h2 id="{{ chart.id }}">{{ chart.title }}</h2>
<p>{{ chart.summary }}</p>
{% if chart.svg %}
<figure>
{{ markup(chart.svg) }}
</figure>
{% elif chart.rows %}
<p class="note">No chart: no module and session has {{ minimum }} or more responses with this answer yet.</p>
{% endif %}
{% if chart.rows %}
<table>
<caption>{{ chart.title }}: figures</caption>
<thead><tr>{% for name in chart.header %}<th scope="col">{{ name }}</th>{% endfor %}</tr></thead>
<tbody>
{% for row in chart.rows %}
<tr><th scope="row">{{ row[0] }}</th>{% for cell in row[1:] %}<td>{{ cell }}</td>{% endfor %}</tr>
{% endfor %}
</tbody>
</table>
{% else %}
<p class="note">{{ chart.empty }}</p>
{% endif %}
<p>The same figures as a spreadsheet: <a href="{{ chart.id }}.csv">{{ chart.id }}.csv</a>.</p>
</section>
{% endfor %}
<section aria-labelledby="own-words">
<h2 id="own-words">In members' own words</h2>
<p>Free-text answers, grouped per module and session, in alphabetical order and without names.</p>
{% for title, sessions in free_text %}
<h3>{{ title }}</h3>
{% for number, count, questions in sessions %}
<h4>{{ session(number) }}: {{ count }} response{{ "s" if count != 1 }}</h4>
{% if count < minimum %}
<p class="note">Fewer than {{ minimum }} responses: answers are not shown.</p>
{% endif %}
{% for prompt, answers in questions %}
<p><strong>{{ prompt }}</strong></p>
{% if answers %}
<ul class="answers">
{% for answer in answers %}
<li>{{ answer }}</li>
{% endfor %}
</ul>
{% else %}
<p class="note">No one answered this question.</p>
{% endif %}
{% endfor %}
{% endfor %}
{% else %}
<p class="note">No evaluations collected yet.</p>
{% endfor %}
</section>
</main>
</body>
</html>
"""
