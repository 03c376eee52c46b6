"""Harvesting over HTTP: a PyPI harvester against our provider, and `fonds harvest` into another home.

fonds' own provider runs on pytest-django's live server from the test database; the `fonds
harvest` CLI runs as a subprocess into a separate SQLite home (no DATABASE_URL), so the two
catalogs are really apart, and the harvested records are compared with the served ones.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import unquote

import pytest
from django.db import transaction

from fonds import records as r
from fonds.catalog import models as m
from fonds.catalog.store import documents_with_details, to_record, write_batch
from fonds.settings import get_settings

from .conftest import SEED, require

PAGE = 40


@pytest.fixture(scope="module")
def corpus_batches(corpus) -> list[r.Batch]:
    """The seed page and FRUS 1955-57 vol. XX as read once (writing them per test is fast)."""
    from fonds.ingest import read_file, sha256_of

    paths = [corpus / "seed" / SEED.name, corpus / "frus" / "tei" / "frus1955-57v20.xml"]
    batches = [read_file(path, sha256_of(path)) for path in paths]
    assert all(isinstance(batch, r.Batch) for batch in batches), batches
    return batches


@pytest.fixture
def provider(live_server, transactional_db, corpus_batches, monkeypatch) -> str:
    """The OAI-PMH base URL of a served catalog: the corpus plus a draft and a withdrawn document."""
    test = r.Provenance(format="test")
    extra = [r.Record(id="harvest-draft", title="A draft", status="draft", provenance=test),
             r.Record(id="harvest-withdrawn", title="Withdrawn", status="withdrawn", provenance=test)]
    with transaction.atomic():
        for batch in corpus_batches:
            write_batch(batch)
        write_batch(r.Batch(records=extra))
    monkeypatch.setattr(get_settings(), "oai_page_size", PAGE)
    return f"{live_server.url}/oai"


def published_ids() -> set[str]:
    return set(m.Document.objects.filter(status="published", embargo_until__isnull=True).values_list("id", flat=True))


def revise(doc_id: str, **changes) -> None:
    """Change a served document through the catalog's own write path."""
    record = to_record(documents_with_details().get(id=doc_id))
    with transaction.atomic():
        write_batch(r.Batch(records=[record.model_copy(update=changes)]))


# ---- a real harvester from PyPI against the provider ---------------------------------------------

def test_pypi_harvester_gets_every_published_record_once(provider):
    require(importlib.util.find_spec("oaipmh_scythe") is not None,
            "oaipmh-scythe is not installed (pip install -e .[test])")
    from oaipmh_scythe import Scythe

    expected = published_ids()
    order = list(m.Document.objects.filter(id__in=expected).order_by("updated", "id").values_list("id", flat=True))
    ahead = order[PAGE * 3 + 5]  # changed while the harvester is on the first page
    seen, deleted = [], []
    with Scythe(provider) as scythe:
        assert scythe.identify().deletedRecord == "transient"
        for record in scythe.list_records(metadata_prefix="oai_dc"):
            doc_id = unquote(record.header.identifier.split(":", 2)[2])
            (deleted if record.deleted else seen).append(doc_id)
            if len(seen) + len(deleted) == PAGE - 1:
                revise(ahead, title="Revised while harvested")
            if not record.deleted and doc_id == ahead:
                assert record.metadata["title"] == ["Revised while harvested"]
        one = scythe.get_record(identifier=f"oai:localhost:{order[0]}")
        assert one.metadata["title"][0] == m.Document.objects.get(id=order[0]).title
    assert sorted(seen) == sorted(expected)  # each published record exactly once
    assert deleted == ["harvest-withdrawn"]
    assert len(seen) > PAGE * 7  # it did page through many resumption tokens


# ---- `fonds harvest` into a separate home ------------------------------------------------------

