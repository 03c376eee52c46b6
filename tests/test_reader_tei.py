"""The FRUS TEI reader on two real volumes (tests/fixtures/corpus), plus small hand-made files.

The real volumes are read once per module.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from fonds.readers import read, tei
from fonds.records import ReadError

pytestmark = pytest.mark.database_independent  # no database: the PostgreSQL pass leaves it out

TEI_HEADER = '<?xml version="1.0" encoding="UTF-8"?>\n'


@pytest.fixture(scope="module")
def corpus_dir(corpus) -> Path:
    return corpus / "frus" / "tei"


@pytest.fixture(scope="module")
def v20(corpus_dir):
    return tei.read(corpus_dir / "frus1955-57v20.xml")


@pytest.fixture(scope="module")
def v05(corpus_dir):
    return tei.read(corpus_dir / "frus1961-63v05.xml")


def doc(batch, number: int):
    """The record of document dN of a volume batch."""
    suffix = f"-d{number}"
    return next(record for record in batch.records if record.id.endswith(suffix))


def links(items) -> list[str]:
    return [link.name for link in items]


# ---------------------------------------------------------------- real volumes


def test_detect(corpus_dir):
    path = corpus_dir / "frus1955-57v20.xml"
    assert tei.detect(path, path.read_bytes()[:4096])
    assert not tei.detect(path, b'{"id": "x"}')


def test_document_counts(v20, v05):
    assert len(v20.records) == 317
    assert len(v05.records) == 390
    assert v20.records[0].id == "frus1955-57v20-d1"
    assert v05.records[0].id == "frus1961-63v05-d1"


def test_dates(v20):
    assert doc(v20, 1).date.model_dump() == {
        "edtf": "1955-01-04", "display": "January 4, 1955", "min": "1955-01-04", "max": "1955-01-04"}
    d2 = doc(v20, 2).date
    assert d2.edtf == "1955-01-14T14:00:00"
    assert d2.min == d2.max == "1955-01-14"
    assert d2.display == "January 14, 1955, 2 p.m."
    ranged = doc(v20, 256).date
    assert (ranged.edtf, ranged.min, ranged.max) == ("1957-07-09/1957-07-10", "1957-07-09", "1957-07-10")
    assert doc(v20, 8).title == "Editorial Note"
    assert doc(v20, 8).date is None


def test_title_without_number_and_notes(v20):
    assert doc(v20, 1).title == "Memorandum of a Conversation, Department of State, Washington, January 4, 1955"
    assert doc(v20, 4).title == "Memorandum From the Joint Chiefs of Staff to the Secretary of Defense (Wilson)"
    assert all("Source:" not in record.title for record in v20.records)


def test_types(v20, v05):
    assert doc(v20, 1).type == "Memorandum of Conversation"
    assert doc(v20, 3).type == "Memorandum"
    assert doc(v20, 8).type == "Editorial Note"
    assert doc(v20, 23).type == "Telegram"
    assert doc(v05, 1).type == "Intelligence Estimate"


def test_classification(v20, v05):
    assert doc(v20, 1).classification.model_dump() == {"marking": "Top Secret", "level": "top-secret"}
    assert doc(v20, 3).classification.model_dump() == {"marking": "Confidential", "level": "confidential"}
    assert doc(v20, 28).classification.model_dump() == {"marking": "Secret; Priority", "level": "secret"}
    assert doc(v05, 13).classification.marking == "Secret; Limit Distribution"
    assert doc(v05, 4).classification.model_dump() == {"marking": "No classification marking", "level": "unclassified"}
    assert doc(v20, 8).classification is None  # editorial notes carry none


def test_source(v20):
    source = doc(v20, 1).source
    assert source.citation == "Department of State, Central Files, 600.0012/1–455"
    assert source.repository.name == "Department of State"
    assert source.parts["volume"] == "frus1955-57v20"
    assert source.parts["document"] == "1"
    assert source.parts["note"].startswith("Source: Department of State, Central Files, 600.0012/1–455. Top Secret.")
    assert doc(v20, 2).source.repository.name == "Eisenhower Library"


def test_people_linked(v20):
    people = links(doc(v20, 1).people)
    for name in ("Dulles, John Foster", "Bowie, Robert R.", "Strauss, Lewis L.", "Wilson, Charles E."):
        assert name in people
    assert len(people) == len(set(people))
    ids = {link.id for link in doc(v20, 1).people}
    assert "dulles-john-foster" in ids


def test_person_authorities(v20, v05):
    people = {a.name: a for a in v20.authorities if a.kind == "person"}
    adenauer = people["Adenauer, Konrad"]
    assert adenauer.id == "adenauer-konrad"
    assert adenauer.description.startswith("Chancellor")
    assert len(people) == 133  # the whole List of Persons, linked or not
    assert any(a.name == "Khrushchev, Nikita S." for a in v05.authorities)
    keys = [(a.kind, a.id) for a in v20.authorities]
    assert len(keys) == len(set(keys))


def test_authors_and_recipients(v20):
    d3, d4 = doc(v20, 3), doc(v20, 4)
    assert links(d3.authors) == ["Wainhouse, David W.", "Smith, Gerard C."]
    assert links(d3.recipients) == ["Hoover, Herbert C., Jr."]
    assert links(d4.authors) == ["Joint Chiefs of Staff"]
    assert links(d4.organizations) == ["Joint Chiefs of Staff"]
    assert links(d4.recipients) == ["Wilson, Charles E."]
    organizations = {a.id: a for a in v20.authorities if a.kind == "organization"}
    assert organizations["joint-chiefs-of-staff"].name == "Joint Chiefs of Staff"


def test_places(v20):
    assert [(link.id, link.name) for link in doc(v20, 1).places] == [("washington", "Washington")]
    assert any(a.kind == "place" and a.id == "washington" for a in v20.authorities)


def test_body_excludes_notes_head_and_page_breaks(v20):
    body = doc(v20, 1).texts[0].body
    assert doc(v20, 1).texts[0].kind == "original" and doc(v20, 1).texts[0].language == "en"
    assert body.startswith("Washington, January 4, 1955\n\nSUBJECT\nReview of United States Policy")
    assert "PARTICIPANTS\nState\nSecretary Dulles" in body
    assert "Mr. Dulles said the purpose of this meeting" in body
    assert "Regarding the Department of Defense report" not in body  # footnote 3
    assert "Source:" not in body and "Memorandum of a Conversation" not in body
    assert "\n\n" in body and "  " not in body
    d2 = doc(v20, 2).texts[0].body
    assert "This sentence was added in handwriting" not in d2
    assert "The President approved the letter. Admiral Strauss left a copy" in d2
    assert d2.endswith("G\nColonel, CE, US Army")


def test_footnotes_kept_apart(v20, corpus_dir):
    root = tei._parse(corpus_dir / "frus1955-57v20.xml")
    first = next(tei.documents(root))
    notes = tei.footnotes(first)
    assert notes[0][0] == "2" and notes[0][1].startswith("Source: Department of State")
    assert ("5", "Regarding this subcommittee, see Document 10.") in notes


def test_footnotes_stand_where_their_marks_are(v20):
    """Notes leave the body (it stays the searched plain text) and keep their number, their text
    and the offset of their mark: right after the word or punctuation they follow."""
    record = doc(v20, 1)
    text = record.texts[0]
    assert [note.n for note in text.notes] == ["3", "4", "5", "6", "7"]  # 2 is the source note
    five = text.notes[2]
    assert five.body == "Regarding this subcommittee, see Document 10."
    assert text.body[:five.at].endswith("which would soon commence in London.") and text.body[five.at:].startswith("\n\nMr. Anderson")
    assert text.body[:text.notes[0].at].endswith("by Mr. Bowie of the State Department,")
    assert record.source.parts["note_number"] == "2" and record.source.parts["note"].startswith("Source: Department of State")
    long_note = next(note for note in doc(v20, 7).texts[0].notes if note.n == "4")
    assert "Reactions and Statements, 1955) The AEC report summarized" in long_note.body  # paragraphs kept apart
    for record in v20.records:  # no mark left behind, no doubled space or blank line where one stood
        body = record.texts[0].body
        assert "\ue000" not in body and "  " not in body and "\n\n\n" not in body and "\n " not in body
        assert all(0 <= note.at <= len(body) for note in record.texts[0].notes)


def test_a_note_placed_after_the_end_of_its_text_is_refused():
    from pydantic import ValidationError

    from fonds.records import Text

    with pytest.raises(ValidationError, match="note .1. is placed at character 10, after the end of the body .9 characters."):
        Text(kind="original", body="Too short", notes=[{"n": "1", "at": 9, "body": "fine"}, {"n": "1", "at": 10, "body": "x"}])
    with pytest.raises(ValidationError, match="greater than or equal to 0"):
        Text(kind="original", body="Text", notes=[{"n": "1", "at": -1, "body": "x"}])


def test_record_fixed_fields(v20):
    record = doc(v20, 1)
    assert record.languages == ["en"]
    assert record.status is None  # not stated by the volume: the catalog decides (ingest_status)
    assert record.rights.uri == "http://rightsstatements.org/vocab/NoC-US/1.0/"
    assert record.provenance.format == "frus-tei"
    assert record.provenance.file.endswith("frus1955-57v20.xml")
    assert record.provenance.sha256 is None and record.topics == [] and record.funders == []


# ---------------------------------------------------------------- hand-made files

MINI = TEI_HEADER + """<TEI xmlns="http://www.tei-c.org/ns/1.0" xmlns:frus="http://history.state.gov/ns/1.0">
<teiHeader><fileDesc><titleStmt><title type="complete">Mini Volume</title></titleStmt>
<publicationStmt><idno type="frus">frus1948mini</idno></publicationStmt></fileDesc></teiHeader>
<text><body>
<div xml:id="persons"><list><item><hi><persName xml:id="p_AWR1">Austin, Warren R.</persName>,</hi> Representative at the UN</item></list></div>
<div type="document" xml:id="d1" n="1">
  <note rend="inline" type="source">501.BB/1-348: Telegram</note>
  <head><hi>The <gloss type="from">Acting Secretary of State</gloss> to the Representative (<persName type="to">Austin</persName>)</hi></head>
  <opener><dateline><placeName>Washington</placeName>, <date when="1948-01">January 1948</date>.</dateline>
  <seg rendition="#left"><hi rend="smallcaps">secret</hi></seg></opener>
  <p>Text<note n="1">A footnote.</note> goes on.</p>
  <closer><signed>Lovett</signed></closer>
