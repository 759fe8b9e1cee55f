# The front door: `make report` (the demo reports) and `make test` (the test suite).
# Everything runs inside ./.venv, made on first use; no root needed. CI uses .ci/run.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
# The install step reruns only when pyproject.toml is newer than this stamp.
STAMP  := $(VENV)/.installed
EXTRAS := reports,test,dask,train
CONFIG ?= reports/reports.yml

.PHONY: help install data report test test-fast lint format clean

help:
	@echo "make report   install into $(VENV), fetch the demo corpus, run the report batch ($(CONFIG))"
	@echo "make test     install into $(VENV) and run the whole test suite"
	@echo "make data     fetch the demo corpus into data/external (News Articles, Dai 2017)"
	@echo "make test-fast  the tests not marked slow (a minute; for editing)"
	@echo "make lint     ruff (lint + format check), import-linter (layers)"
	@echo "make format   ruff format + ruff check --fix"
	@echo "make clean    remove $(VENV), caches and generated reports (keeps data/)"

$(PY):
	@echo "analysis: creating $(VENV) with $(PYTHON)"
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	@echo "analysis: installing the package with [$(EXTRAS)] into $(VENV)"
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[$(EXTRAS)]"
	@echo "analysis: registering the Jupyter kernel 'analysis' (Python (analysis)) inside $(VENV)"
	$(PY) -m ipykernel install --sys-prefix --name analysis --display-name "Python (analysis)"
	@touch $(STAMP)

install: $(STAMP)

data: $(STAMP)
	$(VENV)/bin/analysis data demo

report: data
	$(VENV)/bin/analysis report --config $(CONFIG)
	@echo "analysis: reports are in $(CURDIR)/reports/index.html"

test: $(STAMP)
	$(PY) -m pytest

test-fast: $(STAMP)
	$(PY) -m pytest -m "not slow" -q

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests benchmarks notebooks
	$(VENV)/bin/ruff format --check src tests benchmarks notebooks
	$(VENV)/bin/lint-imports

format: $(STAMP)
	$(VENV)/bin/ruff format src tests benchmarks notebooks
	$(VENV)/bin/ruff check --fix src tests benchmarks notebooks

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis build dist src/*.egg-info
	rm -rf reports/executed reports/html reports/pdf reports/index.html reports/logs reports/data reports/batch.json
	find src tests -name __pycache__ -type d -prune -exec rm -rf {} +
