"""Redactions and declassification as data: FRUS markers, NARA identification forms, the record key
through the catalog, the document page, the search facet and the exports."""

from __future__ import annotations

import csv
import io
import json

import pytest

from fonds.enrich import declassification, forms, pipeline
from fonds.readers import read


@pytest.mark.parametrize("marker, unit, count, lines", [
    ("[1 paragraph (3 lines of source text) not declassified]", "paragraph", 1, 3),
    ("[3-1/2 lines of 2-column source text not declassified]", "line", 3.5, 3.5),
    ("[less than 1 line of source text not declassified]", "line", 1, 1),
    ("[2 names not declassified]", "name", 2, None),
    ("[name not declassified]", "name", None, None),
    ("[text not declassified]", "text", None, None),
    ("[Table (3 columns, 4 rows) not declassified]", "table", None, None),
    ("[Pages 4-7 not declassified]", "page", 4, None),
    ("[1½ lines not declassified]", "line", 1.5, 1.5),
])
def test_frus_markers(marker, unit, count, lines):
    (found,) = declassification.withheld(f"Before {marker} after.")
    assert (found.marker, found.unit, found.count, found.lines) == (marker, unit, count, lines)


def test_frus_volume_markers_become_the_records_declassification(corpus):
    batch = pipeline.enrich(read(corpus / "frus" / "tei" / "frus1961-63v05.xml"))
    by_id = {record.id: record for record in batch.records}
    d8 = by_id["frus1961-63v05-d8"].declassification  # one in the text, one in the source note ("Secret; [codeword ...]")
    assert [(w.unit, w.count, w.lines) for w in d8.withheld] == [("paragraph", 1, 10), ("codeword", None, None)]
    assert d8.has_withheld_text() and d8.withheld_lines() == 10
    assert [w.marker for w in by_id["frus1961-63v05-d271"].declassification.withheld] == ["[codeword not declassified]"]
    assert by_id["frus1961-63v05-d1"].declassification is None
    assert sum(1 for record in batch.records if record.declassification) == 8


@pytest.mark.parametrize("name, classification, restrictions, status, review", [
    ("docid-32105704", "Secret", ["1B", "1C"], "Redact", "1993-08-12"),
    ("124-10029-10381", "Secret", ["JFK Act 6 (1)(A)"], "Redact", "1997-12-10"),  # FBI two-column layout
    ("157-10008-10234", None, ["REFERRED"], "P", "1993-10-07"),  # "CLASSIFICATION : T": no marking
])
def test_nara_identification_forms(corpus, name, classification, restrictions, status, review):
    text = (corpus / "nara-jfk-2023" / "files" / "2023" / f"{name}.txt").read_text(encoding="utf-8")
    form = forms.find(text)
    assert (form.classification, form.restrictions, form.status, form.review_date) == (
        classification, restrictions, status, review)
    assert text[form.end:].lstrip().startswith(("---", "## Page 2")) or form.end == len(text)


def test_text_without_a_form(corpus):
    assert forms.find((corpus / "delegates" / "texts" / "dg002346.txt").read_text(encoding="utf-8")) is None


# ---------------------------------------------------------------- through the catalog and its interfaces


@pytest.fixture
def nara_catalog(db, corpus, fresh_index):
    from fonds.catalog.indexer import catch_up
    from fonds.catalog.ingest import Ingest

    report = Ingest([corpus / "nara-jfk-2023" / "national-archives-jfk-assassination-records-2023-release.xlsx",
                     corpus / "frus" / "tei" / "frus1961-63v05.xml"], jobs=1, status="published").run()
    assert report.created == 10 + 390
    catch_up()
    return report


def test_catalog_keeps_the_key_and_export_round_trips_it(nara_catalog, tmp_path):
    from fonds.catalog import export
    from fonds.catalog import models as m
    from fonds.catalog.store import documents_with_details, to_record

    doc = documents_with_details(m.Document.objects.filter(id="178-10004-10314")).get()
    found = to_record(doc).declassification
    assert (found.status, found.release_date, found.restrictions) == ("Redact", "2023-06-27", ["1B", "1C"])
    out = io.StringIO()
    export.write("jsonl", out)
    line = next(json.loads(x) for x in out.getvalue().splitlines() if '"id": "178-10004-10314"' in x)
    assert line["declassification"] == found.model_dump(mode="json")
    sheet = io.StringIO()
    export.write("csv", sheet)
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(sheet.getvalue()))}
    assert (rows["frus1961-63v05-d8"]["withheld_passages"], rows["frus1961-63v05-d8"]["withheld_lines"]) == ("2", "10")
    assert rows["178-10004-10314"]["release_status"] == "Redact" and rows["178-10004-10314"]["restrictions"] == "1B; 1C"
    tei = io.StringIO()
    export.write("tei", tei)
    assert 'availability status="restricted"' in tei.getvalue() and "Restrictions: 1B; 1C" in tei.getvalue()


def test_search_facet_has_withheld_text(nara_catalog, client):
    from fonds.catalog.indexer import searcher
    from fonds.search.engine import SearchRequest

    response = searcher().search(SearchRequest(query="", filters={"withheld": ["yes"]}))
    counts = {bucket["value"]: bucket["count"] for bucket in response.facets["withheld"]}
    assert counts["yes"] == response.total == 10 + 8  # the NARA rows (released redacted), FRUS documents with markers
    assert counts["no"] == 390 - 8
    page = client.get("/search", {"q": "", "withheld": "yes"})
    assert page.status_code == 200 and "Has withheld text" in page.content.decode()


def test_document_page_shows_the_declassification(nara_catalog, client):
    from fonds.catalog import models as m

    doc = m.Document.objects.get(id="frus1961-63v05-d8")
    html = client.get(doc.get_absolute_url()).content.decode()
    assert 'id="declassification"' in html and "Withheld: 2 passages" in html
    assert "[1 paragraph (10 lines of 2-column source text) not declassified]" in html
    nara = client.get(m.Document.objects.get(id="178-10004-10314").get_absolute_url()).content.decode()
    assert "Release status: Redact" in nara and "Restrictions: 1B; 1C" in nara and "To: [RESTRICTED]" in nara

