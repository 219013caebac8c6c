"""A public repository publishes its facilitator sources, so the publish workflow stops for it."""

import os
import subprocess

import yaml

from conftest import REPO

GUARD = REPO / "scripts/visibility_guard.sh"


def _guard(tmp_path, private: str, settings: str = "") -> subprocess.CompletedProcess:
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\nextra:\n  peerpress:\n    paper: letter\n" + settings)
    return subprocess.run(["sh", str(GUARD), str(config)], capture_output=True, text=True,
                          env={**os.environ, "REPO_PRIVATE": private})


def test_the_guard_stops_a_public_repository_unless_it_says_so(tmp_path):
    assert _guard(tmp_path, "true").returncode == 0
    refused = _guard(tmp_path, "false")
    assert refused.returncode == 1 and "This repository is public" in refused.stdout
    assert _guard(tmp_path, "false", "    public_sources: false\n").returncode == 1
    assert _guard(tmp_path, "false", "    public_sources: true\n").returncode == 0


def test_the_publish_workflow_runs_the_guard_before_building_and_the_pr_workflow_keeps_facilitator_pdfs_private():
    publish = yaml.safe_load((REPO / ".github/workflows/publish.yml").read_text())
    steps = publish["jobs"]["build"]["steps"]
    names = [step.get("run", "") + step.get("uses", "") for step in steps]
    guard = next(i for i, text in enumerate(names) if "visibility_guard.sh" in text)
    build = next(i for i, text in enumerate(names) if "make build" in text)
    assert guard < build
    assert steps[guard]["env"]["REPO_PRIVATE"] == "${{ github.event.repository.private }}"
    assert publish["jobs"]["deploy"]["needs"] == "build"
    pull = yaml.safe_load((REPO / ".github/workflows/pull-request.yml").read_text())
    uploads = [s for s in pull["jobs"]["check-build-test"]["steps"] if "build/facilitator" in str(s.get("with", {}))]
    assert uploads and all(s.get("if") == "github.event.repository.private" for s in uploads)
