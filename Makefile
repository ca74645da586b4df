# bulletins: `make help` lists the targets.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help demo test lint corpus clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@command -v $(PY) >/dev/null || { echo "error: $(PY) not found (Python 3.11 is required)" >&2; exit 1; }
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP) ## audit the bundled corpus and print the findings
	$(BIN)/bulletins audit corpus/seed/*.pdf; test $$? -le 1

test: $(STAMP) ## set up the virtualenv and run the tests
	$(BIN)/pytest -q

lint: $(STAMP) ## ruff (check + format) and mypy --strict
	$(BIN)/ruff check pipeline tests corpus/generate
	$(BIN)/ruff format --check pipeline tests corpus/generate
	$(BIN)/mypy

corpus: $(STAMP) ## rebuild corpus PDFs from their sources (needs LibreOffice and fonts-noto-cjk)
	$(BIN)/python -m corpus.generate.seed

clean: ## remove the virtualenv and caches
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
