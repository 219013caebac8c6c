"""The shape the project promises: a core without MkDocs, one list of Markdown extensions."""

import ast
from pathlib import Path

import yaml

from conftest import REPO
from peerpress.markdown_render import EXTENSION_CONFIGS, EXTENSIONS


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_core_never_imports_mkdocs_or_its_plugins():
    offenders = {path.name: imported_modules(path) & {"mkdocs", "material", "mkdocs_macros"}
                 for path in (REPO / "hooks" / "peerpress").glob("*.py")}
    assert {name: found for name, found in offenders.items() if found} == {}


def test_site_and_print_use_the_same_markdown_extensions():
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_constructor("!ENV", lambda loader, node: None)
    config = yaml.load((REPO / "mkdocs.yml").read_text(), Loader=Loader)
    names, configs = [], {}
    for entry in config["markdown_extensions"]:
        name, options = next(iter(entry.items())) if isinstance(entry, dict) else (entry, None)
        names.append(name)
        if options and name != "toc":  # the site adds permalinks; print has no use for them
            configs[name] = options
    assert names == EXTENSIONS
    assert configs == EXTENSION_CONFIGS
