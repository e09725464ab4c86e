# Everything a newcomer needs: `make up` runs the platform, `make test` proves it.
# Both create .venv and install the project on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: up test lint format bench bench-catalog clean down

$(BIN)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11) and "Pustaka needs Python 3.11 (PYTHON=python3.11 make ...)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

up: $(BIN)/.installed
	$(BIN)/python -m deploy.local

down:
	$(BIN)/python -m deploy.local down

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(BIN)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: lint
	$(BIN)/python -m deploy.broker --management
	$(BIN)/python -m deploy.browser
	$(BIN)/pytest --amqp-uri "$${AMQP_URI:-amqp://guest:guest@127.0.0.1:5672/}" $(PYTEST_ARGS)

bench: $(BIN)/.installed
	$(BIN)/python -m deploy.broker
	$(BIN)/python tests/bench/foundation.py

bench-catalog: $(BIN)/.installed
	$(BIN)/python tests/bench/catalog_search.py

clean:
	rm -rf $(VENV) var .pytest_cache
