"""The dates enricher: written English and Russian forms, and the document's own date among others."""

from __future__ import annotations

import pytest

from fonds.enrich import dates, pipeline
from fonds.records import Batch, DateValue, Record, Text


@pytest.mark.parametrize("written, edtf, low, high", [
    ("14 December 1959", "1959-12-14", "1959-12-14", "1959-12-14"),
    ("December 14, 1959", "1959-12-14", "1959-12-14", "1959-12-14"),
    ("Dec. 14, 1959", "1959-12-14", "1959-12-14", "1959-12-14"),
    ("14.12.1959", "1959-12-14", "1959-12-14", "1959-12-14"),
    ("14.XII.1959", "1959-12-14", "1959-12-14", "1959-12-14"),
    ("12/14/59", "1959-12-14", "1959-12-14", "1959-12-14"),
    ("14 декабря 1959 г.", "1959-12-14", "1959-12-14", "1959-12-14"),
    ("декабрь 1959 г.", "1959-12", "1959-12-01", "1959-12-31"),
    ("May 1955", "1955-05", "1955-05-01", "1955-05-31"),
    ("July 9-10, 1957", "1957-07-09/1957-07-10", "1957-07-09", "1957-07-10"),
    ("1950s", "195X", "1950-01-01", "1959-12-31"),
    ("mid-1950s", "1953~/1956~", "1953-01-01", "1956-12-31"),
    ("circa 1959", "1959~", "1958-01-01", "1960-12-31"),
    ("1959", "1959", "1959-01-01", "1959-12-31"),
])
def test_from_text_reads_written_forms(written, edtf, low, high):
    value = dates.from_text(written)
    assert (value.edtf, value.min, value.max) == (edtf, low, high)


@pytest.mark.parametrize("text", ["undated", "Undated", "not a date at all", "Decimal 3, 1959", "31.02.1959"])
def test_from_text_refuses_what_is_not_a_date(text):
    assert dates.from_text(text) is None


def test_from_edtf_fast_path_and_library_forms():
    assert dates.from_edtf("1955-01-14T14:00:00").min == "1955-01-14"
    assert dates.from_edtf("1959-12-14/1959-12-18").max == "1959-12-18"
    assert dates.from_edtf("1959~").edtf == "1959~"  # not plain ISO: goes to the edtf library
    with pytest.raises(ValueError):
        dates.from_edtf("14 December")


def _enriched(title: str, body: str) -> Record:
    record = Record(id="r", title=title, texts=[Text(kind="original", body=body)])
    pipeline.enrich(Batch(records=[record]), order=["dates"])
    return record


def test_seed_meeting_date_not_the_conference_date(corpus):
    """'protocol no. 253 ... of 14 December 1959' is the document's date; '18 December this year' is not."""
    lines = (corpus / "seed" / "000_6e32ea4dc738cddf.txt").read_text(encoding="utf-8").splitlines()
    body = "\n".join(lines[4:20])
    record = _enriched(lines[2], body)
    assert record.date.edtf == "1959-12-14"


def test_frus_dateline_beats_dates_in_the_text():
    """FRUS 1955-57 vol. XX, doc. 1 (plain text): the dateline, not the dates the memorandum discusses."""
    body = ("Washington, January 3, 1955.\n"
            "Source: Department of State, Central Files, 600.0012/1-355. Top Secret.\n"
            "The Secretary recalled the conversation of December 21, 1954, and the NSC meeting of December 9.")
    record = _enriched("1. Memorandum of a Conversation, Department of State", body)
    assert record.date.edtf == "1955-01-03"


def test_russian_dateline():
    record = _enriched("Запись беседы", "Москва, 14 декабря 1959 г.\nСовершенно секретно\nТекст беседы от 3 мая 1958 г.")
    assert record.date.edtf == "1959-12-14"


def test_editorial_notes_and_set_dates_are_left_alone():
    assert _enriched("8. Editorial Note", "On January 4, 1955, the President said...").date is None
    record = Record(id="r", title="T", date=DateValue(edtf="1960"), texts=[Text(kind="original", body="May 5, 1961")])
    pipeline.enrich(Batch(records=[record]))
    assert record.date.edtf == "1960"


def test_finding_names_span_and_confidence():
    record = Record(id="r", title="Telegram", texts=[Text(kind="original", body="Moscow, December 14, 1959, 7 p.m.\nText.")])
    _, findings = pipeline.enrich_with_findings(Batch(records=[record]), order=["dates"])
    (finding,) = findings
    assert (finding.field, finding.enricher, finding.evidence) == ("date", "dates", "December 14, 1959")
    assert finding.source == "texts[0]:8-25" and 0 < finding.confidence <= 1
