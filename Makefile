# The README's two commands: `make run` and `make test`. Everything else here serves them.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
# test processes: one per core, at most 4 (each starts its own servers and browser)
TEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 1); [ $$n -gt 4 ] && n=4; echo $$n)

.PHONY: run test fuzz lint format clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); scripts/ensure-debian-packages.sh python3-venv && $(PYTHON) -m venv $(VENV); }

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

## make run [HOST=127.0.0.1 PORT=8000]: install, migrate, serve on SQLite, in-process cache/limiter/jobs
run: $(VENV)/.installed
	$(BIN)/kreyol db upgrade
	$(BIN)/kreyol users create-admin --if-missing
	@echo "open http://$(HOST):$(PORT)/ in a browser and sign in on the Account page (Kont) with that password"
	@echo "the command line is $(BIN)/kreyol (or run: . $(BIN)/activate); make run HOST=… PORT=… to listen elsewhere"
	$(BIN)/kreyol serve --host $(HOST) --port $(PORT)

## make test [TEST_WORKERS=N]: install test tools and servers (redis-server, postgresql), lint,
## run the suite, a file per worker process
test: $(VENV)/.installed-test
	scripts/ensure-test-servers.sh
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile

## make fuzz: the schemathesis suite (also part of make test, with a small budget) run deeper
FUZZ_EXAMPLES ?= 100
fuzz: $(VENV)/.installed-test
	scripts/ensure-test-servers.sh
	KREYOL_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest -p no:cacheprovider --timeout 3600 \
		tests/test_fuzz_schemathesis.py

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
