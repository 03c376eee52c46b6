"""The dates enricher: written English and Russian forms, and the document's own date among others."""

from __future__ import annotations

import re

import pytest

from fonds.enrich import dates, pipeline
from fonds.records import Batch, DateValue, Record, Text

pytestmark = pytest.mark.database_independent  # no database: the PostgreSQL pass leaves it out


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


@pytest.mark.parametrize("written, edtf", [
    ("04/17/2018", "2018-04-17"),                      # NARA review dates: numeric years past 1999
    ("01.02.2003", "2003-02-01"),
    ("2019-03-01", "2019-03-01"),
    ("June 20-August 31, 1961", "1961-06-20/1961-08-31"),  # Office of the Historian, Berdahl report
    ("June 20–August 31, 1961", "1961-06-20/1961-08-31"),
    ("December 28, 1960–January 3, 1961", "1960-12-28/1961-01-03"),
    ("26 июля – 3 августа 1917 г.", "1917-07-26/1917-08-03"),
    ("25 декабря 1933 года", "1933-12-25"),
    ("8 июня 1928 г.", "1928-06-08"),
    ("1933 г.", "1933"),
    ("10. III.37 г.", "1937-03-10"),
    ("Octr. 1, 1780", "1780-10-01"),                    # the delegates' 18th-century abbreviations
    ("28th July [1778]", "1778-07-28"),
    ("June 3d. 1787", "1787-06-03"),
])
def test_from_text_reads_numeric_russian_and_range_forms(written, edtf):
    assert dates.from_text(written).edtf == edtf


@pytest.mark.parametrize("value, edtf, noted", [
    ("09/19/1974", "1974-09-19", False),
    ("01/01/0000", None, True),      # NARA: unknown date
    ("00/00/0000", None, True),
    ("08/10/0000", None, True),
    ("00/00/1963", "1963", True),    # year known
    ("8/00/1963", "1963-08", True),  # month known
    ("01/01/1963", "1963", True),    # NARA's placeholder when only the year is known
    ("1774", "1774", False),
    ("", None, False),
])
def test_from_field_reads_placeholders_and_notes_them(value, edtf, noted):
    found = dates.from_field(value)
    assert (found.value.edtf if found.value else None, found.note is not None) == (edtf, noted)


@pytest.mark.parametrize("value, expected", [
    ("02/30/1960", "February 1960 has no day 30 (MM/DD/YYYY expected)"),
    ("13/01/1960", "there is no month 13 (MM/DD/YYYY expected)"),
    ("the thirtieth of Febtember", "is not a date: expected EDTF"),
])
def test_from_field_errors_say_what_was_expected(value, expected):
    with pytest.raises(ValueError, match=re.escape(expected)):
        dates.from_field(value)


def _read_enriched(path):
    from fonds.readers import read

    return pipeline.enrich(read(path)).records[0]


@pytest.mark.parametrize("name, edtf", [
    ("v09-036", "1927-02-22"),  # a greeting closed by "22 февраля 1927 г."
    ("v11-049", "1928-12-28"),  # "С коммунистическим приветом И. Сталин / 28 декабря 1928 г."
    ("v11-054", "1929-02-22"),  # a telegram signed "Сталин / 22 февраля 1929 г."
])
def test_russian_closing_datelines(corpus, name, edtf):
    assert _read_enriched(corpus / "russian" / "texts" / f"{name}.txt").date.edtf == edtf


def test_russian_text_without_its_date_stays_undated(corpus):
    """A speech that mentions "9-й пункт резолюции" and no date of its own is not given one."""
    assert _read_enriched(corpus / "russian" / "texts" / "v03-051.txt").date is None


@pytest.mark.parametrize("name, edtf", [
    ("dg0014", "1774-08-31/1774-09-05"),  # "[August 31-September 5, 1774] [August 31] I got up..."
    ("dg002346", "1775-11-17"),            # "Sir, Philada. Novr. 17th. 1775 The Congress..."
    ("dg001139", "1774-10-07"),            # "Dr Sir Phyladelphia Octr. 7.1774 I have just..."
    ("dg001233", "1774-12-28"),            # "Sir Braintree Decr. 28. 1774. I have had..."
])
def test_delegates_letters_dated_from_their_opening(corpus, name, edtf):
    """The letters are one line each (the scrape lost paragraphs): the date opens the line."""
    assert _read_enriched(corpus / "delegates" / "texts" / f"{name}.txt").date.edtf == edtf


def test_sheet_year_made_precise_by_the_letters_dateline(corpus):
    """delegates/metadata.csv gives only the year; the letter's own date within it wins, with a finding."""
    from fonds.readers import read

    batch, findings = pipeline.enrich_with_findings(read(corpus / "delegates" / "metadata.csv"))
    by_id = {record.id: record for record in batch.records}
    assert by_id["dg002346"].date.edtf == "1775-11-17" and by_id["dg0014"].date.edtf == "1774-08-31/1774-09-05"
    assert any(f.record == "dg002346" and f.field == "date" and f.enricher == "dates" for f in findings)


def test_metadata_takes_any_year_from_1000_but_running_text_not_ocr_garbage():
    assert dates.from_field("05/11/1500").value.edtf == "1500-05-11"
    assert dates.mentions("6 MAR 1079 the cable") == []  # NARA OCR of "6 MAR 1979"
