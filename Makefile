# Everything a fresh machine needs: `make run` and `make test` create .venv themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench bundle clean screenshot

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/aims-prep gui

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check app tests bench
	$(BIN)/mypy

test: $(STAMP) lint
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench

bundle: $(STAMP)
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN build.spec

clean:
	rm -rf build dist $(VENV)

# The README's screenshot, made by the app itself from a fresh demo engagement.
screenshot: $(STAMP)
	rm -f build/readme-demo.aims && mkdir -p build
	$(BIN)/aims-prep demo build/readme-demo.aims
	QT_QPA_PLATFORM=offscreen $(BIN)/aims-prep screenshot build/readme-demo.aims --tab clauses --select P-A.3.3-01 -o docs/clauses-tab.png
	QT_QPA_PLATFORM=offscreen $(BIN)/aims-prep screenshot build/readme-demo.aims --tab context --select REQ-004 -o docs/context-tab.png
	QT_QPA_PLATFORM=offscreen $(BIN)/aims-prep screenshot build/readme-demo.aims --tab inventory --select AIS-001 -o docs/inventory-tab.png
	QT_QPA_PLATFORM=offscreen $(BIN)/aims-prep screenshot build/readme-demo.aims --tab risks --select R-001 -o docs/risks-tab.png
	QT_QPA_PLATFORM=offscreen $(BIN)/aims-prep screenshot build/readme-demo.aims --tab soa --select A.7.4 -o docs/soa-tab.png
	QT_QPA_PLATFORM=offscreen $(BIN)/aims-prep screenshot build/readme-demo.aims --tab documents --select DOC-010 -o docs/documents-tab.png
