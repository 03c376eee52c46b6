"""The archival references enricher: citations split into parts, repositories linked."""

from __future__ import annotations

import pytest

from fonds.enrich import pipeline, references
from fonds.records import Batch, Record, Repository, Source, Text

pytestmark = pytest.mark.database_independent  # no database: the PostgreSQL pass leaves it out


@pytest.mark.parametrize("citation, repository, parts", [
    ("RGANI, f. 3, op. 12, d. 1009, l. 36", "rgani", {"fond": "3", "opis": "12", "delo": "1009", "folios": "36"}),
    ("РГАНИ, ф. 3, оп. 12, д. 1009, л. 36", "rgani", {"fond": "3", "opis": "12", "delo": "1009", "folios": "36"}),
    ("AVP RF, f. 0129, op. 43, p. 300, d. 3, ll. 5-7", "avp-rf",
     {"fond": "0129", "opis": "43", "papka": "300", "delo": "3", "folios": "5-7"}),
    ("GARF, f. R-5446, op. 1, d. 12, l. 3", "garf", {"fond": "R-5446", "opis": "1", "delo": "12", "folios": "3"}),
    ("TsAMO, f. 16, op. 3139, d. 127, ll. 25-26ob.", "tsamo", {"fond": "16", "opis": "3139", "delo": "127", "folios": "25-26ob"}),
    ("RGASPI, f. 558, op. 11, d. 65", "rgaspi", {"fond": "558", "opis": "11", "delo": "65"}),
    ("National Archives, RG 59, Central Files, 611.61/12-1459", "nara",
     {"record_group": "59", "file": "611.61/12-1459", "series": "Central Files"}),
    ("Department of State, S/S–NSC Files: Lot 63 D 351, NSC 5602 Series", "us-department-of-state-files",
     {"lot": "63 D 351", "series": "S/S–NSC Files", "record_group": "59"}),
    ("Department of State, Central Files, POL 26 S VIET", "us-department-of-state-files",
     {"file": "POL 26 S VIET", "series": "Central Files", "record_group": "59"}),
    ("Eisenhower Library, Whitman File, NSC Series", "eisenhower-library", {"collection": "Whitman File, NSC Series"}),
])
def test_citation_parts_and_repository(citation, repository, parts):
    record = Record(id="r", title="t", source=Source(citation=citation))
    batch = pipeline.enrich(Batch(records=[record]), order=["references"])
    assert record.source.parts == parts
    assert record.source.repository.id == repository
    assert any(a.kind == "repository" and a.id == repository for a in batch.authorities)


def test_repository_names_in_english_and_russian_meet():
    assert references.repository_in("Архив внешней политики Российской Федерации")[0].id == "avp-rf"
    assert references.repository_in("Archive of Foreign Policy of the Russian Federation")[0].id == "avp-rf"
    assert references.repository_in("the pro and contra") is None  # PRO only as an abbreviation in capitals


def test_reader_values_are_kept_and_completed():
    source = Source(citation="AVP RF, f. 0129, op. 43, d. 3", parts={"fond": "0129-bis"},
                    repository=Repository(name="Archive of Foreign Policy of the Russian Federation"))
    record = Record(id="r", title="t", source=source)
    pipeline.enrich(Batch(records=[record]), order=["references"])
    assert record.source.parts == {"fond": "0129-bis", "opis": "43", "delo": "3"}
    assert record.source.repository.name == "Archive of Foreign Policy of the Russian Federation"
    assert (record.source.repository.id, record.source.repository.abbreviation) == ("avp-rf", "AVP RF")


def test_citation_found_in_text_and_none_on_the_seed(corpus):
    record = Record(id="r", title="t", texts=[Text(kind="translation", body="Text.\nRGANI, f. 3, op. 12, d. 1009, l. 36. Translated by X.")])
    _, findings = pipeline.enrich_with_findings(Batch(records=[record]), order=["references"])
    assert record.source.citation == "RGANI, f. 3, op. 12, d. 1009, l. 36"
    assert findings[0].field == "source.citation"
    seed = Record(id="s", title="t", texts=[Text(kind="translation", body=(corpus / "seed" / "000_6e32ea4dc738cddf.txt").read_text())])
    pipeline.enrich(Batch(records=[seed]), order=["references"])
    assert seed.source is None
