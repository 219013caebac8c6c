"""Author HTML is untrusted: what a page renders to is held against an allow-list.

nh3 (the Ammonia sanitiser) decides what is safe. We never publish its cleaned output, though:
an author's page is refused, not silently changed, so we compare the start tags (with their
attributes) and comments of the rendered HTML with those nh3 keeps, and name what it would remove.
Both sides are read by the same tokenizer, so differences of serialisation do not count.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import unquote

import nh3

# What Markdown and its extensions produce, plus plain text formatting an author may write by hand.
TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del", "details", "div",
    "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "input",
    "ins", "kbd", "label", "li", "mark", "ol", "p", "pre", "s", "samp", "small", "span", "strong", "sub",
    "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul", "var",
}
ATTRIBUTES = {
    "*": {"id", "class", "title", "lang"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start", "type"},
    "td": {"style", "colspan", "rowspan", "align"},
    "th": {"style", "colspan", "rowspan", "align", "scope"},
    "input": {"disabled", "checked"},
    "details": {"open"},
}
TAG_ATTRIBUTE_VALUES = {"input": {"type": {"checkbox"}}}  # task-list boxes only
URL_SCHEMES = {"http", "https", "mailto"}
STYLE_PROPERTIES = {"text-align"}  # what Markdown tables write for column alignment


@dataclass(frozen=True)
class Refusal:
    """One thing the sanitiser would remove: what it is, why, and text to find it in the source."""

    what: str
    hint: str
    needles: tuple[str, ...]


def refusals(rendered: str, facilitator_classes: bool = False) -> list[Refusal]:
    """What in `rendered` the allow-list refuses; empty when the page is safe as it is.

    `facilitator_classes` allows the class names the facilitator edition gives its own blocks.
    """
    cleaned = nh3.clean(rendered, tags=TAGS, clean_content_tags=set(), attributes=ATTRIBUTES,
                        strip_comments=True, link_rel=None, url_schemes=URL_SCHEMES,
                        tag_attribute_values=TAG_ATTRIBUTE_VALUES, filter_style_properties=STYLE_PROPERTIES)
    kept = Counter(_tokens(cleaned))
    tokens = _tokens(rendered)
    found: list[Refusal] = []
    for token in tokens:
        if kept[token] > 0:
            kept[token] -= 1
            if not facilitator_classes and token[0] != "<!--":
                found += _facilitator_class(token)
            continue
        found.append(_explain(token))
    found += _outside_resources(tokens)
    return list(dict.fromkeys(found))


_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)


def _outside_resources(tokens: list[Token]) -> list[Refusal]:
    """Images must be files of the module's own folder: no address, no absolute path, no `..`."""
    found = []
    for tag, rest in tokens:
        src = dict(rest).get("src") if tag == "img" else None
        if src and (_SCHEME.match(src) or src.startswith(("/", "\\")) or ".." in src):
            found.append(_url_refusal("img", "src", src))
    return found


def local_links(rendered: str) -> set[str]:
    """The relative paths an HTML page links to or shows (href and src), without query or fragment."""
    paths = set()
    for tag, rest in _tokens(rendered):
        if tag == "<!--":
            continue
        for name, value in rest:
            path = value.split("#", 1)[0].split("?", 1)[0] if name in ("href", "src") else ""
            if path and not _SCHEME.match(path):
                paths.add(unquote(path))
    return paths


Token = tuple  # ("tag", (("name", "value"), …)) or ("<!--", text)


