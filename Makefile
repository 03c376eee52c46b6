# Quick start: `make demo` serves the bundled sample; `make test` runs the test suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The PostgreSQL the suite's second pass runs on (pytest-django creates and drops test_<name>).
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
TEST_HOME := .test-home
PG_TEST_HOME := .test-home-pg

# Debian packages the tests drive: a real browser and a real OCR engine (never downloaded by tools).
SYSTEM_PACKAGES := chromium fonts-dejavu-core tesseract-ocr tesseract-ocr-eng tesseract-ocr-rus redis-server postgresql-client gettext

.PHONY: demo test test-sqlite test-postgres test-corpus system-packages translations clean

$(BIN)/fonds: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e ".[test]"
	touch $@

demo: $(BIN)/fonds
	$(BIN)/fonds --home fonds-demo demo

# The two passes run side by side (own homes, own Redis databases, own pytest temp folders): on a
# 2-core machine much of each pass waits on subprocesses, servers and the browser, so together
# they take little more than the slower one alone. Each pass's output is printed when it ends.
test: system-packages $(BIN)/fonds
	$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgres

# Installs the Debian packages when they are missing and this is a Debian machine run as root;
# elsewhere the tests that need them skip (or fail under FONDS_REQUIRE_ALL=1).
system-packages:
	@if command -v chromium >/dev/null && command -v tesseract >/dev/null && command -v redis-server >/dev/null && command -v pg_dump >/dev/null; then :; \
	elif command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
		echo "== installing $(SYSTEM_PACKAGES)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(SYSTEM_PACKAGES) >/dev/null; \
	else echo "== chromium, tesseract or redis-server missing: their tests will skip (install: $(SYSTEM_PACKAGES))"; fi

# The suite runs from the fixtures under tests/ alone; tests marked `corpus` read the large corpora of
# ../shared and run in their own target.
test-sqlite: $(BIN)/fonds
	FONDS_HOME=$(TEST_HOME) FONDS_TEST_BROKER_URL=redis://127.0.0.1:6379/1 $(BIN)/pytest -m "not corpus" \
		--basetemp=/tmp/fonds-pytest-sqlite

# Runs when PostgreSQL answers; under FONDS_REQUIRE_ALL=1 (CI) it runs regardless, so a missing
# server fails the build instead of being skipped. Tests marked `database_independent` (the library's,
# and browser tests serving a SQLite home of their own) would only repeat the SQLite pass: left out.
test-postgres: $(BIN)/fonds
	@if [ "$$FONDS_REQUIRE_ALL" = "1" ] || $(BIN)/python -c "import psycopg; psycopg.connect('$(PG_URL)', connect_timeout=3).close()" 2>/dev/null; then \
		echo "== test suite on PostgreSQL ($(PG_URL))"; \
		FONDS_HOME=$(PG_TEST_HOME) DATABASE_URL=$(PG_URL) FONDS_TEST_BROKER_URL=redis://127.0.0.1:6379/2 \
			$(BIN)/pytest -m "not corpus and not database_independent" --basetemp=/tmp/fonds-pytest-postgres; \
	else \
		echo "== PostgreSQL not reachable at $(PG_URL): skipping the PostgreSQL pass"; \
	fi

# Tests over the whole sets of ../shared/corpus (or $$FONDS_CORPUS): ingest every set end to end.
test-corpus: system-packages $(BIN)/fonds
	FONDS_HOME=$(TEST_HOME) $(BIN)/pytest -m corpus

# The interface's translations: collect the messages of templates and code into
# src/fonds/locale/$(LANGUAGE)/LC_MESSAGES/django.po (Django's makemessages, which needs Debian's
# gettext), then compile every catalog to the .mo that is committed beside it (polib, no gettext needed).
LANGUAGE ?= ru
translations: $(BIN)/fonds
	cd src/fonds && DJANGO_SETTINGS_MODULE=fonds.site FONDS_HOME=$(CURDIR)/$(TEST_HOME) \
		$(CURDIR)/$(BIN)/django-admin makemessages -l $(LANGUAGE) --add-location file --no-obsolete
	$(BIN)/python -c "import glob, polib; [polib.pofile(p).save_as_mofile(p[:-3] + '.mo') for p in glob.glob('src/fonds/locale/*/LC_MESSAGES/django.po')]"

clean:
	rm -rf $(VENV) $(TEST_HOME) $(PG_TEST_HOME) fonds-demo
