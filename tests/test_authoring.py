"""The author's tools: the scaffold builds cleanly at once, and check reports like the build."""

import subprocess
import sys

from conftest import run_peerpress


def test_new_module_scaffold_checks_but_never_ships_its_placeholders(project):
    made = subprocess.run([sys.executable, "-m", "peerpress", "new-module", "giving-praise", "communication",
                           "--root", str(project)], capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    assert run_peerpress(project, "check").returncode == 0
    refused = run_peerpress(project, "build", "--no-pdf")
    assert refused.returncode == 1 and not (project / "site").exists()
    assert ("modules/giving-praise/module.yml:4: placeholder text from the scaffold is still here — replace the "
            "text after TODO: with the module's own; make check and make serve accept it, make build does not"
            ) in refused.stderr
    for file in (project / "modules/giving-praise").rglob("*.*"):
        file.write_text(file.read_text().replace("TODO: ", ""))  # what an author replaces, the build accepts
    built = run_peerpress(project, "build", "--no-pdf")
    assert built.returncode == 0, built.stderr
    assert (project / "site/modules/giving-praise/session-1/index.html").is_file()


def test_new_module_with_unknown_category_reports_it(project):
    made = subprocess.run([sys.executable, "-m", "peerpress", "new-module", "giving-praise", "comunication",
                           "--root", str(project)], capture_output=True, text=True)
    assert made.returncode == 2
    assert "unknown category 'comunication' — did you mean 'communication'? (nothing was written)" in made.stderr
    assert not (project / "modules/giving-praise").exists()
    again = subprocess.run([sys.executable, "-m", "peerpress", "new-module", "giving-praise", "communication",
                            "--root", str(project)], capture_output=True, text=True)
    assert again.returncode == 0, again.stderr


def test_check_reports_every_problem_without_building(project):
    page = project / "modules/first-module/session-2.md"
    page.write_text(page.read_text().replace("{{ objectives() }}", "{{ objectivs() }}"))
    result = run_peerpress(project, "check", ci=True)
    assert result.returncode == 1
    assert "modules/first-module/session-2.md:3: unknown macro 'objectivs' — did you mean objectives()?" in result.stderr
    assert "::error file=modules/first-module/session-2.md,line=3::unknown macro 'objectivs'" in result.stderr
    assert not (project / "site").exists()
