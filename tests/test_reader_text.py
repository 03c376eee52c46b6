"""The plain text and Markdown reader: front matter, titles, ids, bad input, and dispatch beside archive pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from fonds.readers import page, read, reader_for, text
from fonds.records import ReadError
from tests.scans import frus_document

pytestmark = pytest.mark.database_independent  # no database: the PostgreSQL pass leaves it out

FRONT_MATTER = """---
id: frus1955-57v20-d4-copy
title: Memorandum From the Joint Chiefs of Staff to the Secretary of Defense (Wilson)
date: January 26, 1955
type: Memorandum
classification: Top Secret
languages: [en]
authors: [Joint Chiefs of Staff]
recipients: [{id: wilson-charles-e, name: "Wilson, Charles E."}]
places: Washington
topics: [Atomic Energy]
subjects: [Nuclear cooperation, United Kingdom]
summary: The JCS recommend a list of atomic information for the US-UK agreement.
source: "Source: Department of State, S/AE Files: Lot 68 D 358"
archive: National Archives
rights: {statement: Public domain, uri: "http://rightsstatements.org/vocab/NoC-US/1.0/"}
---
"""


@pytest.fixture(scope="module")
def frus_body() -> str:
    return frus_document().texts[0].body


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def test_markdown_with_front_matter_fills_the_record(tmp_path, frus_body):
    path = write(tmp_path, "jcs.md", FRONT_MATTER + "# A heading that is not the title\n\n" + frus_body)
    batch = read(path)
    record = batch.records[0]
    assert reader_for(path) is text and record.provenance.format == "text"
    assert record.id == "frus1955-57v20-d4-copy" and record.title.startswith("Memorandum From the Joint Chiefs")
    assert (record.date.edtf, record.date.min) == ("1955-01-26", "1955-01-26")
    assert record.classification.marking == "Top Secret" and record.classification.level == "top-secret"
    assert record.type == "Memorandum" and record.languages == ["en"]
    assert [(link.id, link.name) for link in record.recipients] == [("wilson-charles-e", "Wilson, Charles E.")]
    assert [link.id for link in record.authors] == ["joint-chiefs-of-staff"]
    assert [link.name for link in record.places] == ["Washington"]
    assert record.subjects == ["Nuclear cooperation", "United Kingdom"] and record.topics == ["Atomic Energy"]
    assert record.source.citation.startswith("Source:") and record.source.repository.name == "National Archives"
    assert record.rights.uri == "http://rightsstatements.org/vocab/NoC-US/1.0/"
    assert {a.kind for a in batch.authorities} == {"person", "place"}
    layer = record.texts[0]
    assert (layer.kind, layer.language) == ("original", "en")
    assert layer.body.startswith("# A heading") and "Joint Chiefs of Staff recommend" in layer.body
    assert "---" not in layer.body


def test_edtf_and_yaml_dates(tmp_path):
    approximate = read(write(tmp_path, "a.md", "---\ndate: 1959-12~\n---\nText\n")).records[0]
    assert (approximate.date.min, approximate.date.max) == ("1959-12-01", "1959-12-31")
    day = read(write(tmp_path, "b.md", "---\ndate: 1959-12-14\n---\nText\n")).records[0]  # YAML makes a date
    assert day.date.edtf == "1959-12-14"
    span = read(write(tmp_path, "c.md", "---\ndate: 1959-12-14/1959-12-18\n---\nText\n")).records[0]
    assert (span.date.min, span.date.max) == ("1959-12-14", "1959-12-18")


def test_title_from_heading_else_first_line_and_id_from_file_name(tmp_path, frus_body):
    heading = read(write(tmp_path, "memo.md", "Preamble line\n\n## Review of Policy\n\nText\n")).records[0]
    assert heading.title == "Review of Policy" and heading.id == "memo"
    plain = read(write(tmp_path, "frus-d4.txt", frus_body)).records[0]
    assert plain.title == "Washington, January 26, 1955." and plain.id == "frus-d4"
    assert plain.texts[0].body == frus_body.strip("\n")
    assert plain.date is None  # the reader takes no date from the text; the dates enricher may


def test_plain_txt_goes_to_text_and_archive_pages_to_page(tmp_path, seed_file, frus_body):
    assert reader_for(seed_file) is page
    assert reader_for(write(tmp_path, "letter.txt", frus_body)) is text
    # One line that happens to be a panel heading does not make a letter an archive page.
    assert reader_for(write(tmp_path, "one.txt", "Teaser\nDecember 14, 1959\nTitle\nBody\nSource\n")) is text


@pytest.mark.parametrize("content, message, where", [
    ("---\ntitel: Typo\n---\nText\n", "unknown front matter key 'titel'", "line 2"),
    ("---\ntitle: A\nauthor: B\n---\nText\n", "unknown front matter key 'author'", "line 3"),
    ("---\ntitle: [unclosed\n---\nText\n", "not valid YAML", "line"),
    ("---\ntitle: A\nText without a closing fence\n", "never closed", "line 1"),
    ("---\ndate: sometime in winter\n---\nText\n", "date: 'sometime in winter' is not a date: expected EDTF", None),
    ("---\nauthors: [{name: A, born: 1900}]\n---\nText\n", "authors: each entry", None),
    ("---\n- a list\n---\nText\n", "key: value", "line 2"),
    ("---\ntitle: Only metadata\n---\n\n", "no text after its front matter", "line 4"),
    ("Line one\nLine two caf\xe9\n", "not UTF-8", "line 2"),
    ("---\nkind: translated\n---\nText\n", "front matter: texts.0.kind: Input should be 'original'", None),
    ("---\nstatus: secret\n---\nText\n", "front matter: status:", None),
    ("---\nrights: {statement: R, licence: x}\n---\nText\n", "rights: licence: Extra inputs", None),
])
def test_bad_text_files_raise_clear_errors(tmp_path, content, message, where):
    data = content.encode("latin-1") if "\xe9" in content else content.encode()
    path = write(tmp_path, "bad.md", data)
    with pytest.raises(ReadError) as raised:
        read(path)
    assert str(path) in str(raised.value) and message in str(raised.value)
    if where:
        assert (raised.value.where or "").startswith(where)


def test_yaml_entity_tricks_are_bounded(tmp_path):
    """A YAML alias bomb is refused by shape (lists of lists are no names) and size."""
    bomb = "---\na: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(8))
    with pytest.raises(ReadError, match="unknown front matter key"):
        read(write(tmp_path, "bomb.md", bomb + "---\nText\n"))
    nested = "---\ntopics: &a [[x, x], [x, x]]\nsubjects: [*a, *a, *a]\n---\nText\n"
    with pytest.raises(ReadError, match="topics: expected a list of words"):
        read(write(tmp_path, "nested.md", nested))
    with pytest.raises(ReadError, match="longer than"):
        read(write(tmp_path, "long.md", "---\nsummary: " + "x" * 70000 + "\n---\nText\n"))
