"""`fonds export --format tei`: a well-formed TEI P5 teiCorpus, one TEI per document, streamed."""

from __future__ import annotations

import io

import pytest
from lxml import etree

from fonds.catalog import export
from fonds.catalog import models as m

SEED = "000_6e32ea4dc738cddf"
NS = {"t": "http://www.tei-c.org/ns/1.0"}


@pytest.fixture
def seeded(sample_catalog, db):
    """The samples."""


def seed_tei(corpus) -> etree._Element:
    return corpus.xpath("//t:TEI[@n=$id]", namespaces=NS, id=SEED)[0]


def test_tei_export_is_a_well_formed_corpus(seeded):
    out = io.StringIO()
    count = export.write("tei", out)
    corpus = etree.fromstring(out.getvalue().encode())
    assert corpus.tag == "{http://www.tei-c.org/ns/1.0}teiCorpus"
    assert count == m.Document.objects.count() == len(corpus.xpath("t:TEI", namespaces=NS))
    assert corpus.xpath("t:teiHeader//t:taxonomy/@xml:id", namespaces=NS) == ["document-type", "classification", "topics", "subjects"]


def test_tei_of_the_seed_document(seeded):
    out = io.StringIO()
    export.write("tei", out)
    tei = seed_tei(etree.fromstring(out.getvalue().encode()))
    header = tei.find("t:teiHeader", NS)
    assert header.findtext("t:fileDesc/t:titleStmt/t:title", namespaces=NS).startswith("CC CPSU Presidium Decision")
    assert header.find("t:fileDesc/t:publicationStmt/t:idno", NS).text == SEED
    date = header.find("t:profileDesc/t:creation/t:date", NS)
    assert date.get("when") == "1959-12-14" and date.text == "December 14, 1959"
    classes = {c.get("scheme"): c.text for c in header.findall("t:profileDesc/t:textClass/t:classCode", NS)}
    assert classes == {"#document-type": "Decision", "#classification": "Top Secret"}
    people = header.xpath("t:profileDesc/t:particDesc/t:listPerson/t:person/t:persName", namespaces=NS)
    assert ("/people/khrushchev-nikita-sergeyevich", "Khrushchev, Nikita Sergeyevich") in [(p.get("ref"), p.text) for p in people]
    div = tei.find("t:text/t:body/t:div", NS)
    assert div.get("type") == "original" and div.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert div.findtext("t:p", namespaces=NS) == "Proletarians of all countries, unite!"


def test_tei_of_a_frus_document_has_source_places_and_correspondence(seeded):
    out = io.StringIO()
    export.write("tei", out)
    corpus = etree.fromstring(out.getvalue().encode())
    letter = corpus.xpath("t:TEI[.//t:correspAction[@type='received']]", namespaces=NS)[0]
    ms = letter.find("t:teiHeader/t:fileDesc/t:sourceDesc/t:msDesc/t:msIdentifier", NS)
    assert ms.find("t:repository", NS).get("ref").startswith("/archives/") and ms.find("t:idno[@type='citation']", NS).text
    assert letter.xpath(".//t:settingDesc/t:listPlace/t:place/t:placeName/@ref", namespaces=NS)[0].startswith("/places/")
    assert letter.xpath(".//t:langUsage/t:language/@ident", namespaces=NS) == ["en"]


def test_date_ranges_use_from_and_to(seeded):
    from fonds.records import DateValue, Record

    record = Record(id="x", title="Range", date=DateValue(edtf="1959-12-14/1959-12-18", min="1959-12-14", max="1959-12-18"))
    date = export.tei_document(record).find(".//t:creation/t:date", NS)
    assert (date.get("from"), date.get("to"), date.get("when")) == ("1959-12-14", "1959-12-18", None)


def test_control_characters_do_not_break_the_xml(seeded):
    from fonds.records import Record, Text

    record = Record(id="x", title="Bad \x0b byte", texts=[Text(kind="original", body="a\x00b\x1fc")])
    xml = etree.tostring(export.tei_document(record))
    assert etree.fromstring(xml).findtext(".//{http://www.tei-c.org/ns/1.0}div/{http://www.tei-c.org/ns/1.0}p") == "abc"


def test_tei_is_streamed_document_by_document(seeded):
    chunks = export.stream("tei", export.records())
    assert next(chunks).startswith("<?xml")
    assert "teiHeader" in next(chunks)
    assert next(chunks).startswith("<TEI ")  # one document per piece, nothing held back


def test_cli_export_tei(cli, sample_catalog, tmp_path):
    target = tmp_path / "out.xml"
    result = cli("export", "--format", "tei", "-o", str(target), check=True)
    assert "exported" in result.stderr
    corpus = etree.parse(str(target)).getroot()
    assert len(corpus.xpath("t:TEI", namespaces=NS)) == m.Document.objects.count()


def test_jsonl_and_csv_still_round_trip_shape(seeded):
    out = io.StringIO()
    assert export.write("csv", out) == m.Document.objects.count()
    assert out.getvalue().splitlines()[0].startswith("id,title,date")
    empty = io.StringIO()
    from fonds.archive.visibility import public

    assert export.write("csv", empty, public()) == public().count() > 0
