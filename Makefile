# Two set-up commands: `make run` and `make test`. Both install what is missing
# (Debian packages, the virtual environment) before they do their work.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
APT_PACKAGES := tesseract-ocr tesseract-ocr-vie tesseract-ocr-osd fonts-liberation2 fonts-dejavu-core python3-venv chromium
STAMP := $(VENV)/.installed

.PHONY: run test bench system lint clean

system:
	@./scripts/install-system.sh $(APT_PACKAGES)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	@touch $(STAMP)

venv: system $(STAMP)

run: venv
	$(BIN)/congvan serve --ingest-samples

test: venv
	./scripts/test.sh

bench: venv
	$(BIN)/python -m bench

lint: venv
	$(BIN)/ruff check ingest extract service samples tests bench
	$(BIN)/mypy ingest extract service bench

clean:
	rm -rf $(VENV) .pytest_cache
