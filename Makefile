# The first commands on a fresh machine: `make demo` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
OUT ?= outputs

.PHONY: setup demo test lint templates bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'  # dev includes web
	touch $(STAMP)

setup: $(STAMP)

demo: setup
	$(BIN)/assembler build answers/*.yaml -o $(OUT)
	@echo
	@echo "Packages written to $(OUT)/, one folder per example; try: $(BIN)/assembler plan answers/example.yaml"
	@echo "In a browser: $(BIN)/assembler serve, then open http://127.0.0.1:8000"

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy assembler

test: lint
	$(BIN)/pytest

# Rebuild the committed .docx/.xlsx templates from their generator scripts.
templates: setup
	$(PY) templates/src/make_docx_templates.py
	$(PY) templates/src/make_xlsx_template.py
	$(PY) templates/src/make_checklist_template.py
	$(PY) templates/src/make_pptx_template.py

bench: setup
	$(PY) benchmarks/bench_build.py
	$(PY) benchmarks/bench_diff.py
	$(PY) benchmarks/bench_cold.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache $(OUT)/*/ build *.egg-info