class _Tokenizer(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tokens: list[Token] = []

    def handle_starttag(self, tag, attrs):
        self.tokens.append((tag, tuple(sorted((name, _normal(name, value)) for name, value in attrs))))

    handle_startendtag = handle_starttag

    def handle_comment(self, data):
        self.tokens.append(("<!--", data))

    def handle_decl(self, decl):
        self.tokens.append(("<!--", decl))

    def handle_pi(self, data):
        self.tokens.append(("<!--", data))

    def unknown_decl(self, data):
        self.tokens.append(("<!--", data))


def _normal(name: str, value: str | None) -> str:
    if name == "style" and value:  # nh3 rewrites the declarations it keeps without spaces
        return re.sub(r"\s+", "", value).rstrip(";").lower()
    return value or ""


def _tokens(text: str) -> list[Token]:
    parser = _Tokenizer()
    parser.feed(text)
    parser.close()
    return parser.tokens


_HIDDEN_HINT = ("facilitator-only text goes in a {% facilitator %} block, which the participant edition "
                "removes; anything else is for everyone to see")
_STYLE = re.compile(r"display|visibility|font-size|opacity|color|clip|position|height|width|overflow", re.I)


def _explain(token: Token) -> Refusal:
    tag, rest = token
    if tag == "<!--":
        return Refusal("an HTML comment", "remove it: comments stay in the published HTML; " + _HIDDEN_HINT,
                       ("<!--", "<!", "<?"))
    attrs = dict(rest)
    if "attachment" in attrs.get("rel", "").lower():
        return Refusal("a PDF attachment (rel=\"attachment\")",
                       "remove it: workbooks embed no files; link to a web address instead", ("attachment", "rel="))
    if tag not in TAGS:
        return Refusal(f"the <{tag}> element", _element_hint(tag), (f"<{tag}",))
    allowed = ATTRIBUTES["*"] | ATTRIBUTES.get(tag, set()) | set(TAG_ATTRIBUTE_VALUES.get(tag, {}))
    for name, value in attrs.items():  # names first: a bad name explains more than a bad value
        needles = (f"{name}=", name, value[:40]) if value else (name,)
        if name.startswith("on"):
            return Refusal(f"the event handler '{name}' on <{tag}>", "remove it: pages may not run scripts", needles)
        if name in ("hidden", "aria-hidden") or (name == "style" and _STYLE.search(value)):
            return Refusal(f"hiding text with '{name}' on <{tag}>", _HIDDEN_HINT, needles)
        if name not in allowed:
            return Refusal(f"the attribute '{name}' on <{tag}>", _attribute_hint(name), needles)
    for name, value in attrs.items():
        needles = (f"{name}=", name, value[:40]) if value else (name,)
        if name in ("href", "src"):
            return _url_refusal(tag, name, value)
        if name == "type" and tag == "input":
            return Refusal(f"<input type=\"{value}\">", "form fields come from the worksheet() and evaluation() "
                           "macros; a Markdown task list (- [ ] item) gives checkboxes", needles)
        if name == "style":
            return Refusal(f"the style '{value}' on <{tag}>",
                           "remove it: only table column alignment (|:--|) is styled in pages", needles)
    return Refusal(f"part of <{tag}>", "remove the raw HTML and use Markdown", (f"<{tag}",))


def _url_refusal(tag: str, name: str, value: str) -> Refusal:
    shown = value if len(value) <= 60 else value[:57] + "…"
    if tag == "img" or name == "src":
        return Refusal(f"'{shown}' points outside the module",
                       "put the image or file in the module's folder and refer to it by its name, "
                       "e.g. ![Diagram](diagram.png)", (value[:40], f"{name}="))
    return Refusal(f"the link '{shown}'", "links may go to https:, http: or mailto: addresses, or to a page "
                   "of this site by its relative path", (value[:40], f"{name}="))


def _element_hint(tag: str) -> str:
    if tag in ("script", "iframe", "object", "embed", "frame", "frameset", "applet", "noscript", "template"):
        return "remove it: pages may not run scripts or embed other pages"
    if tag in ("form", "button", "select", "textarea", "option", "fieldset", "output"):
        return "form fields come from the worksheet() and evaluation() macros"
    if tag in ("style", "link", "meta", "base", "head", "html", "body", "title"):
        return "remove it: pages cannot change the site's styles, settings or address"
    if tag in ("svg", "math", "image", "video", "audio", "source", "picture", "canvas"):
        return "use an image file from the module's folder: ![Description](picture.png)"
    return "remove the raw HTML and use Markdown"


def _attribute_hint(name: str) -> str:
    if name == "style":
        return "remove it: only table column alignment (|:--|) is styled in pages"
    if name.startswith("data-") or name in ("rel", "target", "download", "ping", "formaction", "srcdoc"):
        return "remove it: links and images take no attributes beyond href/src, alt and title"
    return "remove the attribute"


def _facilitator_class(token: Token) -> list[Refusal]:
    """Participant content may not borrow the facilitator edition's look (or its name)."""
    tag, rest = token
    classes = dict(rest).get("class", "")
    if "facilitator" in classes.lower():
        return [Refusal(f"the class '{classes}' on <{tag}>",
                        "a facilitator admonition or class does not hide anything: write "
                        "{% facilitator %} … {% endfacilitator %} around facilitator-only text",
                        ("!!! facilitator", "??? facilitator", "???+ facilitator", ".facilitator",
                         'class="facilitator', "facilitator"))]
    return []


def locate(source: str, needles: tuple[str, ...], after: int = 0) -> int:
    """The 1-based line of the first needle found in `source` (entities decoded), else 1."""
    lines = [html.unescape(line).lower() for line in source.splitlines()]
    for needle in needles:
        needle = needle.lower().strip()
        if not needle:
            continue
        for number, line in enumerate(lines, start=1):
            if number > after and needle in line:
                return number
    return 1
