"""The participant site's generated pages, as Markdown keyed by their path under docs/.

Only participant views reach this module's page builders: nothing here can see facilitator data.
"""

from __future__ import annotations

import html
import json

from .markdown_render import inline_html, page_html, text_html
from .model import SESSION_NAMES, Catalog, Edition, Module
from .render_page import facilitator_page_markdown, program_page_markdown, session_markdown, shared_page_markdown
from .sanitise import local_links
from .views import participant_view, view

WORKBOOK_DIR = "workbooks"


ASSET_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"}


def module_assets(catalog: Catalog) -> dict[str, str]:
    """The images participant pages show, by their path on the site.

    Only what a participant page references is published: a picture used in facilitator.md or in a
    facilitator block stays in the facilitator workbook, and a stray file is not published at all.
    """
    assets = {}
    for module in catalog.modules:
        assets.update(module_assets_of(catalog, module))
    return assets


def module_assets_of(catalog: Catalog, module: Module) -> dict[str, str]:
    """`module_assets` for one module."""
    assets = {}
    participant = participant_view(module)
    folder = module.folder.resolve()
    for session in participant.sessions:
        markdown = session_markdown(catalog, participant, session.number, facilitator=False)
        if not any(suffix in markdown.lower() for suffix in ASSET_SUFFIXES):
            continue  # a picture is named with its suffix: no suffix, no picture, no HTML to render
        for target in local_links(page_html(markdown)):
            file = (folder / target).resolve()
            if file.is_file() and file.suffix.lower() in ASSET_SUFFIXES and file.is_relative_to(folder):
                assets[f"modules/{module.slug}/{file.relative_to(folder).as_posix()}"] = str(file)
    return assets


def workbook_name(slug: str, edition: Edition) -> str:
    return f"{slug}-{edition}.pdf"


def site_pages(catalog: Catalog, workbooks: bool, edition: Edition = Edition.PARTICIPANT,
               preview: bool = False) -> dict[str, str]:
    """Every generated page of the site: topic menu, categories, tracks, modules.

    The facilitator edition exists only for an author's local preview; it is never built into site/.
    """
    pages = catalog_pages(catalog)
    for module in catalog.modules:
        pages.update(module_pages(catalog, module, workbooks, edition, preview))
    return pages


def catalog_pages(catalog: Catalog) -> dict[str, str]:
    """The pages about the whole catalog: the topic menu, categories, mini-tracks."""
    pages = {"topics/index.md": _topics(catalog), "tracks/index.md": _tracks(catalog)}
    for category in catalog.categories:
        pages[f"topics/{category.id}/index.md"] = _category(catalog, category)
    for track in catalog.tracks:
        pages[f"tracks/{track.id}.md"] = _track(catalog, track)
    return pages


def module_pages(catalog: Catalog, module: Module, workbooks: bool, edition: Edition = Edition.PARTICIPANT,
                 preview: bool = False) -> dict[str, str]:
    """One module's pages: its overview, its sessions and their clocks. They read nothing of the
    catalog's other modules (`page_cache` relies on it)."""
    pages = {}
    module_view = view(module, edition)
    pages[f"modules/{module.slug}/index.md"] = _overview(catalog, module_view, workbooks, preview)
    if edition == Edition.FACILITATOR and module_view.facilitator_markdown:
        pages[f"modules/{module.slug}/index.md"] += (
            "\n\n## Facilitating this module\n\n" + _demote(facilitator_page_markdown(catalog, module_view)))
    for session in module_view.sessions:
        pages[f"modules/{module.slug}/session-{session.number}.md"] = _session(
            catalog, module_view, session.number, workbooks, edition == Edition.FACILITATOR, preview)
        pages[f"modules/{module.slug}/session-{session.number}{CLOCK_SUFFIX}"] = _clock(module_view, session.number)
    return pages


CLOCK_SUFFIX = "-clock.md"


def in_menu(uri: str) -> bool:
    """Whether a generated page belongs in the site's menu: a session clock is opened from its session page."""
    return not uri.endswith(CLOCK_SUFFIX)


def _demote(markdown_text: str) -> str:
    """facilitator.md starts at `##`; under the overview's own `##` it moves one level down."""
    return "\n".join("#" + line if line.startswith("##") else line for line in markdown_text.splitlines())


def nav(catalog: Catalog, program_pages: list[dict]) -> list:
    """The site navigation: program pages, the topic menu by category, and the mini-tracks."""
    topics = ["topics/index.md"]
    for category in catalog.categories:
        # MkDocs themes print nav titles and page metadata unescaped: YAML text is escaped here.
        modules = [{_attr(m.title): [f"modules/{m.slug}/index.md",
                              *({f"Session {n}: {name}": f"modules/{m.slug}/session-{n}.md"}
                                for n, name in SESSION_NAMES.items())]}
                   for m in catalog.in_category(category.id)]
        topics.append({_attr(category.title): [f"topics/{category.id}/index.md", *modules]})
    tracks = ["tracks/index.md", *({_attr(t.title): f"tracks/{t.id}.md"} for t in catalog.tracks)]
    return [*program_pages, {"Topics": topics}, {"Mini-tracks": tracks}]


