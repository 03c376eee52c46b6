"""The OAI-PMH provider at /oai: every verb and error, validated against the official schemas.

Every response a test receives goes through `oai()`, which validates it against the vendored
OAI-PMH 2.0, oai_dc, simple DC and xml.xsd schemas (and fonds' own format schema), locally.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from urllib.parse import quote, unquote

import pytest
from django.db import transaction
from lxml import etree

from fonds import records as r
from fonds.catalog import models as m
from fonds.catalog.store import documents_with_details, to_record, write_batch
from fonds.oai import dc, tokens
from fonds.oai.validation import response_schema, validate
from fonds.settings import get_settings

NS = {"o": "http://www.openarchives.org/OAI/2.0/", "dc": "http://purl.org/dc/elements/1.1/",
      "f": "urn:x-fonds:record:1"}
HOST = "archive.example.org"
ID = f"oai:{HOST}:"
REPO = r.Repository(id="avprf", name="Archive of Foreign Policy of the Russian Federation", abbreviation="AVPRF")


def _doc(doc_id: str, **fields) -> r.Record:
    base = dict(id=doc_id, title=f"Document {doc_id}", provenance=r.Provenance(format="test"))
    return r.Record(**(base | fields))


# Records beside the sample catalog, with fixed datestamps in 2001 for from/until.
EXTRA = [
    (_doc("oai-topic-1", topics=["Nuclear Disarmament"], source=r.Source(citation="AVPRF f. 1", repository=REPO),
          authors=[r.Link(id="khrushchev", name="Khrushchev, Nikita")], languages=["ru"],
          date=r.DateValue(edtf="1959-12-14", min="1959-12-14", max="1959-12-14")), "2001-01-01T10:00:00"),
    (_doc("oai-topic-2", topics=["Nuclear Disarmament", "Cold War"], related=[r.Relation(id="oai-topic-1")]),
     "2001-01-02T10:00:00"),
    (_doc("oai-withdrawn", topics=["Cold War"], status="withdrawn"), "2001-01-03T10:00:00"),
    (_doc("oai-draft", topics=["Cold War"], status="draft"), "2001-01-04T10:00:00"),
    (_doc("oai-review", status="review"), "2001-01-05T10:00:00"),
    (_doc("oai-embargoed", embargo_until="2999-01-01"), "2001-01-06T10:00:00"),
    (_doc("odd id ü", summary="bad \x0b char"), "2001-01-07T10:00:00"),
]
HIDDEN = {"oai-draft", "oai-review", "oai-embargoed"}


@pytest.fixture(scope="module")
def catalog(sample_catalog, django_db_blocker):
    """The sample catalog plus records in every status (removed with the sample catalog)."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            write_batch(r.Batch(records=[record for record, _ in EXTRA]))
        for record, stamp in EXTRA:
            m.Document.objects.filter(id=record.id).update(updated=datetime.fromisoformat(stamp).replace(tzinfo=UTC))
    yield


@pytest.fixture
def oai(client, db, catalog, settings):
    """GET (or POST) /oai; asserts a schema-valid 200 answer and returns the parsed root."""
    settings.ALLOWED_HOSTS = ["*"]

    def request(method: str = "get", **params) -> etree._Element:
        response = getattr(client, method)("/oai", params, HTTP_HOST=HOST)
        assert response.status_code == 200
        assert response["Content-Type"] == "text/xml; charset=utf-8"
        assert validate(response.content) == [], response.content[:3000]
        return etree.fromstring(response.content)

    return request


def error_code(root) -> str | None:
    node = root.find("o:error", NS)
    return node.get("code") if node is not None else None


def headers(root) -> list[etree._Element]:
    return root.findall(".//o:header", NS)


def walk(oai, verb: str = "ListIdentifiers", between=None, **params) -> list[etree._Element]:
    """Every header of a list, following resumption tokens; `between(page_number)` runs between pages."""
    found, root, page = [], oai(verb=verb, **params), 1
    while True:
        found += headers(root)
        token = root.find(f"o:{verb}/o:resumptionToken", NS)
        if token is None or not token.text:
            return found
        if between:
            between(page)
        page += 1
        root = oai(verb=verb, resumptionToken=token.text)


# ---- the schemas themselves -------------------------------------------------------------------

