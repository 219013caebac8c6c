"""Safe YAML loading that remembers the line of every value.

PyYAML's composer keeps a `start_mark` on every node; we walk the node tree ourselves instead of
constructing Python objects, so no tag can build an object and every value keeps its line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .problems import CURLY_QUOTES, Problem, curly_quote_hint

Key = tuple  # a path into the document, e.g. ("sessions", 0, "agenda", 2, "minutes")

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str": str,
    "tag:yaml.org,2002:int": int,
    "tag:yaml.org,2002:float": float,
    "tag:yaml.org,2002:bool": bool,
    "tag:yaml.org,2002:null": type(None),
}


# libyaml's loader composes the same nodes, with the same marks, several times faster.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# One loader instance serves only as the `self` its scalar constructors expect.
_CONSTRUCTOR = yaml.SafeLoader("")


@dataclass
class YamlDoc:
    """Plain data from one YAML file, with the 1-based line of each value by its key path."""

    path: str
    data: object
    lines: dict[Key, int] = field(default_factory=dict)

    def line(self, key: Key) -> int:
        """The line of `key`, or of its nearest ancestor that exists (a missing key's parent)."""
        while key not in self.lines and key:
            key = key[:-1]
        return self.lines.get(key, 1)


def load_yaml(file: Path, display_path: str,
              as_written: frozenset[str] = frozenset()) -> tuple[YamlDoc | None, list[Problem]]:
    """Parse one YAML file; on failure return the problems instead of raising.

    Scalars resolved to a tag in `as_written` are kept as the text written, for a file that parses
    such values itself (the groups file reads `2027-01-12` and `14:00` as a date and a time).
    """
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        return None, [Problem(display_path, 1, f"is not UTF-8 text ({error.reason})",
                              "save the file as UTF-8")]
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        what = error.problem or "is not valid YAML"
        lines = text.splitlines()
        nearby = [lines[i] for i in (line - 2, line - 1) if 0 <= i < len(lines)]
        curly = next((one for one in reversed(nearby) if any(q in one for q in CURLY_QUOTES)), None)
        hint = (curly_quote_hint(curly) if curly else
                "check indentation, colons and quotes on this line and the one above")
        return None, [Problem(display_path, line, f"YAML syntax error: {what}", hint)]
    except yaml.YAMLError as error:
        return None, [Problem(display_path, 1, f"YAML error: {error}", "fix the YAML syntax")]
    problems = _anchor_problems(text, display_path)
    if problems:  # refused before anything is expanded
        return None, problems
    doc = YamlDoc(display_path, None)
    doc.data = _plain(node, (), doc, problems, set(), as_written) if node is not None else None
    return doc, problems


def _anchor_problems(text: str, path: str) -> list[Problem]:
    """Anchors and aliases copy values between fields (a facilitator note into a title, say) and
    multiply a tiny file into billions of values: neither has a use in module sources."""
    problems = []
    for event in yaml.parse(text, Loader=_LOADER):
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent):
            problems.append(Problem(path, line, f"YAML aliases (*{event.anchor}) are not supported",
                                    "write the value out in full where it is needed"))
        elif getattr(event, "anchor", None):
            problems.append(Problem(path, line, f"YAML anchors (&{event.anchor}) are not supported",
                                    "remove the &name and write each value out in full"))
    return problems


def _plain(node: yaml.Node, key: Key, doc: YamlDoc, problems: list[Problem], seen: set[int],
           as_written: frozenset[str]) -> object:
    # An alias makes the composer hand us the same node again; expanding aliases is how a tiny
    # file becomes billions of values, so they are refused outright.
    if id(node) in seen and isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
        problems.append(Problem(doc.path, node.start_mark.line + 1, "YAML aliases (*name) are not supported",
                                "write the value out in full where it is needed"))
        return None
    seen.add(id(node))
    doc.lines[key] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result = {}
        for key_node, value_node in node.value:
            name = _scalar(key_node, doc, problems, as_written)
            if not isinstance(name, str):
                problems.append(Problem(doc.path, key_node.start_mark.line + 1,
                                        f"key {name!r} is not a name", "use a plain word as the key"))
                continue
            if name in result:
                problems.append(Problem(doc.path, key_node.start_mark.line + 1,
                                        f"key '{name}' appears twice", "keep one of them"))
            result[name] = _plain(value_node, (*key, name), doc, problems, seen, as_written)
            # A block under a key starts on the next line; messages about the field name the key's line.
            doc.lines[(*key, name)] = key_node.start_mark.line + 1
        _check_tag(node, "tag:yaml.org,2002:map", doc, problems)
        return result
    if isinstance(node, yaml.SequenceNode):
        _check_tag(node, "tag:yaml.org,2002:seq", doc, problems)
        return [_plain(item, (*key, index), doc, problems, seen, as_written)
                for index, item in enumerate(node.value)]
    return _scalar(node, doc, problems, as_written)


def _scalar(node: yaml.Node, doc: YamlDoc, problems: list[Problem], as_written: frozenset[str]) -> object:
    if isinstance(node, yaml.ScalarNode) and node.tag in as_written:
        return node.value
    if not isinstance(node, yaml.ScalarNode) or node.tag not in _PLAIN_TAGS:
        problems.append(Problem(doc.path, node.start_mark.line + 1,
                                f"YAML tag '{node.tag}' is not allowed",
                                "use plain text, numbers, lists and mappings only"))
        return None
    return yaml.SafeLoader.yaml_constructors[node.tag](_CONSTRUCTOR, node)


def _check_tag(node: yaml.Node, expected: str, doc: YamlDoc, problems: list[Problem]) -> None:
    if node.tag != expected:
        problems.append(Problem(doc.path, node.start_mark.line + 1,
                                f"YAML tag '{node.tag}' is not allowed",
                                "use plain text, numbers, lists and mappings only"))
