"""Shared fixtures. With FONDS_REQUIRE_ALL=1 (as in CI) a missing component fails instead of skipping."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from fonds.settings import get_settings

REPO = Path(__file__).resolve().parents[1]
# Real documents the suite needs, committed under tests/ in the layout of the large corpora, so a
# fresh clone runs every test (see tests/fixtures/corpus/README.md for sources and licenses).
CORPUS = REPO / "tests" / "fixtures" / "corpus"
SEED = CORPUS / "seed" / "000_6e32ea4dc738cddf.txt"
SAMPLES = REPO / "samples"
CHROMIUM = Path("/usr/bin/chromium")
# Search pages in tests wait for their facet counts however long a busy machine takes, so that what
# a test reads from a page does not depend on timing; tests/test_web_search.py sets 0 to test pages
# that go out before their counts.
os.environ.setdefault("FONDS_COUNTS_WAIT", "30")
# Tests read what the views do on each request; the pages a web process keeps (fonds.web.pagestore)
# have their own tests, in tests/test_pagestore.py, which turn the store on.
os.environ.setdefault("FONDS_PAGE_STORE_MB", "0")
# pytest-django sets Django up (and so reads the settings) before this file is read: read them again,
# so that the defaults above hold from the first test on.
get_settings.cache_clear()


def require(condition: bool, reason: str) -> None:
    """Skip when a component is missing, or fail when FONDS_REQUIRE_ALL=1 demands everything."""
    if condition:
        return
    if os.environ.get("FONDS_REQUIRE_ALL") == "1":
        pytest.fail(f"required component missing: {reason}")
    pytest.skip(reason)


# Fixtures that reach the database the run is on (their closure is what a test uses).
DATABASE_FIXTURES = {"db", "transactional_db", "django_db_setup", "live_server"}


def pytest_collection_modifyitems(config, items) -> None:
    """A test marked `database_independent` is left out of the PostgreSQL pass, so it must not use
    that pass's database: one that does is a mistake in its marks, and stops the run here."""
    wrong = [item.nodeid for item in items if item.get_closest_marker("database_independent")
             and (item.get_closest_marker("django_db") or DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())))]
    if wrong:
        raise pytest.UsageError("marked database_independent but using the run's database: " + ", ".join(wrong))


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The committed pieces of the real corpora (tests/fixtures/corpus)."""
    return CORPUS


@pytest.fixture(scope="session")
def seed_file(corpus) -> Path:
    return corpus / "seed" / SEED.name


def database_url() -> str:
    """A URL for the database the test run is using, for CLI subprocesses to share it."""
    from django.db import connection

    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    user, host, port = settings["USER"] or "postgres", settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432
    return f"postgres://{user}@{host}:{port}/{settings['NAME']}"


@pytest.fixture
def cli(transactional_db, tmp_path):
    """Run `python -m fonds` in a subprocess against the test database; returns CompletedProcess."""
    url = database_url()

    def run(*args: str, check: bool = False, input: str = "", env: dict | None = None,
            timeout: float = 600) -> subprocess.CompletedProcess:
        env = {**os.environ, "DATABASE_URL": url, "FONDS_HOME": str(tmp_path / "home"), **(env or {})}
        result = subprocess.run([sys.executable, "-m", "fonds", *args], capture_output=True, text=True, env=env,
                                timeout=timeout, input=input)
        if check and result.returncode != 0:
            raise AssertionError(f"fonds {' '.join(args)} failed ({result.returncode}):\n{result.stderr}")
        return result

    return run


def free_port() -> int:
    """A TCP port nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get_when_up(url: str, deadline: float) -> bytes:
    """The body at `url`, asked again until a server answers or `deadline` (monotonic) passes."""
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


@contextmanager
def serving(env: dict, workers: int = 2, first: str = "/search?q=disarmament") -> Iterator[str]:
    """`fonds serve` on a free port with `env`: yields its base URL once `first` answers (a first
    search also waits for the node's index), and stops the server afterwards."""
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "fonds", "serve", "--port", str(port), "--workers", str(workers)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        get_when_up(base + first, time.monotonic() + 60)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