def _front_matter(title: str, description: str, hide: tuple[str, ...] = ()) -> str:
    # JSON strings are valid YAML and escape every quote and newline.
    hidden = f"hide: {json.dumps(list(hide))}\n" if hide else ""
    return (f"---\ntitle: {json.dumps(_attr(title))}\ndescription: {json.dumps(_attr(description))}\n"
            f"{hidden}---\n\n")


def _plain(markdown_text: str) -> str:
    """First sentence of a Markdown field as plain text, for page descriptions."""
    text = " ".join(markdown_text.split())
    for mark in ("**", "__", "*", "`"):
        text = text.replace(mark, "")
    return text.split(". ")[0].rstrip(".") + "."


def _attr(text: str) -> str:
    return html.escape(text, quote=True)


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


def _topics(catalog: Catalog) -> str:
    lines = [_front_matter("Topics", "Every module, grouped by the management challenge it takes on."),
             "# Topics", "",
             "Pick the challenge your group shares. Each module is two 90-minute sessions.", ""]
    for category in catalog.categories:
        modules = catalog.in_category(category.id)
        lines += [f"## [{_esc(category.title)}]({category.id}/index.md)", "", _esc(category.description), ""]
        lines += [f"- [{_esc(m.title)}](../modules/{m.slug}/index.md)" for m in modules] or \
                 ["No modules in this category yet."]
        lines.append("")
    return "\n".join(lines)


def _module_list(catalog: Catalog, modules: list[Module], prefix: str) -> list[str]:
    lines = []
    for module in modules:
        lines += [f"## [{_esc(module.title)}]({prefix}modules/{module.slug}/index.md)", "",
                  str(text_html(module.summary)), ""]
    return lines


def _category(catalog: Catalog, category) -> str:
    modules = catalog.in_category(category.id)
    lines = [_front_matter(category.title, category.description), f"# {_esc(category.title)}", "",
             _esc(category.description), ""]
    lines += _module_list(catalog, modules, "../../") or ["No modules in this category yet.", ""]
    return "\n".join(lines)


def _tracks(catalog: Catalog) -> str:
    lines = [_front_matter("Mini-tracks", "Modules in a suggested order, for a group that wants a path."),
             "# Mini-tracks", "",
             "A mini-track is a short sequence of modules that build on each other. "
             "A group works through them in order, one module at a time.", ""]
    for track in catalog.tracks:
        lines += [f"## [{_esc(track.title)}]({track.id}.md)", "", _esc(track.description), ""]
    return "\n".join(lines)


def _track(catalog: Catalog, track) -> str:
    lines = [_front_matter(track.title, track.description), f"# {_esc(track.title)}", "",
             _esc(track.description), ""]
    for position, slug in enumerate(track.modules, start=1):
        module = catalog.module(slug)
        lines += [f"## {position}. [{_esc(module.title)}](../modules/{slug}/index.md)", "",
                  str(text_html(module.summary)), ""]
    return "\n".join(lines)


PREVIEW_WORKBOOK_NOTE = ('\n<p class="pp-download">The preview does not build workbooks, so there is no download '
                         "link here. Run <code>make serve PDF=1</code> to add the participant workbooks, or "
                         "<code>make build</code> for both editions.</p>\n")


def _workbook_link(slug: str, depth: int, preview: bool = False, workbooks: bool = True) -> str:
    if not workbooks:
        return PREVIEW_WORKBOOK_NOTE if preview else ""
    href = "../" * depth + f"{WORKBOOK_DIR}/{workbook_name(slug, 'participant')}"
    return (f'\n<p class="pp-download"><a class="md-button md-button--primary" href="{href}" '
            f'download>Download the participant workbook (PDF)</a></p>\n')


def _overview(catalog: Catalog, module: Module, workbooks: bool, preview: bool = False) -> str:
    category = catalog.category(module.category)
    lines = [_front_matter(module.title, _plain(module.summary)), f"# {_esc(module.title)}", "",
             f'<p class="pp-category">Topic: <a href="../../topics/{category.id}/">'
             f"{_esc(category.title)}</a></p>", "", str(text_html(module.summary)), ""]
    lines.append(_workbook_link(module.slug, 2, preview, workbooks))
    if module.video:
        lines += [f'<p class="pp-video">Watch before session 1: <a href="{html.escape(module.video.url)}">'
                  f"{_esc(module.video.title)}</a> ({module.video.minutes} minutes)</p>", ""]
    for session in module.sessions:
        lines += [f"## [Session {session.number}: {session.name}](session-{session.number}.md)", "",
                  f"{session.minutes} minutes. By the end of this session you will be able to:", "",
                  *(f"- {inline_html(objective)}" for objective in session.objectives), ""]
    lines += ["## A note for your manager", "",
              "Your own manager's support makes the practice work. Share this with them before session 1 "
              "(it is also a page of the workbook).", "",
              shared_page_markdown(catalog.manager_note, "modules/manager-note.md", False), "",
              "### What they will practise", "", str(text_html(module.manager_note.practice)), "",
              "### How you can help", "", *(f"- {inline_html(point)}" for point in module.manager_note.support), ""]
    return "\n".join(lines)


