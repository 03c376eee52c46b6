"""The archive page reader on the real seed page and on pages with panel values."""

from __future__ import annotations

from pathlib import Path

import pytest

from fonds.enrich import pipeline
from fonds.readers import page, read
from fonds.records import ReadError

pytestmark = pytest.mark.database_independent  # no database: the PostgreSQL pass leaves it out


@pytest.fixture(scope="module")
def seed_record(corpus):
    batch = pipeline.enrich(read(corpus / "seed" / "000_6e32ea4dc738cddf.txt"))
    assert len(batch.records) == 1
    return batch.records[0], batch


def test_seed_title_date_teaser_summary(seed_record):
    record, _ = seed_record
    assert record.title == "CC CPSU Presidium Decision, 'About Further Steps in the Struggle for Reduction of International Tension'"
    assert record.date.edtf == "1959-12-14"
    assert (record.date.min, record.date.max, record.date.display) == ("1959-12-14", "1959-12-14", "December 14, 1959")
    assert record.teaser.startswith("Khrushchev proposes a unilateral reduction")
    assert record.summary.startswith("CPSU Presidium approves Khrushchev's proposals")
    assert record.summary.endswith("related to the proposal.")


def test_seed_body_is_the_text_from_first_to_last_line(seed_record):
    """The seed page names no language of the original, so its English text is taken as an original."""
    record, _ = seed_record
    assert len(record.texts) == 1
    text = record.texts[0]
    assert (text.kind, text.language) == ("original", "en") and record.languages == ["en"]
    assert text.body.startswith("Proletarians of all countries, unite!")
    assert text.body.endswith("4-ak")
    for not_body in ("This document was made possible", "CPSU Presidium approves", "Author(s)", "Rights", "HAPP@wilsoncenter.org"):
        assert not_body not in text.body


def test_seed_classification_funder_rights_type(seed_record):
    record, _ = seed_record
    assert record.classification.marking == "Top Secret"
    assert record.classification.level == "top-secret"
    assert record.funders == ["Leon Levy Foundation"]
    assert record.rights.statement.startswith("The History and Public Policy Program welcomes reuse")
    assert record.rights.statement.endswith("HAPP@wilsoncenter.org.")
    assert record.type == "Decision"
    assert record.id == "000_6e32ea4dc738cddf"


def test_seed_links_khrushchev_and_malinovsky(seed_record):
    record, batch = seed_record
    ids = [link.id for link in record.people]
    assert ids == ["khrushchev-nikita-sergeyevich", "malinovsky-rodion-yakovlevich"]
    authorities = {a.id: a for a in batch.authorities}
    assert "Хрущёв, Никита Сергеевич" in authorities["khrushchev-nikita-sergeyevich"].variants
    assert authorities["malinovsky-rodion-yakovlevich"].kind == "person"


def test_seed_panels_without_values_are_empty(seed_record):
    record, _ = seed_record
    assert record.authors == [] and record.places == [] and record.topics == [] and record.subjects == []
    assert record.related == [] and record.source is None


FULL_PAGE = """Teaser line about the telegram.
14 December 1959
Telegram from Ambassador X to the Ministry
This document was made possible with support from Carnegie Corporation of New York
First line of the telegram.
Secret
Second line.
One-line summary of the telegram.
Author(s):
Ivanov, Ivan
Associated People & Organizations
Gromyko, Andrei Andreyevich
Ministry of Foreign Affairs of the USSR
Associated Places
Moscow
Washington, D.C.
Associated Topics
Nuclear History
Subjects Discussed
Disarmament
Related Documents
Another Document Title
Document Information
Source
AVP RF, f. 0129, op. 43, d. 3
Original Archive
Archive of Foreign Policy of the Russian Federation
Original Classification
Secret
Language
Russian
Record ID
119876
Rights
Rights statement line one.
"""


def test_page_with_panel_values(tmp_path: Path):
    path = tmp_path / "page.txt"
    path.write_text(FULL_PAGE, encoding="utf-8")
    record = read(path).records[0]
    assert record.id == "119876"
    assert record.date.edtf == "1959-12-14"
    assert [a.name for a in record.authors] == ["Ivanov, Ivan"]
    assert [p.name for p in record.people] == ["Gromyko, Andrei Andreyevich"]
    assert [o.name for o in record.organizations] == ["Ministry of Foreign Affairs of the USSR"]
    assert [p.name for p in record.places] == ["Moscow", "Washington, D.C."]
    assert record.topics == ["Nuclear History"] and record.subjects == ["Disarmament"]
    assert record.related[0].title == "Another Document Title"
    assert record.source.citation == "AVP RF, f. 0129, op. 43, d. 3"
    assert record.source.repository.name == "Archive of Foreign Policy of the Russian Federation"
    assert record.classification.marking == "Secret" and record.languages == ["ru"]
    assert record.rights.statement == "Rights statement line one."
    assert record.texts[0].body == "First line of the telegram.\nSecret\nSecond line."
    assert record.summary == "One-line summary of the telegram."
    assert record.funders == ["Carnegie Corporation of New York"]


