"""The facilitator preview shows authors the facilitator edition locally and publishes nothing."""

import os
import subprocess
import sys

from conftest import fetch_until, free_port, tree_digest
from markers import FACILITATOR_PATTERN


def test_facilitator_preview_then_build_publishes_nothing_facilitator_only(copy_of_built):
    project = copy_of_built
    before = tree_digest(project / "site")
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PEERPRESS_PREVIEW": "facilitator"}
    serve = subprocess.Popen([sys.executable, "-m", "peerpress", "serve", "--facilitator", "--port", str(port),
                              "--root", str(project)], cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        page = fetch_until(f"http://127.0.0.1:{port}/modules/first-module/session-1/", "Facilitator preview.")
    finally:
        serve.terminate()
        serve.wait(timeout=30)
    assert "Facilitator preview." in page
    assert {"FACNOTES-7d41", "FACSTEP-3a3a", "FACBLOCK-1111", "FACOUTPUT-3b9c"} <= set(FACILITATOR_PATTERN.findall(page))
    assert tree_digest(project / "site") == before  # served from memory, site/ untouched

    # The variable is still set, as it would be in the author's shell: the build makes the participant site.
    build = subprocess.run([sys.executable, "-m", "peerpress", "build", "--no-pdf", "--root", str(project)],
                           cwd=project, env=env, capture_output=True, text=True)
    assert build.returncode == 0, build.stderr
    leaks = [str(p) for p in (project / "site").rglob("*") if p.is_file()
             and FACILITATOR_PATTERN.search(p.read_bytes().decode("utf-8", "ignore"))]
    assert leaks == []
    assert "Facilitator preview" not in (project / "site/modules/first-module/session-1/index.html").read_text()


def test_a_plain_mkdocs_build_refuses_the_facilitator_preview(copy_of_built):
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1",
           "PEERPRESS_PREVIEW": "facilitator"}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build"], cwd=copy_of_built, env=env,
                            capture_output=True, text=True)
    assert result.returncode != 0
    assert "PEERPRESS_PREVIEW=facilitator only works with `mkdocs serve`" in result.stderr