def test_vendored_schemas_compile_offline():
    schema = response_schema()
    bad = b'<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate>x</responseDate></OAI-PMH>'
    assert not schema.validate(etree.fromstring(bad))


# ---- Identify, ListMetadataFormats, ListSets ---------------------------------------------------

def test_identify(oai, monkeypatch):
    monkeypatch.setattr(get_settings(), "oai_repository_name", "Cold War Documents")
    node = oai(verb="Identify").find("o:Identify", NS)
    assert node.findtext("o:repositoryName", namespaces=NS) == "Cold War Documents"
    assert node.findtext("o:baseURL", namespaces=NS) == f"http://{HOST}/oai"
    assert node.findtext("o:protocolVersion", namespaces=NS) == "2.0"
    assert node.findtext("o:adminEmail", namespaces=NS) == get_settings().admin_email
    assert node.findtext("o:earliestDatestamp", namespaces=NS) == "2001-01-01T10:00:00Z"  # the hidden ones are later
    assert node.findtext("o:deletedRecord", namespaces=NS) == "transient"
    assert node.findtext("o:granularity", namespaces=NS) == "YYYY-MM-DDThh:mm:ssZ"


def test_list_metadata_formats(oai):
    root = oai(verb="ListMetadataFormats")
    assert [x.text for x in root.iterfind(".//o:metadataPrefix", NS)] == ["oai_dc", "fonds"]
    schema = root.findtext(".//o:metadataFormat[2]/o:schema", namespaces=NS)
    assert schema.endswith("/static/fonds/oai/fonds-record.xsd")
    assert error_code(oai(verb="ListMetadataFormats", identifier=ID + "oai-topic-1")) is None
    assert error_code(oai(verb="ListMetadataFormats", identifier=ID + "oai-draft")) == "idDoesNotExist"


def test_list_sets_and_set_membership(oai):
    root = oai(verb="ListSets")
    specs = {s.findtext("o:setSpec", namespaces=NS): s.findtext("o:setName", namespaces=NS)
             for s in root.iterfind(".//o:set", NS)}
    assert specs["topic:nuclear-disarmament"] == "Nuclear Disarmament"
    assert specs["archive:avprf"] == REPO.name
    assert {"topic", "archive"} <= set(specs)

    def ids(set_spec):
        return {h.findtext("o:identifier", namespaces=NS) for h in walk(oai, metadataPrefix="oai_dc", set=set_spec)}

    assert ids("topic:nuclear-disarmament") == {ID + "oai-topic-1", ID + "oai-topic-2"}
    assert ids("topic:cold-war") == {ID + "oai-topic-2", ID + "oai-withdrawn"}  # not the draft
    assert ids("archive:avprf") == {ID + "oai-topic-1"}
    assert ID + "oai-topic-1" in ids("topic") and ID + "odd%20id%20%C3%BC" not in ids("topic")
    empty = oai(verb="ListIdentifiers", metadataPrefix="oai_dc", set="topic:no-such-topic")
    assert error_code(empty) == "noRecordsMatch"
    header = next(h for h in walk(oai, metadataPrefix="oai_dc", set="archive") if "oai-topic-1" in h[0].text)
    assert [s.text for s in header.iterfind("o:setSpec", NS)] == ["topic:nuclear-disarmament", "archive:avprf"]


# ---- GetRecord and the two formats ---------------------------------------------------------

def test_get_record_oai_dc(oai):
    dc_node = oai(verb="GetRecord", identifier=ID + "oai-topic-1", metadataPrefix="oai_dc").find(".//o:metadata/*", NS)
    values = {}
    for child in dc_node:
        values.setdefault(etree.QName(child).localname, []).append(child.text)
    assert values["title"] == ["Document oai-topic-1"]
    assert values["creator"] == ["Khrushchev, Nikita"]
    assert values["subject"] == ["Nuclear Disarmament"]
    assert values["date"] == ["1959-12-14"] and values["language"] == ["ru"] and values["source"] == ["AVPRF f. 1"]
    assert values["identifier"] == [f"http://{HOST}/documents/oai-topic-1/document-oai-topic-1"]
    related = oai(verb="GetRecord", identifier=ID + "oai-topic-2", metadataPrefix="oai_dc")
    assert related.findtext(".//dc:relation", namespaces=NS) == ID + "oai-topic-1"


