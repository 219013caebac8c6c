"""Markdown to HTML, the same way for the site and the workbooks.

`EXTENSIONS` is the one list of Markdown extensions; `mkdocs.yml` names the same ones (a test keeps
them equal) so a page renders alike on the site and in print.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

import markdown
from markdown.extensions.toc import slugify
from markupsafe import Markup

EXTENSIONS = [
    "abbr", "admonition", "attr_list", "def_list", "footnotes", "md_in_html", "tables", "toc",
    "pymdownx.details", "pymdownx.superfences", "pymdownx.tasklist",
]
EXTENSION_CONFIGS = {"pymdownx.tasklist": {"custom_checkbox": True}}


def page_html(text: str, id_prefix: str = "") -> str:
    """A module page (session text, facilitator.md) rendered to HTML.

    Workbooks put several pages in one document: `id_prefix` keeps their heading anchors apart.
    """
    configs = dict(EXTENSION_CONFIGS)
    if id_prefix:
        configs["toc"] = {"slugify": lambda value, separator: id_prefix + slugify(value, separator)}
        configs["footnotes"] = {"SEPARATOR": ":" + id_prefix}  # fn:s1-1, not fn:1 in every session
    return markdown.markdown(text, extensions=EXTENSIONS, extension_configs=configs)


@lru_cache(maxsize=1)
def _text_converter() -> markdown.Markdown:
    md = markdown.Markdown(extensions=["tables", "attr_list", "def_list"])
    # Text that comes from YAML fields is data: raw HTML in it is shown as text, never run.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    md.inlinePatterns.deregister("entity")
    return md


def text_html(text: str | None) -> Markup:
    """A Markdown field from YAML (summary, prompt, answer key) as HTML, with raw HTML escaped."""
    if not text:
        return Markup("")
    converter = _text_converter()
    converter.reset()
    return Markup(converter.convert(text))


def inline_html(text: str | None) -> Markup:
    """Like `text_html`, without the wrapping paragraph, for short one-line fields."""
    html = str(text_html(text))
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return Markup(html)


def plain_text(text: str | None) -> str:
    """A Markdown field as plain text, for attributes such as a form field's accessible name."""
    return html.unescape(re.sub(r"<[^>]+>", "", str(inline_html(text)))).strip()


_TASK_BOX = re.compile(r'(<li class="task-list-item"><label class="task-list-control"><input type="checkbox")'
                       r'([^>]*?)\s*/?>(.*?</label>)(.*?)(?=</li>|<ul|<ol|<p>)', re.DOTALL)


def name_task_boxes(html_text: str, prefix: str) -> str:
    """Markdown task-list boxes become fields named after their session, titled with their item.

    Otherwise the PDF names them `unknown-<page>-<n>`, and on the site and in the PDF a screen
    reader finds a checkbox with no name at all.
    """
    count = 0

    def named(match: re.Match) -> str:
        nonlocal count
        count += 1
        item = html.escape(html.unescape(re.sub(r"<[^>]+>", "", match.group(4))).strip(), quote=True)
        return (f'{match.group(1)} name="task-{prefix}-{count}" title="{item}" aria-label="{item}"'
                f"{match.group(2)}>{match.group(3)}{match.group(4)}")

    return _TASK_BOX.sub(named, html_text)
