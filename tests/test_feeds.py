"""Atom feeds, the sitemap and the downloadable dumps of the published archive."""

from __future__ import annotations

import csv
import gzip
import io
import json

import pytest
from lxml import etree

from fonds.catalog import models as m

SEED = "000_6e32ea4dc738cddf"
ATOM = {"a": "http://www.w3.org/2005/Atom"}
SITEMAP = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture
def seeded(sample_catalog, db, fresh_index):
    """The samples, with this test's own empty search index."""


def atom(client, url) -> etree._Element:
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    return etree.fromstring(response.content)


def entry_ids(feed) -> list[str]:
    return [e.rsplit(":", 1)[1] for e in feed.xpath("//a:entry/a:id/text()", namespaces=ATOM)]


def test_new_documents_feed(client, seeded):
    feed = atom(client, "/feeds/documents.atom")
    assert feed.tag == "{http://www.w3.org/2005/Atom}feed"
    ids = entry_ids(feed)
    newest = m.Document.objects.order_by("-created", "id").values_list("id", flat=True)[:50]
    assert ids == list(newest)
    entry = feed.xpath("//a:entry", namespaces=ATOM)[0]
    assert entry.xpath("a:link/@href", namespaces=ATOM)[0].startswith("http://testserver/documents/")
    assert entry.xpath("a:updated", namespaces=ATOM) and entry.xpath("a:published", namespaces=ATOM)


def test_feeds_leave_out_drafts(client, seeded):
    newest = entry_ids(atom(client, "/feeds/documents.atom"))[0]
    m.Document.objects.filter(id=newest).update(status="draft")
    assert newest not in entry_ids(atom(client, "/feeds/documents.atom"))


def test_person_and_topic_feeds(client, seeded):
    # the seed page and the FRUS volume name one Khrushchev: his feed holds both
    assert SEED in entry_ids(atom(client, "/feeds/people/khrushchev-nikita-sergeyevich.atom"))
    topic = m.Topic.objects.create(slug="disarmament", name="Disarmament")
    m.DocumentTopic.objects.create(document_id=SEED, topic=topic)
    feed = atom(client, "/feeds/topics/disarmament.atom")
    assert entry_ids(feed) == [SEED] and "Disarmament" in feed.findtext("a:title", namespaces=ATOM)
    assert client.get("/feeds/topics/nothing.atom").status_code == 404
    assert client.get("/feeds/people/nobody.atom").status_code == 404


def test_search_feed_follows_the_search(client, seeded):
    feed = atom(client, "/feeds/search.atom?q=Хрущёв&type=Decision")
    assert entry_ids(feed) == [SEED]
    assert "<mark>" in feed.xpath("//a:entry/a:summary/text()", namespaces=ATOM)[0]  # the snippet
    assert "type=Decision" in feed.xpath("a:link[@rel='self']/@href", namespaces=ATOM)[0]
    assert client.get("/feeds/search.atom?q=%22unclosed(").status_code == 200


def test_sitemap_index_and_sections(client, seeded, settings):
    index = etree.fromstring(client.get("/sitemap.xml").content)
    sections = index.xpath("//s:sitemap/s:loc/text()", namespaces=SITEMAP)
    assert "http://testserver/sitemap-documents.xml" in sections and "http://testserver/sitemap-people.xml" in sections
    # People the seed alone names (the FRUS volume names Khrushchev too, on the same record).
    seed_only = [person.get_absolute_url() for person in m.Authority.objects.filter(kind="person", mentions__document_id=SEED)
                 if not person.mentions.exclude(document_id=SEED).exists()]
    assert seed_only
    m.Document.objects.filter(id=SEED).update(status="draft")
    urls = etree.fromstring(client.get("/sitemap-documents.xml").content).xpath("//s:loc/text()", namespaces=SITEMAP)
    assert len(urls) == m.Document.objects.filter(status="published").count()
    assert not any(SEED in url for url in urls)
    people = etree.fromstring(client.get("/sitemap-people.xml").content).xpath("//s:loc/text()", namespaces=SITEMAP)
    # Named only by the seed, now a draft: their pages are not public, so not listed.
    assert not any(f"http://testserver{url}" in people for url in seed_only)
    assert "http://testserver/people/khrushchev-nikita-sergeyevich" in people
    assert "http://testserver/people/adenauer-konrad" in people


def test_sitemap_is_paginated(client, seeded, monkeypatch):
    from fonds.settings import get_settings

    monkeypatch.setattr(get_settings(), "sitemap_limit", 100)
    index = etree.fromstring(client.get("/sitemap.xml").content)
    pages = [u for u in index.xpath("//s:loc/text()", namespaces=SITEMAP) if "sitemap-documents" in u]
    published = m.Document.objects.filter(status="published").count()
    assert len(pages) == -(-published // 100) > 1 and pages[1].endswith("?p=2")
    assert len(etree.fromstring(client.get("/sitemap-documents.xml?p=2").content)) == 100


def _body(response) -> bytes:
    assert response.streaming  # a StreamingHttpResponse: never the whole dump in memory
    return b"".join(response.streaming_content)


def test_jsonl_dumps_stream_every_published_document_and_no_draft(client, seeded):
    m.Document.objects.filter(id=SEED).update(status="draft")
    published = set(m.Document.objects.filter(status="published").values_list("id", flat=True))
    response = client.get("/dumps/fonds.jsonl.gz")
    assert response["Content-Type"] == "application/gzip" and "fonds.jsonl.gz" in response["Content-Disposition"]
    lines = [json.loads(line) for line in gzip.decompress(_body(response)).decode().splitlines()]
    assert {line["id"] for line in lines if "authority" not in line} == published
    assert any("authority" in line for line in lines)
    plain = _body(client.get("/dumps/documents.jsonl")).decode().splitlines()
    assert {json.loads(line).get("id") for line in plain if '"authority"' not in line[:14]} == published


def test_csv_and_tei_dumps(client, seeded):
    m.Document.objects.filter(id=SEED).update(embargo_until="2999-01-01")
    rows = list(csv.DictReader(io.StringIO(_body(client.get("/dumps/documents.csv")).decode())))
    public = m.Document.objects.filter(status="published", embargo_until__isnull=True).count()
    assert len(rows) == public and SEED not in {row["id"] for row in rows}
    tei = etree.fromstring(_body(client.get("/dumps/documents.tei.xml")))
    assert len(tei.findall("{http://www.tei-c.org/ns/1.0}TEI")) == public
    assert client.get("/dumps/secrets.txt").status_code == 404
