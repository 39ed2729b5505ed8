# touna-policy task runner. `make help` lists the targets.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SCENARIOS := $(wildcard data/scenarios/*.yaml)

.DEFAULT_GOAL := help
.PHONY: help install report report-check lint test test-fast data bench clean

help: ## list the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN{FS=":.*## "}{printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	$(BIN)/python -m ipykernel install --sys-prefix --name touna-policy --display-name "Python (touna-policy)"
	touch $(STAMP)

install: $(STAMP) ## create .venv, install the package with its dev tools and the touna-policy kernel; set up the notebook git filter
	@if git rev-parse --git-dir >/dev/null 2>&1; then \
	  git config filter.nbstripout.clean '$(abspath $(BIN))/python -m touna_policy.pipeline.notebook_params strip --stdin'; \
	  git config filter.nbstripout.smudge cat; \
	  git config filter.nbstripout.required true; \
	  git config diff.ipynb.textconv '$(abspath $(BIN))/python -m touna_policy.pipeline.notebook_params strip --textconv'; \
	fi

report: $(STAMP) ## set up, then run every shipped scenario's report, the comparison and reports/index.html
	$(BIN)/touna-policy batch $(SCENARIOS) --resume

report-check: $(STAMP) ## open the newest report of each scenario in headless Chromium; fail on errors, missing images, empty charts, raw identifiers in the text and anything wider than A4
	$(BIN)/touna-policy check-report reports

lint: $(STAMP) ## ruff (lint and format check) and mypy over the package
	$(BIN)/ruff check touna_policy tests benchmarks notebooks
	$(BIN)/ruff format --check touna_policy tests benchmarks
	$(BIN)/mypy touna_policy

test-fast: $(STAMP) ## the test suite without the slow end-to-end tests (under 90 s on 2 cores)
	$(BIN)/python -m pytest -q -m "not slow" tests

test: $(STAMP) ## set up, then run the whole test suite and every notebook under nbval
	$(BIN)/python -m pytest -q tests
	$(BIN)/python -m pytest -q -p no:cacheprovider --nbval-lax --nbval-current-env --nbval-sanitize-with notebooks/nbval_sanitize.cfg notebooks/

data: $(STAMP) ## rebuild data/processed from data/raw
	$(BIN)/python -m touna_policy.data

bench: $(STAMP) ## run the benchmarks (P1-P7, medians, targets beside them)
	$(BIN)/python -m benchmarks

clean: ## remove the virtual environment and generated reports
	rm -rf $(VENV) reports/*/ .pytest_cache
