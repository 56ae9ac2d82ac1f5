# The two commands a newcomer needs: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt

.PHONY: run test check lint typecheck pytest chromium mailserver bench constraints clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime: pyproject.toml constraints.txt | $(BIN)/python
	$(PIP) -e .
	@touch $@

$(VENV)/.test: pyproject.toml constraints.txt $(VENV)/.runtime
	$(PIP) -e ".[test]"
	@touch $@

## make run: set up, migrate, load demo data on first run, start web server and worker
run: $(VENV)/.runtime
	$(BIN)/amends migrate --verbosity 0
	$(BIN)/amends demo --if-empty
	$(BIN)/amends run

## make test: lint, type-check, and the whole suite on SQLite (and PostgreSQL when
## AMENDS_TEST_POSTGRES_URL is set)
test: $(VENV)/.test check chromium mailserver pytest

## the browser tests drive Debian's Chromium (never a downloaded one); install it when missing
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "== installing Debian's chromium for the browser tests"; \
		SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
		$$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q chromium; \
	}

## the mail-in system tests start a real IMAP server (Dovecot); install it when missing
mailserver:
	@command -v dovecot >/dev/null 2>&1 || [ -x /usr/sbin/dovecot ] || { \
		echo "== installing Dovecot (IMAP) for the mail-in system tests"; \
		SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
		$$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q dovecot-imapd; \
	}

check: $(VENV)/.test
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

## the suite runs on every core (pytest-xdist); PYTEST_ARGS= runs it in one process
PYTEST_ARGS ?= -n auto
pytest: $(VENV)/.test
	$(BIN)/pytest $(PYTEST_ARGS)
	@if [ -n "$$AMENDS_TEST_POSTGRES_URL" ]; then \
		echo "== the suite again on PostgreSQL"; \
		AMENDS_DATABASE_URL="$$AMENDS_TEST_POSTGRES_URL" $(BIN)/pytest $(PYTEST_ARGS); \
	fi

bench: $(VENV)/.test
	$(BIN)/python bench/run_all.py

## make constraints: re-pin every transitive dependency after changing pyproject.toml
constraints: | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	$(BIN)/pip freeze --exclude-editable | grep -v '^amends' > constraints.txt

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