</div>
<div type="document" xml:id="d2" n="2">
  <head>No. 2<lb/>Letter<note n="1" type="source">Source: Truman Library, Papers. Top secret. Drafted by X.</note></head>
  <dateline><date from="1955-09-09">September 9 [30?], 1955</date></dateline>
  <p>Body.</p>
</div>
<div type="document" xml:id="d2" n="3"><head>3. Duplicate id</head><p>kept</p></div>
</body></text></TEI>
"""


def test_old_volume_markup(tmp_path):
    path = tmp_path / "mini.xml"
    path.write_text(MINI, encoding="utf-8")
    batch = tei.read(path)
    d1, d2, d3 = batch.records
    assert d1.id == "frus1948mini-d1"
    assert d1.title == "The Acting Secretary of State to the Representative (Austin)"
    assert d1.type == "Telegram"  # from the inline note "...: Telegram"
    assert (d1.date.edtf, d1.date.min, d1.date.max) == ("1948-01", "1948-01-01", "1948-01-31")
    assert d1.classification.model_dump() == {"marking": "Secret", "level": "secret"}
    assert d1.source.citation == "501.BB/1-348: Telegram" and d1.source.repository is None
    assert links(d1.authors) == ["Acting Secretary of State"]
    assert links(d1.recipients) == ["Austin, Warren R."]  # unlinked surname, unique in the list
    assert d1.texts[0].body == "Washington, January 1948.\nsecret\n\nText goes on.\n\nLovett"
    assert d2.title == "Letter" and d2.type == "Letter"
    assert (d2.date.edtf, d2.date.min, d2.date.max) == ("1955-09-09/..", "1955-09-09", None)
    assert d2.classification.model_dump() == {"marking": "Top secret", "level": "top-secret"}
    assert d2.source.repository.name == "Truman Library"
    assert d3.id == "frus1948mini-d2" and d3.title == "Duplicate id"  # repeated xml:id still read


def test_split_source():
    assert tei.split_source("Source: Department of State, Central Files, 751G.00/4–755. Top Secret; Niact.") == (
        "Department of State, Central Files, 751G.00/4–755", "Top Secret; Niact")
    assert tei.split_source("Source: Johnson Library, NSF, Vol. XXVI, Memos. No classification marking.") == (
        "Johnson Library, NSF, Vol. XXVI, Memos", "No classification marking")
    assert tei.split_source("Source: Department of State, Central Files, POL 26 S VIET Top Secret; Emergency.") == (
        "Department of State, Central Files, POL 26 S VIET", "Top Secret; Emergency")
    assert tei.split_source("Source: Eisenhower Library, Dulles Papers. Transcribed by Bernau.") == (
        "Eisenhower Library, Dulles Papers", None)


def test_malformed_xml(tmp_path):
    path = tmp_path / "broken.xml"
    path.write_text(TEI_HEADER + '<TEI xmlns="http://www.tei-c.org/ns/1.0">\n<text>\n<p>open\n</TEI>\n')
    with pytest.raises(ReadError) as caught:
        tei.read(path)
    assert caught.value.where == "line 5"  # where the unclosed <p> is noticed
    assert "malformed XML" in str(caught.value) and "line 5" in str(caught.value)


def test_entity_bomb_refused(tmp_path):
    path = tmp_path / "bomb.xml"
    entities = "\n".join(
        f'<!ENTITY e{i} "{("&e" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    path.write_text(
        TEI_HEADER + f'<!DOCTYPE TEI [\n<!ENTITY e0 "ha">\n{entities}\n]>\n'
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>&e9;</p></body></text></TEI>\n')
    with pytest.raises(ReadError) as caught:
        tei.read(path)
    assert "entities" in caught.value.reason
    assert caught.value.where == "line 2"  # the DOCTYPE, refused before any expansion


def test_external_entity_refused(tmp_path):
    path = tmp_path / "xxe.xml"
    path.write_text(
        TEI_HEADER + '<!DOCTYPE TEI [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n'
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>&secret;</p></body></text></TEI>\n')
    with pytest.raises(ReadError) as caught:
        tei.read(path)
    assert "entities" in caught.value.reason


# ---------------------------------------------------------------- standalone TEI documents

HISTORY = "frus-history/documents"


def _standalone(corpus, name):
    from fonds.enrich import pipeline

    return pipeline.enrich(read(corpus / HISTORY / f"{name}.xml"))


def test_standalone_document_takes_the_source_note_around_it_and_a_stable_id(corpus):
    batch = _standalone(corpus, "1988-01-07-hac-meeting-minutes")
    (record,) = batch.records
    assert record.id == "1988-01-07-hac-meeting-minutes"  # the file: no "-None"
    assert record.source.citation.startswith("Department of State, Bureau of Public Affairs, Office of the Historian")
    assert record.classification.marking == "Confidential"
    assert (record.date.edtf, record.date.display) == ("1988-01-07", "January 7, 1988")  # the day, not the title's month
    assert record.type == "Minutes"


def test_standalone_dateline_range_and_one_warning_per_kind(corpus):
    batch = _standalone(corpus, "1961-08-31-berdahl-consultantship-report")
    (record,) = batch.records
    assert (record.date.edtf, record.date.min, record.date.max) == ("1961-06-20/1961-08-31", "1961-06-20", "1961-08-31")
    assert batch.warnings == ["text outside the documents left out (1 part): 'Cited in Toward “Thorough, Accurate, "
                              "and Reliable”: A History of the Foreign Rel'"]


def test_standalone_heads_of_the_form_x_to_y_give_authors_and_recipients(corpus):
    letters = _standalone(corpus, "1957-03-21-kennan-to-leopold").records
    assert [record.id for record in letters] == [
        "1957-03-21-kennan-to-leopold-leopold-to-kennan", "1957-03-21-kennan-to-leopold-woodward-to-kennan",
        "1957-03-21-kennan-to-leopold-freund-to-kennan", "1957-03-21-kennan-to-leopold-kennan-to-leopold"]
    assert [([a.name for a in r.authors], [a.name for a in r.recipients]) for r in letters][::3] == [
        (["Richard W. Leopold"], ["George F. Kennan"]), (["George F. Kennan"], ["Richard W. Leopold"])]
    assert letters[0].date.edtf == "1957-02-03"
    memo = _standalone(corpus, "1976-10-26-slany-and-costrell-to-ho-staff")
    (record,) = memo.records
    assert [a.name for a in record.authors] == ["William Z. Slany", "Edwin S. Costrell"]
    assert [a.name for a in record.recipients] == ["PA/HO Staff"]
    kinds = {a.name: a.kind for a in memo.authorities}
    assert kinds["William Z. Slany"] == "person" and kinds["PA/HO Staff"] == "organization"
    assert record.classification is None  # "the attached Confidential airgram" is not this memo's marking


def test_frus_volume_warns_only_of_what_it_leaves_out(corpus):
    batch = read(corpus / "frus" / "tei" / "frus1961-63v05.xml")
    assert batch.warnings == ["1 figure (images) left out of the text"]


def test_tei_without_documents_is_refused(tmp_path):
    path = tmp_path / "article.xml"
    path.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader/><text><body><p>An essay.</p></body></text></TEI>',
                    encoding="utf-8")
    with pytest.raises(ReadError, match='no <div type="document">'):
        read(path)


def test_unknown_elements_are_reported_once(tmp_path):
    path = tmp_path / "odd.xml"
    path.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><div type="document" xml:id="d1">'
                    "<head>A to B</head><p>One <zz>x</zz> and <zz>y</zz> <yy/>.</p></div></body></text></TEI>",
                    encoding="utf-8")
    batch = read(path)
    assert batch.records[0].id == "odd-d1"
    assert batch.warnings == ["TEI elements fonds does not map, read as plain text or left out: <zz> (2), <yy> (1)"]