def fonds(home: Path, *args: str) -> subprocess.CompletedProcess:
    """`python -m fonds --home HOME ...` on its own SQLite catalog (no DATABASE_URL)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "FONDS_DATABASE_URL")}
    env["FONDS_HOME"] = str(home)
    return subprocess.run([sys.executable, "-m", "fonds", "--home", str(home), *args],
                          capture_output=True, text=True, env=env, timeout=300)


def harvested(home: Path) -> dict[str, dict]:
    """The documents of a home, by the served document id they were harvested from."""
    result = fonds(home, "export")
    assert result.returncode == 0, result.stderr
    docs = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    return {doc["source"]["parts"]["identifier"].split("/documents/")[1].split("/")[0]: doc
            for doc in docs if "authority" not in doc}


def words(text: str | None) -> str:
    return " ".join((text or "").split())


def test_cli_harvest_maps_dublin_core_and_is_incremental(provider, tmp_path):
    home = tmp_path / "harvest-home"
    first = fonds(home, "harvest", provider)
    assert first.returncode == 0, first.stderr
    public = documents_with_details(m.Document.objects.filter(id__in=published_ids()))
    served = {doc.id: to_record(doc) for doc in public}
    assert f"{len(served) + 1} records in" in first.stdout  # + the withdrawn one, never stored here
    got = harvested(home)
    assert set(got) == set(served)
    # Dublin Core creators are names only: harvest links them to the authorities the archive (here
    # the packaged seed) already has, as the source did, instead of making a bare record per name.
    pairs = [(a["id"], b.id) for doc_id, record in served.items()
             for a, b in zip(got[doc_id]["authors"], record.authors) if b.id != "department-of-state"]
    assert pairs and sum(mine == theirs for mine, theirs in pairs) >= 0.9 * len(pairs)
    for doc_id, record in served.items():
        doc = got[doc_id]
        assert doc["title"] == record.title
        assert (doc["date"] or {}).get("edtf") == (record.date.edtf if record.date else None)
        assert [a["name"] for a in doc["authors"]] == [a.name for a in record.authors]
        assert doc["languages"] == record.languages and doc["type"] == record.type
        assert doc["subjects"] == list(dict.fromkeys(record.topics + record.subjects))
        assert words(doc["summary"]) == words(record.summary)
        assert (doc["source"].get("citation")) == (record.source.citation if record.source else None)
        statement = record.rights.statement if record.rights else None
        assert words((doc["rights"] or {}).get("statement")) == words(statement)
        assert doc["status"] == "published" and doc["provenance"]["format"] == "oai-pmh"
        assert doc["provenance"]["file"].startswith(provider + "?verb=ListRecords")

    # Later runs ask only for what changed since the first response of the last run.
    time.sleep(1.1)
    changed, gone = sorted(served)[10], sorted(served)[11]
    revise(changed, title="A corrected title")
    revise(gone, status="withdrawn")
    with transaction.atomic():
        new = r.Record(id="harvest-new", title="A new document", provenance=r.Provenance(format="test"))
        write_batch(r.Batch(records=[new]))
    second = fonds(home, "harvest", provider)
    assert second.returncode == 0, second.stderr
    assert "1 created, 1 updated" in second.stdout and "1 withdrawn" in second.stdout
    received = int(second.stdout.split(" records")[0])
    assert received < 20, second.stdout  # not the whole repository again
    again = harvested(home)
    assert again[changed]["title"] == "A corrected title"
    assert again[gone]["status"] == "withdrawn" and again[gone]["title"] == got[gone]["title"]  # withdrawn, kept
    assert again["harvest-new"]["title"] == "A new document"
    assert len(again) == len(got) + 1


def test_cli_harvest_of_one_set_and_from_date(provider, tmp_path):
    archive = m.Authority.objects.filter(kind="repository", held_documents__status="published").distinct().first()
    expected = m.Document.objects.filter(status="published", repository=archive).count()
    home = tmp_path / "h"
    result = fonds(home, "harvest", provider, "--set", f"archive:{archive.key}")
    assert result.returncode == 0, result.stderr
    assert len(harvested(home)) == expected
    later = fonds(home, "harvest", provider, "--from", "2999-01-01")  # the whole repository, from a future day
    assert later.returncode == 0, later.stderr
    assert later.stdout.startswith("0 records changed from 2999-01-01")
    assert len(harvested(home)) == expected


def test_cli_harvest_errors_name_the_url_and_store_nothing(provider, tmp_path, live_server):
    home = tmp_path / "h"
    for url, args, message in [
        (live_server.url + "/", (), "not well-formed XML"),  # an HTML page, not OAI-PMH
        (provider, ("--set", "not a set"), "OAI-PMH error badArgument"),
        (provider, ("--from", "yesterday"), "--from must be"),
        ("http://127.0.0.1:9/oai", (), "cannot connect"),
    ]:
        result = fonds(home, "harvest", url, *args)
        assert result.returncode == 1
        assert result.stderr.startswith(f"error: {url}") and message in result.stderr, result.stderr
    assert harvested(home) == {}
