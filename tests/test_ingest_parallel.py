"""The parallel ingest (reader processes, one writer) against the serial one, on the real catalog
and index: the same catalog whatever the number of readers, a bad file among good ones named and
storing nothing, and the search index built alongside a large `fonds ingest`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from fonds.catalog import models as m
from fonds.catalog.indexer import index_docs
from fonds.catalog.ingest import Ingest
from fonds.catalog.store import documents_with_details, to_record
from fonds.ingest import discover
from tests.conftest import empty_catalog

pytestmark = pytest.mark.django_db


def ingest(paths: list[Path], jobs: int):
    return Ingest(list(discover(paths)), jobs=jobs).run()


def catalog() -> dict[str, list]:
    """Everything an ingest stores, by stable keys (never row numbers), in a comparable form."""
    return {
        "documents": sorted(m.Document.objects.values_list("id", "content_sha256", "repository__key", "status")),
        "authorities": sorted(m.Authority.objects.values_list("kind", "key", "name", "abbreviation", "dates",
                                                              "description")),
        "variants": sorted(m.NameVariant.objects.values_list("authority__kind", "authority__key", "position", "name")),
        "mentions": sorted(m.Mention.objects.values_list("document_id", "role", "position", "authority__kind",
                                                         "authority__key", "name", "confidence", "pending")),
        "findings": sorted((doc, position, field, json.dumps(value, sort_keys=True), source, confidence, enricher)
                           for doc, position, field, value, source, confidence, enricher in
                           m.Finding.objects.values_list("document_id", "position", "field", "value", "source",
                                                         "confidence", "enricher")),
        "texts": sorted(m.TextLayer.objects.values_list("document_id", "position", "kind", "language", "body")),
        "topics": sorted(m.DocumentTopic.objects.values_list("document_id", "topic__name", "position")),
        "relations": sorted(m.Relation.objects.values_list("document_id", "position", "target_id", "relation")),
        # The history and the change log in the order they were written.
        "history": list(m.Revision.objects.order_by("id").values_list("kind", "object_id", "created", "snapshot")),
        "change log": list(m.Change.objects.order_by("seq").values_list("document_id", "op")),
        "files": sorted(m.SourceFile.objects.values_list("path", "sha256", "records")),
    }


def test_parallel_ingest_stores_what_the_serial_one_does(corpus):
    # Two FRUS volumes name many of the same people (and make new authorities for some), the
    # Russian sheet makes people from Cyrillic names: the cases where readers in parallel could
    # make an authority twice, or differently depending on which file is stored first.
    files = [corpus / "frus" / "tei" / "frus1961-63v05.xml", corpus / "seed", corpus / "russian",
             corpus / "frus" / "tei" / "frus1955-57v20.xml"]
    serial = ingest(files, jobs=1)
    assert serial.errors == [] and serial.created > 700
    expected = catalog()
    empty_catalog()
    parallel = ingest(files, jobs=2)
    assert (parallel.created, parallel.errors) == (serial.created, [])
    found = catalog()
    assert {key: len(rows) for key, rows in found.items()} == {key: len(rows) for key, rows in expected.items()}
    for key in expected:
        assert found[key] == expected[key], key
    # The index reads documents back as plain values (record_parts): the same records the pages
    # and exports read through the ORM, links waiting for a curator left out.
    assert m.Mention.objects.filter(pending=True).exists()
    ids = list(m.Document.objects.values_list("id", flat=True))
    docs, gone = index_docs(ids)
    assert not gone
    assert {doc.record.id: doc.record for doc in docs} == {
        doc.id: to_record(doc) for doc in documents_with_details(m.Document.objects.filter(id__in=ids))}


def test_a_bad_file_among_good_ones_is_named_and_stores_nothing(corpus, seed_file, tmp_path):
    good_first = tmp_path / seed_file.name  # its record id comes from its name; first in name order
    shutil.copy(seed_file, good_first)
    bad_read = tmp_path / "b-cut.xml"  # a FRUS volume cut off in the middle: not well-formed
    bad_read.write_bytes((corpus / "frus" / "tei" / "frus1955-57v20.xml").read_bytes()[:200_000])
    # Read fine, refused when stored: its second record takes the seed's id, which belongs to the
    # seed file (still there); its first record must not be stored either.
    bad_store = tmp_path / "c-clash.jsonl"
    bad_store.write_text(json.dumps({"id": "clash-first", "title": "A record stored only with its file"}) + "\n"
                         + json.dumps({"id": "000_6e32ea4dc738cddf", "title": "Another file's id"}) + "\n")
    good_last = tmp_path / "d-volume.xml"
    shutil.copy(corpus / "frus" / "tei" / "frus1961-63v05.xml", good_last)

    report = ingest([tmp_path], jobs=2)

    failed = {error.path: error.message for error in report.errors}
    assert set(failed) == {str(bad_read), str(bad_store)}
    assert all(message.startswith(path) for path, message in failed.items())
    assert "000_6e32ea4dc738cddf" in failed[str(bad_store)] and str(good_first) in failed[str(bad_store)]
    assert not m.Document.objects.filter(id="clash-first").exists()
    assert not m.Document.objects.filter(provenance_file__in=[str(bad_read), str(bad_store)]).exists()
    stored = set(m.SourceFile.objects.values_list("path", flat=True))
    assert stored == {str(good_first.resolve()), str(good_last.resolve())}
    assert m.Document.objects.filter(provenance_file=str(good_last)).count() == report.created - 1
    assert m.Change.objects.count() == report.created  # no change-log row of a file that failed


def test_a_large_ingest_builds_the_index_alongside(cli, corpus):
    env = {"FONDS_INGEST_INDEX_ALONGSIDE": "2", "FONDS_INGEST_STATUS": "published"}
    done = cli("ingest", str(corpus / "seed"), str(corpus / "russian"), env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("2 files (0 unchanged, 0 failed): 15 documents created")  # seed; sheet of 14
    found = json.loads(cli("search", "Хрущёв", "--json", check=True, env=env).stdout)
    assert found["total"] >= 1
    assert json.loads(cli("search", "Malinovsky", "--json", check=True, env=env).stdout)["total"] == 1


FIXTURES = Path(__file__).parent / "fixtures" / "corpus"


def _without_stamps(batch):
    for record in batch.records:
        record.provenance.ingested_at = None
    return batch


@pytest.mark.parametrize("name", ["frus/tei", "russian", "nara-jfk-2023", "delegates", "seed"])
def test_a_batch_crosses_from_its_reader_to_the_writer_unchanged(name):
    """Reader processes send a batch as its JSON (`read_file_for_transfer`): what the writer gets
    back is the batch `read_file` made, for every format the fixtures hold."""
    from fonds import readers
    from fonds.ingest import prepare, read_file, read_file_for_transfer, received

    prepare([])
    compared = 0
    for path in [p for p in sorted((FIXTURES / name).rglob("*")) if p.is_file()]:
        try:
            readers.reader_for(path)
        except Exception:  # noqa: BLE001 - not a file a reader takes (a README, a page image)
            continue
        sent = read_file_for_transfer(path, "0" * 64)
        assert isinstance(sent, str), path
        assert _without_stamps(received(sent)) == _without_stamps(read_file(path, "0" * 64)), path
        compared += 1
    assert compared


def test_a_batch_with_no_json_form_crosses_as_it_is(tmp_path):
    from fonds.ingest import prepare, read_file_for_transfer, received

    prepare([])
    path = tmp_path / "lone.jsonl"
    path.write_text('{"id": "lone-1", "title": "A lone \\ud800 surrogate", "type": "Report"}\n', encoding="utf-8")
    sent = read_file_for_transfer(path, "0" * 64)
    batch = received(sent)
    assert not isinstance(sent, str)
    assert [record.title for record in batch.records] == ["A lone \ud800 surrogate"]
