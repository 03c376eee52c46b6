"""The index follows the catalog's change log: every write arrives, crashes lose nothing, reindex swaps."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
import os

import pytest

from fonds.catalog import indexer
from fonds.catalog import models as m
from fonds.catalog.ingest import Ingest
from fonds.search import index as search_index
from fonds.search.engine import Search, SearchRequest
from tests.conftest import database_url

SEED = "000_6e32ea4dc738cddf"


def found(root, query: str) -> list[str]:
    return [hit.id for hit in Search(root).search(SearchRequest(query=query, page_size=100)).hits]


def total(root, query: str = "") -> int:
    return Search(root).search(SearchRequest(query=query)).total


def published() -> int:
    return m.Document.objects.filter(status="published").count()


@pytest.mark.django_db
def test_every_kind_of_write_reaches_the_index(seed_file, tmp_path):
    root = tmp_path / "index"
    Ingest([seed_file], jobs=1, status="published").run()
    assert found(root, "Proletarians") == []  # not applied yet
    assert indexer.catch_up(root) == 1
    assert found(root, "Proletarians") == [SEED]
    assert search_index.read_position(search_index.IndexStore(root).current_path()) == indexer.latest_seq()

    doc = m.Document.objects.get(id=SEED)
    doc.title = "Renamed Presidium decision"
    doc.save()  # an edit: the signal appends to the change log in the same transaction
    indexer.catch_up(root)
    assert found(root, "title:renamed") == [SEED]

    doc.status = "withdrawn"
    doc.save()
    indexer.catch_up(root)
    assert found(root, "Proletarians") == []

    doc.status = "published"
    doc.save()
    indexer.catch_up(root)
    assert found(root, "Proletarians") == [SEED]

    doc.delete()
    assert m.Change.objects.filter(document_id=SEED, op="delete").exists()
    indexer.catch_up(root)
    assert found(root, "Proletarians") == []


@pytest.mark.django_db
def test_drafts_are_not_read_back_for_the_index(corpus, tmp_path):
    """An ingest of drafts (a new home's default) gives the index nothing to hold: catching up reads
    no document back, and a published document made a draft again leaves the index."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    root = tmp_path / "index"
    Ingest([corpus / "frus" / "tei" / "frus1955-57v20.xml"], jobs=1, status="draft").run()
    with CaptureQueriesContext(connection) as queries:
        assert indexer.catch_up(root) > 0
    assert not [q["sql"] for q in queries if m.TextLayer._meta.db_table in q["sql"]]
    assert total(root) == 0

    doc = m.Document.objects.order_by("id").first()
    doc.status = "published"
    doc.save()
    indexer.catch_up(root)
    assert total(root) == 1
    doc.status = "draft"
    doc.save()
    indexer.catch_up(root)
    assert total(root) == 0


@pytest.mark.django_db(transaction=True)
def test_index_of_an_older_schema_is_rebuilt_on_catch_up(seed_file, tmp_path):
    """An index written before a field was added (the withheld facet) cannot be opened with today's
    schema: catching up builds a new generation from the catalog instead of failing."""
    import tantivy

    root = tmp_path / "index"
    Ingest([seed_file], jobs=1, status="published").run()
    store = search_index.IndexStore(root)
    old = root / "gen-old"
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True)
    old.mkdir(parents=True)
    tantivy.Index(builder.build(), path=str(old))
    store.switch(old)
    assert not search_index.schema_matches(store.current_path())
    indexer.catch_up(root)
    assert store.current_path() != old and search_index.schema_matches(store.current_path())
    assert found(root, "Proletarians") == [SEED]


@pytest.mark.django_db
def test_embargo_applies_at_search_time(seed_file, tmp_path):
    root = tmp_path / "index"
    Ingest([seed_file], jobs=1, status="published").run()
    doc = m.Document.objects.get(id=SEED)
    doc.embargo_until = "2999-01-01"
    doc.save()
    indexer.catch_up(root)
    assert found(root, "Proletarians") == []
    engine = Search(root)
    from datetime import date

    later = engine.search(SearchRequest(query="Proletarians"), today=date(2999, 1, 1))
    assert [h.id for h in later.hits] == [SEED]