def test_get_record_fonds_format_is_the_whole_record(oai):
    for doc in documents_with_details(m.Document.objects.filter(id__in=["000_6e32ea4dc738cddf", "odd id ü"])):
        root = oai(verb="GetRecord", identifier=_identifier(doc.id), metadataPrefix="fonds")
        node = root.find(".//f:record", NS)
        assert node.get("version") == "1"
        assert r.Record.from_json(json.loads(node.text)) == to_record(doc)


def _identifier(doc_id: str) -> str:
    return ID + quote(doc_id, safe="-_.!~*'();/?:@&=+$,")


def test_hidden_and_withdrawn_documents(oai):
    every = {h.findtext("o:identifier", namespaces=NS): h for h in walk(oai, metadataPrefix="oai_dc")}
    assert not {ID + hidden for hidden in HIDDEN} & set(every)
    assert every[ID + "oai-withdrawn"].get("status") == "deleted"
    assert every[ID + "oai-topic-1"].get("status") is None
    published = m.Document.objects.filter(status="published", embargo_until__isnull=True).count()
    assert len(every) == published + 1  # + the withdrawn one, as deleted
    for hidden in HIDDEN:
        assert error_code(oai(verb="GetRecord", identifier=ID + hidden, metadataPrefix="oai_dc")) == "idDoesNotExist"
    deleted = oai(verb="GetRecord", identifier=ID + "oai-withdrawn", metadataPrefix="oai_dc")
    assert deleted.find(".//o:header", NS).get("status") == "deleted"
    assert deleted.find(".//o:metadata", NS) is None
    records = oai(verb="ListRecords", metadataPrefix="fonds", set="topic:cold-war").findall(".//o:record", NS)
    assert [rec.find("o:metadata", NS) is None for rec in records] == [False, True]


# ---- from / until ------------------------------------------------------------------------------

@pytest.mark.parametrize("bounds, expected", [
    ({"from": "2001-01-02", "until": "2001-01-03"}, ["oai-topic-2", "oai-withdrawn"]),
    ({"from": "2001-01-02T10:00:00Z", "until": "2001-01-02T10:00:00Z"}, ["oai-topic-2"]),
    ({"from": "2001-01-02T10:00:01Z", "until": "2001-01-03T09:59:59Z"}, []),
    ({"until": "2001-01-01T10:00:00Z"}, ["oai-topic-1"]),
    ({"from": "2001-01-07", "until": "2001-01-07"}, ["odd%20id%20%C3%BC"]),
])
def test_from_until_at_second_granularity(oai, bounds, expected):
    root = oai(verb="ListIdentifiers", metadataPrefix="oai_dc", **bounds)
    if not expected:
        assert error_code(root) == "noRecordsMatch"
        return
    assert [h.findtext("o:identifier", namespaces=NS) for h in headers(root)] == [ID + x for x in expected]
    assert [h.findtext("o:datestamp", namespaces=NS)[:10] for h in headers(root)] == sorted(
        h.findtext("o:datestamp", namespaces=NS)[:10] for h in headers(root))


# ---- errors ------------------------------------------------------------------------------------