def _session(catalog: Catalog, module: Module, number: int, workbooks: bool, facilitator: bool = False,
             preview: bool = False) -> str:
    session = module.sessions[number - 1]
    title = f"{module.title}: Session {number}, {session.name}"
    lines = [_front_matter(title, _plain(module.summary)),
             f"# Session {number}: {session.name}", "",
             f'<p class="pp-module-link">Module: <a href="../">{_esc(module.title)}</a> · '
             f'<a href="../session-{number}-clock/">Session clock</a>: the agenda as a timer for the room</p>', ""]
    lines.append(_workbook_link(module.slug, 3, preview, workbooks))
    if facilitator and session.desired_output:
        lines += ['<div class="pp-desired-output"><p class="pp-desired-output-title">Desired output of this '
                  f"session</p>{text_html(session.desired_output)}</div>", ""]
    lines.append(session_markdown(catalog, module, number, facilitator=facilitator))
    return "\n".join(lines)


def _clock(module: Module, number: int) -> str:
    """The session's agenda as a timer for a phone or a projector; the script reads the list below."""
    session = module.sessions[number - 1]
    first = session.agenda[0]
    items = "".join(f'<li data-minutes="{item.minutes}"><span class="pp-clock-item-title">{_esc(item.title)}</span>'
                    f' ({item.minutes} min): <span class="pp-clock-item-method">{_esc(item.method)}</span></li>'
                    for item in session.agenda)
    return "\n".join([
        _front_matter(f"{module.title}: session {number} clock", f"The agenda of session {number} as a timer.",
                      hide=("navigation", "toc")),
        f"# Session {number} clock", "",
        f'<p class="pp-module-link">Module: <a href="../">{_esc(module.title)}</a> · '
        f'<a href="../session-{number}/">Session {number}: {_esc(session.name)}</a></p>', "",
        '<div class="pp-clock">',
        f'<p class="pp-clock-step">Item 1 of {len(session.agenda)}</p>',
        f'<h2 class="pp-clock-title">{_esc(first.title)}</h2>',
        f'<p class="pp-clock-method">{_esc(first.method)}</p>',
        f'<p class="pp-clock-left" role="timer">{first.minutes}:00</p>',
        '<p class="pp-clock-next"></p>',
        '<div class="pp-clock-controls">'
        '<button type="button" class="pp-clock-back md-button">Previous item</button>'
        '<button type="button" class="pp-clock-toggle md-button md-button--primary">Start</button>'
        '<button type="button" class="pp-clock-forward md-button">Next item</button>'
        '<button type="button" class="pp-clock-full md-button">Full screen</button></div>',
        '<h2 class="pp-clock-agenda-title">The agenda</h2>',
        f'<ol class="pp-clock-items">{items}</ol>',
        "</div>", ""])


def topic_menu(catalog: Catalog) -> str:
    """The topic menu of program pages (the `topic_menu()` macro): one line per category, opened
    to show its modules, so that a reader on a phone sees eight choices, not thirty links."""
    lines = []
    for category in catalog.categories:
        modules = catalog.in_category(category.id)
        count = f"{len(modules)} module{'s' if len(modules) != 1 else ''}" if modules else "no modules yet"
        lines += ['<details class="pp-topic" markdown>',
                  f"<summary>{_esc(category.title)} <span class=\"pp-topic-count\">({count})</span></summary>", "",
                  *(f"- [{_esc(m.title)}](modules/{m.slug}/index.md)" for m in modules),
                  f"- [All about {_esc(category.title.lower())}](topics/{category.id}/index.md)", "",
                  "</details>", ""]
    return "\n".join(lines)


def problems_page(problems, stale: bool) -> str:
    """The preview's account of sources that do not load: every `path:line` message, on the page."""
    count = len(problems)
    lead = (f"{count} problem{'s' if count != 1 else ''} in the sources. "
            + ("This preview shows the last version that loaded; " if stale else "")
            + "fix them and save: the page reloads by itself.")
    items = "".join(f"<li><code>{html.escape(str(p))}</code></li>" for p in problems)
    return (f'<div class="pp-problems" role="alert"><p><strong>{html.escape(lead)}</strong></p>'
            f"<ul>{items}</ul></div>\n\n")


def program_page(catalog: Catalog, text: str, path: str) -> str:
    """A program page under docs/ (checked at load) as the participant site shows it."""
    return program_page_markdown(text, path, {"topic_menu": lambda: topic_menu(catalog)})