# Flags for Debian's Chromium here: no sandbox as root, and no background connections, which this
# machine's closed network would refuse many at a time.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def launch_chromium(playwright, chromium_path: Path):
    """Headless Debian Chromium under Playwright (never a downloaded browser)."""
    return playwright.chromium.launch(executable_path=str(chromium_path), headless=True, args=CHROMIUM_ARGS)


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    require(CHROMIUM.exists() or bool(shutil.which("chromium")), "Debian's chromium is not installed (/usr/bin/chromium)")
    return CHROMIUM


@pytest.fixture(scope="module")
def browser(chromium_path):
    """One Chromium per test module (the browser tests' pages are opened from it)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright, chromium_path)
        try:
            yield chromium
        finally:
            chromium.close()


WITHDRAWN_ID = "withdrawn-memo"  # the withdrawn record of `themed_records` (its page answers 410)


def themed_records(folder: Path) -> Path:
    """A JSON Lines file of two records for a served archive: a published memo under a topic and a
    subject heading (the FRUS volume and the seed page have neither, and their pages need one), and
    a withdrawn memo."""
    records = [
        {"id": "themed-memo", "title": "Memorandum on a test ban", "status": "published",
         "date": {"edtf": "1956-04-10", "min": "1956-04-10", "max": "1956-04-10"},
         "topics": ["Nuclear Disarmament"], "subjects": ["Test ban"],
         "texts": [{"kind": "original", "language": "en", "body": "A memorandum on a test ban."}]},
        {"id": WITHDRAWN_ID, "title": "Withdrawn memorandum", "status": "withdrawn",
         "texts": [{"kind": "original", "language": "en", "body": "No longer published."}]},
    ]
    path = folder / "themed.jsonl"
    path.write_text("\n".join(json.dumps(record) for record in records), encoding="utf-8")
    return path


def empty_catalog() -> None:
    """Delete every catalog row (children first, since authorities are protected)."""
    from fonds.catalog import models as m

    for model in (m.Document, m.NameVariant, m.Authority, m.Topic, m.Subject, m.SourceFile, m.Change, m.Revision):
        model.objects.all().delete()


@pytest.fixture(scope="module")
def sample_catalog(django_db_setup, django_db_blocker, corpus):
    """The seed page and FRUS 1955-57 vol. XX ingested (published) once per module, removed afterwards."""
    from fonds.catalog.ingest import Ingest

    files = [corpus / "seed" / SEED.name, corpus / "frus" / "tei" / "frus1955-57v20.xml"]
    with django_db_blocker.unblock():
        report = Ingest(files, jobs=1, status="published").run()
        assert report.errors == []
        yield report
        empty_catalog()


@pytest.fixture(scope="module")
def sample_index(sample_catalog, django_db_blocker, tmp_path_factory):
    """The sample catalog indexed once for the module, in an index folder of its own."""
    from fonds.catalog import indexer

    root = tmp_path_factory.mktemp("index")
    with django_db_blocker.unblock():
        indexer.catch_up(root)
    return root


@pytest.fixture
def fresh_index(monkeypatch, tmp_path):
    """Point this node's search index at an empty folder for one test (and forget cached searchers)."""
    from fonds.archive import search
    from fonds.catalog import indexer

    root = tmp_path / "index"
    monkeypatch.setattr(indexer, "index_root", lambda: root)
    search.forget_searcher()
    yield root
    search.forget_searcher()


@pytest.fixture
def busy_counters():
    """The threads that count facets kept busy until the test lets them go, so a page cannot get
    its counts in time however fast the machine."""
    import threading

    from fonds.archive import search

    gate = threading.Event()
    held = [search._COUNTERS.submit(gate.wait) for _ in range(search._COUNTERS._max_workers)]
    yield gate
    gate.set()
    for future in held:
        future.result()


@pytest.fixture
def counts_after_page(monkeypatch, busy_counters):
    """Search pages go out without waiting for their counts, and cannot get them until the test
    sets the gate returned."""
    monkeypatch.setenv("FONDS_COUNTS_WAIT", "0")
    get_settings.cache_clear()
    yield busy_counters
    get_settings.cache_clear()  # monkeypatch puts the variable back after this