@pytest.mark.parametrize("params, code", [
    ({}, "badVerb"),
    ({"verb": "Harvest"}, "badVerb"),
    ({"verb": ["Identify", "Identify"]}, "badVerb"),
    ({"verb": "Identify", "metadataPrefix": "oai_dc"}, "badArgument"),
    ({"verb": "ListRecords"}, "badArgument"),
    ({"verb": "GetRecord", "identifier": ID + "oai-topic-1"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": ["oai_dc", "fonds"]}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2001-01-01T00:00Z"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2001-13-01"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2001-01-02", "until": "2001-01-01"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2001-01-01", "until": "2001-01-02T00:00:00Z"},
     "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "topic::x"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "resumptionToken": "x"}, "badArgument"),
    ({"verb": "ListRecords", "resumptionToken": "garbage"}, "badResumptionToken"),
    ({"verb": "ListSets", "resumptionToken": "garbage"}, "badResumptionToken"),
    ({"verb": "ListRecords", "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
    ({"verb": "GetRecord", "identifier": ID + "oai-topic-1", "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
    ({"verb": "GetRecord", "identifier": ID + "nope", "metadataPrefix": "oai_dc"}, "idDoesNotExist"),
    ({"verb": "GetRecord", "identifier": "oai:elsewhere.org:oai-topic-1", "metadataPrefix": "oai_dc"},
     "idDoesNotExist"),
    ({"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "until": "1990-01-01"}, "noRecordsMatch"),
])
def test_error_conditions(oai, params, code):
    root = oai(**params)
    assert error_code(root) == code
    echo = root.find("o:request", NS)
    if code in ("badVerb", "badArgument"):
        assert dict(echo.attrib) == {}  # the protocol: no attributes for requests not understood


def test_post_is_answered_like_get_and_other_methods_are_refused(oai, client):
    assert oai("post", verb="Identify").find("o:Identify", NS) is not None
    posted = oai("post", verb="GetRecord", identifier=ID + "oai-topic-1", metadataPrefix="oai_dc")
    assert posted.find(".//o:record", NS) is not None
    for method in ("put", "delete", "patch"):
        assert getattr(client, method)("/oai", HTTP_HOST=HOST).status_code == 405


def test_no_sets_is_no_set_hierarchy(oai):
    m.DocumentTopic.objects.all().delete()
    m.Document.objects.update(repository=None)
    assert error_code(oai(verb="ListSets")) == "noSetHierarchy"


# ---- resumption tokens -------------------------------------------------------------------------

def test_paging_sends_every_record_once_with_cursor_and_size(oai, monkeypatch):
    monkeypatch.setattr(get_settings(), "oai_page_size", 50)
    root = oai(verb="ListIdentifiers", metadataPrefix="oai_dc")
    first = root.find(".//o:resumptionToken", NS)
    total = int(first.get("completeListSize"))
    assert first.get("cursor") == "0" and len(headers(root)) == 50 and total > 300
    assert first.get("expirationDate").endswith("Z")
    ids = [h.findtext("o:identifier", namespaces=NS) for h in walk(oai, metadataPrefix="oai_dc")]
    assert len(ids) == len(set(ids)) == total
    last = oai(verb="ListRecords", metadataPrefix="oai_dc", set="topic:nuclear-disarmament")
    assert last.find(".//o:resumptionToken", NS) is None  # a complete list has no token at all


def test_records_changed_between_pages_are_neither_skipped_nor_repeated(oai, monkeypatch):
    """Records changing mid-list: the unchanged ones come once; a changed one comes with its new datestamp."""
    monkeypatch.setattr(get_settings(), "oai_page_size", 40)
    order = list(m.Document.objects.filter(status="published", embargo_until__isnull=True)
                 .order_by("updated", "id").values_list("id", flat=True))
    already_sent, not_yet_sent, unchanged_after = order[3], order[200], order[201]

    def edit(page):
        if page != 1:
            return
        for doc_id in (already_sent, not_yet_sent):
            record = to_record(documents_with_details().get(id=doc_id))
            with transaction.atomic():
                write_batch(r.Batch(records=[record.model_copy(update={"title": record.title + " (revised)"})]))
        m.Document.objects.filter(id=order[5]).update(status="draft")  # leaves the list mid-way
        time.sleep(0.01)

    seen = [unquote(h.findtext("o:identifier", namespaces=NS).removeprefix(ID))
            for h in walk(oai, between=edit, metadataPrefix="oai_dc")]
    counts = {doc_id: seen.count(doc_id) for doc_id in set(seen)}
    assert counts[not_yet_sent] == 1 and seen[-1] == not_yet_sent  # moved to the end, sent once
    assert counts[already_sent] == 2 and seen.index(already_sent) < 40  # sent, then sent again as changed
    assert counts[unchanged_after] == 1
    assert all(count == 1 for doc_id, count in counts.items() if doc_id != already_sent)
    assert set(order) - {order[5]} <= set(seen)


def test_bad_tokens_are_bad_resumption_tokens(oai, monkeypatch):
    monkeypatch.setattr(get_settings(), "oai_page_size", 50)
    token = oai(verb="ListRecords", metadataPrefix="oai_dc").find(".//o:resumptionToken", NS).text
    assert error_code(oai(verb="ListRecords", resumptionToken=token)) is None
    payload, _, signature = token.partition(".")
    for bad in (token[:-2], payload + "." + signature[::-1], token + "x", "ü" + token, "."):
        assert error_code(oai(verb="ListRecords", resumptionToken=bad)) == "badResumptionToken"
    assert error_code(oai(verb="ListIdentifiers", resumptionToken=token)) == "badResumptionToken"  # another verb
    monkeypatch.setattr(get_settings(), "oai_token_hours", 1)
    monkeypatch.setattr(tokens.time, "time", lambda: time.monotonic() + 10**10)  # far in the future
    assert error_code(oai(verb="ListRecords", resumptionToken=token)) == "badResumptionToken"


# ---- the library parts (no Django) ---------------------------------------------------------------

def test_tokens_round_trip_and_reject_tampering():
    state = tokens.ListState(verb="ListRecords", prefix="oai_dc", since="2001-01-01", until=None, set_spec="topic:x",
                             after_stamp="2001-01-01T00:00:00.123456+00:00", after_id="a/b", sent=100)
    token = tokens.encode(state, b"k", now=1000.0)
    assert tokens.decode(token, b"k", max_age=60, verb="ListRecords", now=1010.0).after_id == "a/b"
    wrong = ((b"other", 1010.0, "ListRecords"), (b"k", 1100.0, "ListRecords"), (b"k", 1010.0, "ListSets"))
    for key, now, verb in wrong:
        with pytest.raises(tokens.BadToken):
            tokens.decode(token, key, max_age=60, verb=verb, now=now)


def test_dublin_core_round_trip_keeps_what_dc_can_carry():
    record = r.Record(
        id="x", title="Telegram from Moscow", summary="A summary.", type="Telegram", languages=["ru", "en"],
        date=r.DateValue(edtf="1959-12", min="1959-12-01", max="1959-12-31"),
        authors=[r.Link(id="a", name="Gromyko, Andrei")], places=[r.Link(id="moscow", name="Moscow")],
        topics=["Cold War"], subjects=["Disarmament"], related=[r.Relation(id="y"), r.Relation(title="A letter")],
        source=r.Source(citation="RGANI, f. 3, op. 12, d. 1009"),
        rights=r.Rights(statement="Public domain", uri="https://x/r"))
    fields = dc.record_to_dc(record, url="https://example.org/documents/x",
                             oai_identifier=lambda i: f"oai:example.org:{i}")
    back = dc.dc_to_record("oai:example.org:x", fields)
    assert back.id == dc.record_id("oai:example.org:x") and len(back.id) <= 160
    assert (back.title, back.summary, back.type) == (record.title, record.summary, "Telegram")
    assert back.languages == ["ru", "en"]
    assert back.date.edtf == "1959-12" and back.date.max == "1959-12-31"
    assert [a.name for a in back.authors] == ["Gromyko, Andrei"] and [p.name for p in back.places] == ["Moscow"]
    assert back.subjects == ["Cold War", "Disarmament"]
    assert [x.id for x in back.related] == [dc.record_id("oai:example.org:y"), None]
    assert back.related[1].title == "A letter"
    assert back.source.citation == record.source.citation
    assert back.source.parts == {"identifier": "https://example.org/documents/x"}
    assert (back.rights.statement, back.rights.uri) == ("Public domain", "https://x/r")


@pytest.mark.parametrize("identifier", ["oai:a.org:1", "oai:a.org:" + "x" * 400, "oai:a.org:Хрущёв/1", "oai:a.org:A/1"])
def test_record_ids_are_stable_short_and_distinct(identifier):
    assert dc.record_id(identifier) == dc.record_id(identifier)
    assert len(dc.record_id(identifier)) <= 160
    assert dc.record_id("oai:a.org:A/1") != dc.record_id("oai:a.org:a-1")


def test_dates_and_languages_from_other_repositories():
    record = dc.dc_to_record("oai:b:1", {"title": ["T"], "date": ["14 December 1959"],
                                         "language": ["eng", "de-AT", "xx-unknown"]})
    assert record.date.edtf == "1959-12-14"
    assert record.languages == ["en", "de", "xx"]
    assert dc.dc_to_record("oai:b:2", {"date": ["sometime"]}).date is None
    assert dc.dc_to_record("oai:b:2", {}).title == "oai:b:2"
