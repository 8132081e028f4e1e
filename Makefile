# The two commands: `make run` (the platform on its embedded defaults) and
# `make test` (the whole suite). Both install what they need first.
UV_VERSION := 0.13.8
UV := python3 -m uv
VENV := .venv/bin

.DEFAULT_GOAL := help
.PHONY: help run run-once test lint install install-test format clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

run: install  ## install, run the pipeline once, then serve Airflow and Superset on 127.0.0.1 (Ctrl-C stops)
	$(VENV)/hub up

run-once: install  ## install, run the pipeline end to end, print a summary and exit
	$(VENV)/hub up --once

test: install-test lint  ## install (with Chromium), lint, run every test
	$(VENV)/python -m pytest

lint: install  ## ruff, the layer contract (import-linter), declared dependencies (deptry), sqlfluff (dbt)
	$(VENV)/ruff check .
	$(VENV)/lint-imports --no-cache
	$(VENV)/deptry .
	$(VENV)/ruff format --check .
	$(VENV)/python -m warehouse.sql_lint lint models

format: install  ## fix what ruff and sqlfluff can fix
	$(VENV)/ruff format .
	$(VENV)/ruff check --fix .
	$(VENV)/python -m warehouse.sql_lint fix models

install:  ## uv, the main venv and Superset's own venv, from the lock files
	@$(UV) --version >/dev/null 2>&1 || python3 -m pip install --quiet "uv==$(UV_VERSION)"
	$(UV) sync --frozen
	$(UV) sync --frozen --project superset_server

install-test: install  ## plus Debian's Chromium for the browser tests
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)

clean:  ## remove local state (databases, logs, generated secrets): asks nothing, keeps nothing
	rm -rf .hub test-artifacts dbt_project/target dbt_project/logs
