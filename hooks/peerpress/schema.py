"""Checks of YAML data against field specs, one problem per fault, with line and nearest-key hints."""

from __future__ import annotations

from dataclasses import dataclass
from difflib import get_close_matches

from .problems import Problem
from .yaml_source import Key, YamlDoc

_TYPE_NAMES = {str: "text", int: "a whole number", list: "a list", dict: "a mapping", bool: "true or false"}


@dataclass(frozen=True)
class Field:
    kind: type
    required: bool = False
    hint: str = ""  # how to write it, shown when it is missing or wrong


def check_mapping(doc: YamlDoc, key: Key, spec: dict[str, Field], what: str) -> list[Problem]:
    """Problems with the mapping at `key`: not a mapping, unknown keys, missing or mistyped fields."""
    value = get(doc, key)
    if not isinstance(value, dict):
        return [Problem(doc.path, doc.line(key), f"{what} should be a mapping of fields",
                        f"write it as `field: value` lines ({', '.join(spec)})")]
    problems = []
    misspelt = set()
    for name in value:
        if name not in spec:
            close = get_close_matches(name, list(spec), n=1, cutoff=0.6)
            misspelt.update(close)
            hint = (f"did you mean '{close[0]}'?" if close
                    else f"allowed fields of {what}: {', '.join(spec)}")
            problems.append(Problem(doc.path, doc.line((*key, name)),
                                    f"unknown field '{name}' in {what}", hint))
    for name, field in spec.items():
        field_key = (*key, name)
        if name not in value or value[name] is None:
            if field.required and name not in misspelt:
                problems.append(Problem(doc.path, doc.line(key), f"{what} is missing '{name}'",
                                        field.hint or f"add `{name}:`"))
            continue
        problems += check_type(doc, field_key, field.kind, f"'{name}' in {what}", field.hint)
    return problems


def check_type(doc: YamlDoc, key: Key, kind: type, what: str, hint: str = "") -> list[Problem]:
    value = get(doc, key)
    wrong = (isinstance(value, bool) and kind is not bool) or not isinstance(value, kind)
    if kind is str and isinstance(value, (int, float)) and not isinstance(value, bool):
        wrong = False  # a title like 2024 is still text; it is converted when the model is built
    if not wrong and kind is str and not str(value).strip():
        return [Problem(doc.path, doc.line(key), f"{what} is empty", hint or "write the text")]
    if wrong:
        return [Problem(doc.path, doc.line(key),
                        f"{what} should be {_TYPE_NAMES.get(kind, kind.__name__)}, "
                        f"not {_describe(value)}", hint or "")]
    return []


def check_entries(doc: YamlDoc, key: Key, kind: type, what: str) -> list[Problem]:
    """Each entry of the list at `key` has `kind` (nothing to check if it is not a list)."""
    value = get(doc, key)
    return [p for index in range(len(value) if isinstance(value, list) else 0)
            for p in check_type(doc, (*key, index), kind, what)]


def did_you_mean(value: str, choices, otherwise: str, cutoff: float = 0.6) -> str:
    """A hint naming the choice closest to `value`, or `otherwise` when none is close enough."""
    close = get_close_matches(value, list(choices), n=1, cutoff=cutoff)
    return f"did you mean '{close[0]}'?" if close else otherwise


def get(doc: YamlDoc, key: Key) -> object:
    value = doc.data
    for part in key:
        try:
            value = value[part]
        except (KeyError, IndexError, TypeError):
            return None
    return value


def _describe(value: object) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"yes/no ({str(value).lower()})"
    if isinstance(value, (dict, list)):
        return _TYPE_NAMES[type(value)]
    return repr(value)
