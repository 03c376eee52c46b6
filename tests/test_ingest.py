"""Ingest into the real catalog (SQLite file or PostgreSQL): idempotence, updates, bad files, round trip."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from fonds.catalog import export
from fonds.catalog import models as m
from fonds.catalog.ingest import Ingest
from fonds.ingest import discover
from tests.conftest import empty_catalog

pytestmark = pytest.mark.django_db


def ingest(*paths: Path, jobs: int = 1):
    return Ingest(list(discover(paths)), jobs=jobs).run()


def catalog_state() -> dict:
    """Everything stored, for comparing before and after."""
    return {
        "documents": sorted(m.Document.objects.values_list("id", "content_sha256", "updated")),
        "authorities": m.Authority.objects.count(), "texts": m.TextLayer.objects.count(),
        "mentions": m.Mention.objects.count(), "changes": m.Change.objects.count(),
    }


def test_seed_is_stored_with_links(seed_file):
    report = ingest(seed_file)
    assert (report.created, report.errors) == (1, [])
    doc = m.Document.objects.get(id="000_6e32ea4dc738cddf")
    assert doc.date_min.isoformat() == "1959-12-14" and doc.classification_marking == "Top Secret"
    people = list(doc.mentions.filter(role="people").values_list("authority__key", flat=True))
    assert people == ["khrushchev-nikita-sergeyevich", "malinovsky-rodion-yakovlevich"]
    assert m.Change.objects.filter(document_id=doc.id).count() == 1
    assert doc.provenance_sha256 and doc.provenance_format == "archive-page"


def test_reingesting_an_unchanged_file_changes_nothing(seed_file):
    ingest(seed_file)
    before = catalog_state()
    report = ingest(seed_file)
    assert report.files_unchanged == 1 and report.created == report.updated == 0
    assert catalog_state() == before


def test_changed_file_updates_its_record_and_keeps_the_id(seed_file, tmp_path):
    copy = tmp_path / seed_file.name
    shutil.copy(seed_file, copy)
    ingest(copy)
    copy.write_text(copy.read_text().replace("December 14, 1959", "December 15, 1959", 1))
    report = ingest(copy)
    assert (report.created, report.updated) == (0, 1)
    doc = m.Document.objects.get(id="000_6e32ea4dc738cddf")
    assert doc.date_edtf == "1959-12-15"
    assert m.Document.objects.count() == 1 and m.TextLayer.objects.count() == 1
    assert m.Change.objects.filter(document_id=doc.id).count() == 2


BAD_FILES = {
    "empty.txt": b"",
    "binary.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    "truncated.jsonl": b'{"id": "a", "title": "A"}\n{"id": "b", "title": "B"',
    "latin1.txt": "Teaser\nDecember 14, 1959\nTitre d\xe9j\xe0\nBody\nSummary\nAuthor(s):\n".encode("latin-1"),
    "malformed.xml": b'<?xml version="1.0"?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body>\n<div type="document"></body></TEI>',
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_is_reported_and_stores_nothing(tmp_path, seed_file, name):
    bad = tmp_path / name
    bad.write_bytes(BAD_FILES[name])
    good = tmp_path / seed_file.name
    shutil.copy(seed_file, good)
    report = ingest(bad, good)
    assert len(report.errors) == 1
    assert str(bad) in report.errors[0].message
    assert report.created == 1  # the good file went on
    assert m.Document.objects.count() == 1 and not m.SourceFile.objects.filter(path=str(bad.resolve())).exists()
    if name == "truncated.jsonl":
        assert "line 2" in report.errors[0].message and not m.Document.objects.filter(id="a").exists()
    if name == "malformed.xml":
        assert "line" in report.errors[0].message


def _export_jsonl(path: Path) -> list[dict]:
    with open(path, "w", encoding="utf-8") as out:
        export.write_jsonl(out)
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_export_then_ingest_reproduces_every_record(corpus, tmp_path):
    report = ingest(corpus / "seed", corpus / "frus" / "tei" / "frus1955-57v20.xml", jobs=2)
    assert report.errors == [] and report.created == 318
    first = _export_jsonl(tmp_path / "first.jsonl")
    # A new catalog: empty this one completely, then ingest the export.
    empty_catalog()
    report = ingest(tmp_path / "first.jsonl")
    assert report.errors == [] and report.created == 318
    second = _export_jsonl(tmp_path / "second.jsonl")
    assert second == first
    assert sum(1 for line in first if "authority" in line) == m.Authority.objects.count()


def test_round_trip_keeps_every_key(tmp_path):
    record = {
        "id": "x-1", "title": "Memorandum", "date": {"edtf": "1959-12~", "display": "about December 1959", "min": "1959-12-01", "max": "1959-12-31"},
        "summary": "S", "teaser": "T", "type": "Memorandum", "classification": {"marking": "Secret; Eyes Only", "level": "secret"},
        "languages": ["ru", "en"],
        "texts": [{"kind": "original", "language": "ru", "body": "Текст", "translator": None, "notes": []},
                  {"kind": "translation", "language": "en", "body": "Text", "translator": "A. Translator",
                   "notes": [{"n": "1", "at": 4, "body": "A translator's note."}]}],
        "authors": [{"id": "gromyko", "name": "Gromyko"}], "recipients": [{"id": "cc-cpsu", "name": "CC CPSU"}],
        "people": [{"id": "gromyko", "name": "A. A. Gromyko"}], "organizations": [{"id": "cc-cpsu", "name": "CC CPSU"}],
        "places": [{"id": "moscow", "name": "Moscow"}], "topics": ["Zeta", "Alpha"], "subjects": ["B", "A"],
        "related": [{"id": "x-2", "title": None, "relation": "reply-to", "source": "curated", "score": None},
                    {"id": None, "title": "Untracked", "relation": "related", "source": "computed", "score": 0.5}],
        "source": {"citation": "AVP RF, f. 1", "repository": {"id": "avp-rf", "name": "Archive of Foreign Policy", "abbreviation": "AVP RF"}, "parts": {"fond": "1"}},
        "rights": {"statement": "R", "uri": "http://rightsstatements.org/vocab/InC-EDU/1.0/"}, "funders": ["F"],
        "declassification": {"status": "Released in Part", "review_date": "1993-08-12", "release_date": "2023-06-27",
                             "restrictions": ["1B", "JFK Act 6 (1)(B)"],
                             "withheld": [{"marker": "[1 paragraph (3 lines of source text) not declassified]",
                                           "unit": "paragraph", "count": 1.0, "lines": 3.0}]},
        "status": "draft", "embargo_until": "2030-01-01",
        "provenance": {"format": "jsonl", "file": "/x.jsonl", "sha256": "ab" * 32, "ingested_at": "2026-01-01T00:00:00+00:00"},
    }
    authority = {"authority": {"id": "cc-cpsu", "kind": "organization", "name": "Central Committee of the CPSU", "abbreviation": "CC CPSU",
                               "variants": ["ЦК КПСС"], "dates": None, "description": None, "external_ids": {"wikidata": "Q1"}}}
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps(authority) + "\n" + json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    assert ingest(source).errors == []
    exported = [line for line in _export_jsonl(tmp_path / "out.jsonl") if "id" in line]
    assert exported == [record]
    org = m.Authority.objects.get(kind="organization", key="cc-cpsu")
    assert org.name == "Central Committee of the CPSU" and list(org.variants.values_list("name", flat=True)) == ["ЦК КПСС"]


def test_links_are_resolved_without_a_query_per_link(django_assert_max_num_queries):
    """A batch's links to existing authorities cost one query, not one per link."""
    from fonds.catalog.store import write_batch
    from fonds.records import Batch, Link, Record

    people = [Link(id=f"p{i}", name=f"Person {i}") for i in range(30)]
    write_batch(Batch(records=[Record(id="a", title="A", people=people)]))
    batch = Batch(records=[Record(id=f"b{i}", title="B", people=people) for i in range(5)])
    with django_assert_max_num_queries(20):
        write_batch(batch)


