# bulletins: `make help` lists the targets.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help demo test test-installed system-packages lint lock corpus corpus-large clean eval eval-real bench hostile font-cut

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

# The exact versions of requirements.lock, then the project itself without resolving again:
# the same environment on every machine. --clear drops whatever an older lock installed.
$(STAMP): pyproject.toml requirements.lock
	@command -v $(PY) >/dev/null || { echo "error: $(PY) not found (Python 3.11 is required)" >&2; exit 1; }
	$(PY) -m venv --clear $(VENV)
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/pip check
	touch $(STAMP)

lock: ## pin the newest versions pyproject.toml allows (with every extra) into requirements.lock
	@command -v $(PY) >/dev/null || { echo "error: $(PY) not found (Python 3.11 is required)" >&2; exit 1; }
	rm -rf /tmp/bulletins-lock-venv && $(PY) -m venv /tmp/bulletins-lock-venv
	/tmp/bulletins-lock-venv/bin/pip install --quiet --upgrade pip setuptools
	/tmp/bulletins-lock-venv/bin/pip install --quiet -e '.[all,dev]'
	{ sed -n '1,2p' requirements.lock; \
	  /tmp/bulletins-lock-venv/bin/pip freeze --all --exclude-editable | grep -v '^wheel=='; } > requirements.lock.new
	mv requirements.lock.new requirements.lock
	rm -rf /tmp/bulletins-lock-venv

demo: $(STAMP) ## audit the seed in full, then one line per generated bulletin
	$(BIN)/bulletins audit corpus/seed/*.pdf; test $$? -le 1
	$(BIN)/bulletins audit --format summary corpus/generated/*.pdf; test $$? -le 1

# Debian packages the tests use: chromium renders the HTML reports (tests/test_html_report.py),
# unicode-data brings Unihan_Variants for folding variant characters in department names,
# tesseract-ocr and tesseract-ocr-chi-sim are the second OCR engine (tests/test_ocr_engines.py),
# fonts-noto-cjk is the OFL font the HTML reports embed a subset of and fonts-dejavu-core the
# Latin-only fonts they are rendered with to prove it (tests/test_report_font.py), and
# fonts-arphic-uming and fonts-wqy-microhei the TrueType CJK fonts (serif, sans) the scan
# tests and the reportlab renderer print invented bulletins in (tests/test_ocr.py,
# tests/unit/test_generate_render.py): a fresh machine has neither.
APT_PACKAGES := chromium unicode-data tesseract-ocr tesseract-ocr-chi-sim fonts-noto-cjk fonts-dejavu-core fonts-arphic-uming fonts-wqy-microhei
system-packages: ## install the Debian packages the tests need, when missing (apt-get; root)
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then echo "installing with apt-get: $$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; fi

test: $(STAMP) system-packages ## set up the virtualenv, run the tests, then check the installed wheel
	$(BIN)/pytest -q
	$(BIN)/python tests/check_installed.py

# About 40 s with a warm pip cache: what a user gets from `pip install`, not the checkout.
test-installed: $(STAMP) ## build the wheel, install it in a clean venv, audit the seed from elsewhere (EXTRAS=1: [all] too)
	$(BIN)/python tests/check_installed.py $(if $(EXTRAS),--extras)

eval: $(STAMP) ## run the pipeline over corpus/ and print the scoreboard, then the scans (eval/README.md)
	$(BIN)/python -m eval.scoreboard
	$(BIN)/python -m eval.scans

SPLIT ?= dev
eval-real: $(STAMP) ## score the audit on real bulletins: TEXTS=DIR [SPLIT=dev|test|all] (eval/REAL.md)
	@test -n "$(TEXTS)" || { echo "usage: make eval-real TEXTS=DIR [SPLIT=dev|test] (eval/REAL.md says how to fetch the texts)" >&2; exit 2; }
	$(BIN)/python -m eval.real score --texts $(TEXTS) --split $(SPLIT)

bench: $(STAMP) ## extraction vs pdfplumber and camelot, stages, build 1 vs 2 workers, whole audit processes vs bare pdfplumber, OCR s/page (bench/latest.json)
	$(BIN)/python -m bench
	$(BIN)/python -m bench.ocr

hostile: $(STAMP) ## the 320-input hostile set through audit, extract and build: outcome, CPU time, peak memory (bench/hostile.json)
	$(BIN)/python -m bench.hostile

font-cut: $(STAMP) system-packages ## cut the installed Noto Sans CJK SC to the common cut the reports embed from (docs/reports.md)
	$(BIN)/python -m pipeline.report.font_cut

lint: $(STAMP) ## ruff (check + format) and mypy --strict
	$(BIN)/ruff check pipeline tests corpus/generate eval bench
	$(BIN)/ruff format --check pipeline tests corpus/generate eval bench
	$(BIN)/mypy

corpus: $(STAMP) ## rebuild the seed, corpus/generated (60), generated-growth, -forms, -real-forms (12 each) and -stats-forms (8; corpus/README.md)
	$(BIN)/python -m corpus.generate.seed
	$(BIN)/python -m corpus.generate --out corpus/generated --n 60 --seed 2026
	$(BIN)/python -m corpus.generate --out corpus/generated-growth --first 61 --n 12 --seed 2271 --focus growth,text_rate_table
	$(BIN)/python -m corpus.generate --out corpus/generated-forms --first 73 --n 12 --seed 3000 --producer reportlab \
	  --focus growth_change,topn_share,bracket_share,list_share,parts_sum
	$(BIN)/python -m corpus.generate --out corpus/generated-real-forms --first 85 --n 12 --seed 4000 --producer reportlab \
	  --focus daily_average,rate_named,derived_count,difference,sub_base_share,wan_share,complaint_share
	$(BIN)/python -m corpus.generate --out corpus/generated-stats-forms --first 97 --n 8 --seed 5095 --producer reportlab \
	  --focus structure_ratio,ratio_points,points_gap,named_formula,split_total,small_items,wan_parts,wan_table_growth,topn_table_share

# LibreOffice, fonts-noto-cjk, fonts-arphic-uming and fonts-wqy-microhei must be installed.
N ?= 2000
OUT ?= /tmp/archive
SEED ?= 2026
corpus-large: $(STAMP) ## generate N bulletins into OUT, deterministically from SEED (N=2000 OUT=/tmp/archive)
	$(BIN)/python -m corpus.generate --out $(OUT) --n $(N) --seed $(SEED)

clean: ## remove the virtualenv and caches
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
