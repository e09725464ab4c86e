# Everything a newcomer needs: `make up` runs the platform, `make test` proves it.
# Both create .venv and install the project on first use, with Python 3.11, 3.12 or
# 3.13 (PYTHON=python3.12 make ... picks one; deploy/pythons.py says which are supported).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
TEST_AMQP_URI := $${AMQP_URI:-amqp://guest:guest@127.0.0.1:5672/}
# The tiers `make test` (and so CI) also runs on every other supported Python found
# here; `make test-pythons` runs unit, domain and service on all of them.
PYTHONS_TIERS ?= unit
# And what else those runs are given (-m "not postgres", say).
PYTHONS_PYTEST_ARGS ?=

.PHONY: up test test-pythons test-clock chaos fuzz lint format bench bench-catalog bench-public-catalogue bench-people bench-events bench-feedback bench-webhooks bench-poison bench-limits bench-writes bench-insight clean down

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m deploy.pythons install $(VENV)

up: $(BIN)/.installed
	$(BIN)/pustaka up

down:
	$(BIN)/pustaka down

# ruff for style; import-linter for the layers (pyproject.toml: [tool.importlinter]);
# the pages' texts extracted (babel.cfg) and each found in every message catalogue.
lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	@pot=$$(mktemp --suffix=.pot) && trap 'rm -f "$$pot"' EXIT && \
	  $(BIN)/pybabel -q extract -F babel.cfg -o "$$pot" gateway/web && \
	  $(BIN)/python -W ignore -m gateway.web.catalogues "$$pot"

format: $(BIN)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Five runs side by side (deploy/beside.py: the first's output as it comes, the others'
# after it): the end-to-end tier; the unit, domain and service tiers and the fault
# suite; the browser tier; the other Pythons' tiers; `make lint`. Much of each waits on
# the broker, the databases and the platforms' start, so together they take little
# longer than the longest alone. Any one failing fails the whole.
test: $(BIN)/.installed
	$(BIN)/python -m deploy.broker --management
	$(BIN)/python -m deploy.redis --installed
	$(BIN)/python -m deploy.browser
	$(BIN)/python -m deploy.beside \
	  ::: $(BIN)/pytest --amqp-uri "$(TEST_AMQP_URI)" tests/e2e $(PYTEST_ARGS) \
	  ::: $(BIN)/pytest --amqp-uri "$(TEST_AMQP_URI)" tests/unit tests/domain tests/service tests/chaos $(PYTEST_ARGS) \
	  ::: $(BIN)/pytest --amqp-uri "$(TEST_AMQP_URI)" tests/browser $(PYTEST_ARGS) \
	  ::: $(BIN)/python -m deploy.pythons test --others --tiers $(PYTHONS_TIERS) --amqp-uri "$(TEST_AMQP_URI)" -- $(PYTHONS_PYTEST_ARGS) \
	  ::: make --no-print-directory lint

test-pythons: $(BIN)/.installed
	$(BIN)/python -m deploy.broker --management
	$(BIN)/python -m deploy.pythons test --amqp-uri "$(TEST_AMQP_URI)" -- $(PYTEST_ARGS)

# The fault suite's long form (tests/chaos): every fault on SQLite and PostgreSQL, a
# minute's stop of a consuming part, and the three-node cluster. It starts RabbitMQ
# nodes of its own, and never touches the machine's shared node.
chaos: $(BIN)/.installed
	PUSTAKA_CHAOS=long $(BIN)/pytest -s -q -p no:cacheprovider --timeout 1800 tests/chaos

# The tests that once hung on the hour or the date, run at several moments with the
# clock moved by Debian's faketime (tests/clock.py says which and why; about 20 min).
# Not in `make test` nor CI: the tests take no clock but their own.
test-clock: $(BIN)/.installed
	$(BIN)/python -m deploy.broker --management
	$(BIN)/python -m deploy.browser
	$(BIN)/python tests/clock.py --amqp-uri "$(TEST_AMQP_URI)"

# schemathesis, longer than the suite's run and from a fresh seed, printing what it sent
# and what came back: `PUSTAKA_FUZZ_EXAMPLES=500 make fuzz`, or a seed to repeat a run.
fuzz: $(BIN)/.installed
	$(BIN)/python -m deploy.broker --management
	PUSTAKA_FUZZ_EXAMPLES=$${PUSTAKA_FUZZ_EXAMPLES:-200} PUSTAKA_FUZZ_SEED=$${PUSTAKA_FUZZ_SEED:-random} \
	PUSTAKA_FUZZ_DATABASES=$${PUSTAKA_FUZZ_DATABASES:-sqlite,postgresql} \
	  $(BIN)/pytest -s -q -p no:cacheprovider --timeout 3600 --amqp-uri "$(TEST_AMQP_URI)" \
	  tests/e2e/test_contract.py

bench: $(BIN)/.installed
	$(BIN)/python -m deploy.broker
	$(BIN)/python tests/bench/foundation.py

bench-catalog: $(BIN)/.installed
	$(BIN)/python tests/bench/catalog_search.py

bench-public-catalogue: $(BIN)/.installed
	$(BIN)/python -m deploy.broker
	$(BIN)/python tests/bench/public_catalogue.py

bench-people: $(BIN)/.installed
	$(BIN)/python -m deploy.broker
	$(BIN)/python tests/bench/people.py

bench-events: $(BIN)/.installed
	$(BIN)/python -m deploy.broker --management
	$(BIN)/python tests/bench/events.py

bench-feedback: $(BIN)/.installed
	$(BIN)/python -m deploy.broker --management
	$(BIN)/python tests/bench/feedback.py

# BENCH_WEBHOOKS_OUTAGE=1 adds the receiver-down-60-s phase (about 3 min more).
bench-webhooks: $(BIN)/.installed
	$(BIN)/python -m deploy.broker --management
	$(BIN)/python tests/bench/webhooks.py

# Every part's latency alone and beside 1,000 malformed requests; what each parked.
bench-poison: $(BIN)/.installed
	$(BIN)/python -m deploy.broker --management
	$(BIN)/python tests/bench/poison.py
bench-limits: $(BIN)/.installed
	$(BIN)/python -m deploy.broker --management
	$(BIN)/python -m deploy.redis --installed
	$(BIN)/python tests/bench/limits.py

# Every write route beside nameko-examples' POST /orders, and the uncached reads beside
# its GET /orders/<id>, on SQLite and PostgreSQL, then the title write on a catalogue
# of 1,000,000 titles (about 15 minutes, 6 s a run; the first builds that catalogue,
# about 5 minutes more).
bench-writes: $(BIN)/.installed
	$(BIN)/python -m deploy.broker --management
	BENCH_SECONDS=$${BENCH_SECONDS:-6} $(BIN)/python tests/bench/writes.py

# The dashboard over 3 years at 5 branches, 200 events/s to the dashboard, the rebuild.
bench-insight: $(BIN)/.installed
	$(BIN)/python -m deploy.broker --management
	$(BIN)/python tests/bench/insight.py

clean:
	rm -rf $(VENV) $(VENV)-3.* var .pytest_cache