def test_jsonl_from_another_system_links_names_without_ids(tmp_path, seed_file):
    """Lines naming people by name alone are linked like any reader's names: to the authority with
    that name's id when it exists (Khrushchev, from the seed page), else to a new one."""
    ingest(seed_file)
    known = m.Authority.objects.get(kind="person", key="khrushchev-nikita-sergeyevich")
    source = tmp_path / "other-system.jsonl"
    lines = [{"id": "ext-1", "title": "Memo", "authors": [{"name": known.name}], "people": ["Dulles, Allen W."],
              "organizations": [{"id": "", "name": "Central Intelligence Agency"}]},
             {"id": "ext-2", "title": "Reply", "recipients": [{"name": "Dulles, Allen W."}]}]
    source.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    report = ingest(source)
    assert report.errors == [] and report.created == 2
    memo = m.Document.objects.get(id="ext-1")
    assert list(memo.mentions.filter(role="authors").values_list("authority_id", flat=True)) == [known.id]
    dulles = m.Authority.objects.get(kind="person", key="dulles-allen-w")
    assert m.Document.objects.get(id="ext-2").mentions.get(role="recipients").authority == dulles
    assert memo.mentions.get(role="organizations").authority.kind == "organization"


def test_cli_reports_warnings_without_failing(cli, corpus):
    result = cli("ingest", str(corpus / "frus-history" / "documents" / "1961-08-31-berdahl-consultantship-report.xml"))
    assert result.returncode == 0, result.stderr
    (warning,) = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert "1961-08-31-berdahl-consultantship-report.xml: text outside the documents left out" in warning
    assert "1 documents created" in result.stdout