@pytest.mark.django_db
def test_crash_before_commit_loses_nothing(sample_catalog, tmp_path, monkeypatch):
    root = tmp_path / "index"
    monkeypatch.setattr(indexer, "CHUNK", 50)
    real_upsert, calls = search_index.IndexWriter.upsert, {"n": 0}

    def crashing_upsert(self, docs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("simulated crash in the middle of a chunk")
        return real_upsert(self, docs)

    monkeypatch.setattr(search_index.IndexWriter, "upsert", crashing_upsert)
    with pytest.raises(RuntimeError):
        indexer.catch_up(root)
    path = search_index.IndexStore(root).current_path()
    assert 0 < search_index.read_position(path) < indexer.latest_seq()
    assert total(root) == 100  # two chunks of 50 committed, the third not
    monkeypatch.setattr(search_index.IndexWriter, "upsert", real_upsert)
    indexer.catch_up(root)
    assert total(root) == published()


@pytest.mark.django_db
def test_crash_between_commit_and_position_reapplies_harmlessly(sample_catalog, tmp_path, monkeypatch):
    root = tmp_path / "index"
    real = search_index.write_position

    def crash(path, seq):
        raise OSError("simulated crash after tantivy committed")

    monkeypatch.setattr(search_index, "write_position", crash)
    with pytest.raises(OSError):
        indexer.catch_up(root)
    assert search_index.read_position(search_index.IndexStore(root).current_path()) == 0
    monkeypatch.setattr(search_index, "write_position", real)
    indexer.catch_up(root)
    assert total(root) == published()  # re-applied without duplicates
    assert total(root, "Proletarians") == 1


@pytest.mark.django_db
def test_reindex_builds_aside_and_switches(sample_catalog, tmp_path):
    root = tmp_path / "index"
    indexer.catch_up(root)
    store = search_index.IndexStore(root)
    old = store.current_path()
    engine = Search(root)
    before = engine.search(SearchRequest(query="disarmament")).total

    def edit_during_build(count):
        # A change arriving while the new generation is being built must not be lost.
        if not m.Document.objects.filter(title="Edited during reindex").exists():
            doc = m.Document.objects.get(id=SEED)
            doc.title = "Edited during reindex"
            doc.save()
        assert engine.search(SearchRequest(query="disarmament")).total == before  # the old index still serves

    assert indexer.rebuild(root, progress=edit_during_build) == published()
    assert store.current_path() != old and not old.exists()
    assert engine.search(SearchRequest(query="disarmament")).total == before  # the same searcher reopened
    assert [h.id for h in engine.search(SearchRequest(query='title:"edited during reindex"')).hits] == [SEED]


def _group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
        return True
    except ProcessLookupError:
        return False


def test_kill_9_during_ingest_then_rerun_completes(cli, corpus, tmp_path):
    """A real `fonds ingest` killed at an arbitrary moment, then run again: catalog and index agree."""
    volumes = [corpus / "frus" / "tei" / "frus1955-57v20.xml", corpus / "frus" / "tei" / "frus1961-63v05.xml", corpus / "seed"]
    env = {**os.environ, "DATABASE_URL": database_url(), "FONDS_HOME": str(tmp_path / "home")}
    process = subprocess.Popen([sys.executable, "-m", "fonds", "ingest", *map(str, volumes)], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    time.sleep(3.0)
    process.send_signal(signal.SIGKILL)  # the ingest only: its reader processes must notice and end
    process.wait()
    deadline = time.monotonic() + 15
    while _group_alive(process.pid):
        assert time.monotonic() < deadline, "reader processes outlived the killed ingest"
        time.sleep(0.2)
    assert cli("ingest", *map(str, volumes)).returncode == 0
    assert m.Document.objects.count() == 317 + 390 + 1
    search = cli("search", "", "--json", check=True)
    import json

    assert json.loads(search.stdout)["total"] == published()


@pytest.mark.django_db
def test_a_follower_between_long_rounds_stops_when_told(sample_catalog, tmp_path):
    """An ingest's indexing process waits seconds between rounds (`ingest_index_interval`); told to
    stop, it stops at once rather than after its wait, having applied every change before it."""
    from fonds.catalog.follower import follow

    root = tmp_path / "index"
    rounds, started = [], time.monotonic()

    def running() -> bool:
        rounds.append(time.monotonic())
        return len(rounds) < 3  # the first round, a look during the wait, then "stop"

    follow(root, 30.0, running=running)
    assert time.monotonic() - started < 15  # not the 30 s of the wait
    assert total(root) == published() > 0