@pytest.mark.parametrize("content, message", [
    (b"", "empty"),
    (b"\x00\x01\x02binary\x00", "binary"),
    ("Teaser\nDecember 14, 1959\nT\xe9tle\nBody\nSummary\nAuthor(s):\n".encode("latin-1"), "not UTF-8"),
])
def test_bad_pages_raise_clear_errors(tmp_path: Path, content: bytes, message: str):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(ReadError) as raised:
        read(path)
    assert str(path) in str(raised.value)
    assert message in str(raised.value)


def test_text_without_panels_is_plain_text_not_a_page(tmp_path: Path):
    """page.read insists on the panels; dispatch leaves a .txt without them to the plain-text reader."""
    path = tmp_path / "letter.txt"
    path.write_text("Teaser\nDecember 14, 1959\nTitle\nBody\nSummary\n", encoding="utf-8")
    with pytest.raises(ReadError, match="no metadata panel headings"):
        page.read(path)
    assert read(path).records[0].provenance.format == "text"


def test_text_without_a_date_line_is_plain_text(tmp_path: Path):
    """Headings alone do not make a page: without its date line the file is read as plain text."""
    path = tmp_path / "nodate.txt"
    path.write_text("Teaser\nTitle without a date line\nBody\nSummary\nAuthor(s):\nRights\nx\n", encoding="utf-8")
    assert read(path).records[0].provenance.format == "text"
    with pytest.raises(ReadError, match="no date line"):
        page.read(path)


def test_undated_page_has_no_date(tmp_path: Path):
    path = tmp_path / "undated.txt"
    path.write_text("Teaser\nUndated\nTitle\nBody line\nSummary\nAuthor(s):\nRights\nStatement\n", encoding="utf-8")
    assert page.read(path).records[0].date is None


def test_teaser_of_several_paragraphs_and_the_date_found_by_parsing(tmp_path: Path, corpus):
    """The seed page with a teaser of three paragraphs: the date line is wherever the date is."""
    lines = (corpus / "seed" / "000_6e32ea4dc738cddf.txt").read_text(encoding="utf-8").splitlines()
    path = tmp_path / "page.txt"
    path.write_text("\n".join([lines[0], "", "A second paragraph of the teaser.", "", "And a third.", *lines[1:]]),
                    encoding="utf-8")
    record = read(path).records[0]
    assert record.provenance.format == "archive-page" and record.date.edtf == "1959-12-14"
    assert record.teaser.startswith("Khrushchev proposes") and record.teaser.endswith("And a third.")
    assert record.title.startswith("CC CPSU Presidium Decision")


def test_ocr_memorandum_with_source_and_document_information_lines_is_plain_text(corpus):
    """NARA 124-10221-10231 has lines "Document Information" (in its identification form) and, far
    below, "Source": not a page's panels, so the OCR text is read as plain text."""
    path = corpus / "nara-jfk-2023" / "files" / "2023" / "124-10221-10231.txt"
    assert not page.detect(path, b"") and read(path).records[0].provenance.format == "text"


def test_language_panel_decides_original_or_translation(tmp_path: Path):
    english = tmp_path / "english.txt"
    english.write_text(FULL_PAGE.replace("Language\nRussian\n", "Language\nEnglish\n"), encoding="utf-8")
    text = read(english).records[0].texts[0]
    assert (text.kind, text.language) == ("original", "en")
    russian = tmp_path / "russian.txt"
    russian.write_text(FULL_PAGE, encoding="utf-8")
    record = read(russian).records[0]
    assert (record.texts[0].kind, record.texts[0].language, record.languages) == ("translation", "en", ["ru"])


def test_original_archive_panel_wins_over_a_guess(tmp_path: Path):
    """The panel names an archive that the packaged list does not hold but whose name contains one
    it holds: the panel's archive is kept, not replaced."""
    path = tmp_path / "page.txt"
    path.write_text(FULL_PAGE.replace("Archive of Foreign Policy of the Russian Federation",
                                      "Personal papers of A. Ivanov, kept with the RGANI collection"), encoding="utf-8")
    record = pipeline.enrich(read(path)).records[0]
    assert record.source.repository.name == "Personal papers of A. Ivanov, kept with the RGANI collection"
    assert record.source.repository.id is None