def test_folder_readme_is_left_out_with_a_note(corpus):
    notes: list[str] = []
    found = list(discover([corpus / "russian"], notes=notes))
    assert found == [corpus / "russian" / "metadata.csv"]  # the texts belong to the sheet
    readme = corpus / "README.md"
    assert [path.name for path in discover([corpus], notes=notes)].count("README.md") == 0
    assert f"{readme}: left out, it describes the folder (name it to ingest it)" in notes
    assert list(discover([readme])) == [readme]


def test_rows_written_in_bulk_read_back_as_the_orm_writes_them():
    """`store.insert_rows` (one statement per table; COPY on PostgreSQL) stores every kind of value
    it is given (compressed text, JSON, dates, foreign keys, nulls, quotes, tabs, line breaks and
    backslashes, which COPY's text format escapes) as the ORM would."""
    from django.utils import timezone

    from fonds.catalog.store import FINDING_FIELDS, REVISION_FIELDS, TEXT_FIELDS, insert_rows

    doc = m.Document.objects.create(id="bulk-1", title="Bulk")
    tricky = 'Line one\n\tTab, "quotes", back\\slash \\N and \u0416 \U0001F600'
    now = timezone.now()
    cases = [
        (m.TextLayer, TEXT_FIELDS, ("bulk-1", 0, "original", "en", tricky, "", [{"n": "1", "at": 3, "body": tricky}])),
        (m.Finding, FINDING_FIELDS, ("bulk-1", 0, "date", {"edtf": "1962", "note": tricky}, "texts[0]:1-4", tricky, 0.75,
                                     "dates")),
        (m.Finding, FINDING_FIELDS, ("bulk-1", 1, "people", None, "", "", 0.5, "people")),
        (m.Revision, REVISION_FIELDS, ("document", "bulk-1", now, "", "ingest", tricky, True, {"title": [None, tricky]},
                                       json.dumps({"title": tricky}))),
    ]
    for model, fields, row in cases:
        insert_rows(model, fields, [row])
        by_orm = model.objects.create(**dict(zip(fields, row)))
        by_bulk = model.objects.exclude(pk=by_orm.pk).filter(**{fields[0]: row[0], fields[1]: row[1]}).get()
        for name, value in zip(fields, row):
            assert getattr(by_bulk, name) == value, (model.__name__, name)
            if name != "at":  # the ORM stamps its own time there
                assert getattr(by_orm, name) == value, (model.__name__, name)
        by_orm.delete()
        by_bulk.delete()
    assert doc.texts.count() == 0
