"""Fixture projects: the real config, hooks, templates and docs, with modules from tests/fixtures."""

from __future__ import annotations

import hashlib
import html
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "projects"
PLATFORM = ("mkdocs.yml", "hooks", "overrides", "docs")


def make_project(dest: Path, fixture: str = "basic") -> Path:
    """A buildable project in `dest`: the repo's platform files plus the fixture's modules/ and docs/."""
    dest.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns("__pycache__")
    for name in PLATFORM:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=ignore, dirs_exist_ok=True)
        else:
            shutil.copy2(source, dest / name)
    shutil.copytree(FIXTURES / fixture / "modules", dest / "modules")
    if (FIXTURES / fixture / "docs").is_dir():
        shutil.copytree(FIXTURES / fixture / "docs", dest / "docs", dirs_exist_ok=True)
    return dest


def run_peerpress(project: Path, *args: str, ci: bool = False) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env["CI"] = "true" if ci else "false"
    return subprocess.run([sys.executable, "-m", "peerpress", *args, "--root", str(project)],
                          capture_output=True, text=True, env=env, cwd=project)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The basic fixture project, built once without workbooks; tests only read it."""
    project = make_project(tmp_path_factory.mktemp("built") / "project")
    result = run_peerpress(project, "build", "--no-pdf")
    assert result.returncode == 0, result.stderr
    return project


@pytest.fixture(scope="session")
def built_workbooks(tmp_path_factory) -> Path:
    """The basic fixture project built once with its workbooks; tests only read it."""
    project = make_project(tmp_path_factory.mktemp("workbooks") / "project")
    result = run_peerpress(project, "build")
    assert result.returncode == 0, result.stderr
    return project


@pytest.fixture(scope="session")
def shipped_workbooks(tmp_path_factory) -> Path:
    """The repo's own catalog (modules/, docs/) built once with both workbooks of every module; read only."""
    project = tmp_path_factory.mktemp("shipped") / "project"
    project.mkdir()
    for name in (*PLATFORM, "modules"):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, project / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, project / name)
    result = run_peerpress(project, "build")
    assert result.returncode == 0, result.stderr
    return project


@pytest.fixture
def copy_of_built(built_site, tmp_path) -> Path:
    """A writable copy of the built fixture, its site/ as the previous output a failed build must keep."""
    project = tmp_path / "project"
    shutil.copytree(built_site, project, symlinks=True)
    return project


def tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


@pytest.fixture
def project(tmp_path) -> Path:
    return make_project(tmp_path / "project")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch_until(url: str, expect: str, seconds: float = 60) -> str:
    """The page at `url` (entities decoded) once it contains `expect`; every request has a timeout."""
    deadline, body = time.monotonic() + seconds, ""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                body = html.unescape(response.read().decode())
            if expect in body:
                return body
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{expect!r} never appeared at {url}; last page: {body[:500]}")

