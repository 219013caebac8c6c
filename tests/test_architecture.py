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


def _python_files(*folders: str) -> list[Path]:
    return [path for folder in folders for path in (REPO / folder).rglob("*.py") if "__pycache__" not in path.parts]


def test_the_core_names_its_site_generator_in_one_place():
    naming = {path.name for path in (REPO / "hooks" / "peerpress").glob("*.py")
              if "peerpress_mkdocs" in imported_modules(path)}
    assert naming == {"site_generator.py"}


def test_nothing_imports_the_hooks_file_that_mkdocs_loads_by_path():
    # A second import of hooks.py would be a second copy of its state, and the circle the glue once had.
    importers = []
    for path in _python_files("hooks", "scripts", "tests"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").endswith("hooks") and node.module != "hooks":
                importers.append(path.name)
            elif isinstance(node, ast.ImportFrom) and node.level and node.module == "hooks":
                importers.append(path.name)
    assert importers == []


def test_the_package_is_installed_not_put_on_the_path():
    hacks = [path.name for path in _python_files("hooks", "scripts", "tests") if path != Path(__file__)
             and ("sys.path.insert" in path.read_text() or "PYTHONPATH" in path.read_text())]
    assert hacks == []
    assert "PYTHONPATH" not in (REPO / "Makefile").read_text()


def test_editions_are_compared_as_the_edition_type():
    def names_edition(part) -> bool:
        name = part.id if isinstance(part, ast.Name) else part.attr if isinstance(part, ast.Attribute) else ""
        return "edition" in name

    literals = []
    for path in _python_files("hooks"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Compare):
                parts = [node.left, *node.comparators]
                if any(names_edition(p) for p in parts) and any(
                        isinstance(p, ast.Constant) and p.value in ("participant", "facilitator") for p in parts):
                    literals.append(f"{path.name}:{node.lineno}")
    assert literals == []
