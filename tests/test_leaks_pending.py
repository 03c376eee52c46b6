"""The leak matrix for links waiting in the curator queue (see test_leaks.py for documents).

A published memorandum, ingested as plain text, names two people no authority knows: the people
enricher links them with a confidence below the threshold, so the links wait for a curator. The
document is public, its text names them ("Harold Zqpendingov"), but the links must show in no public
channel: no entity page, API record, feed or sitemap entry for them, no facet value, no search by
person, nothing in the document's page, citations, API record, dumps, exports or OAI-PMH records.
A link shows as the authority's key ("zqpendingov-harold") or its name in inverted order
("Zqpendingov, Harold"), which the text never has. The last test accepts the links and finds them
in those same channels, so the checks can fail.
"""

from __future__ import annotations

import io
import json

import pytest
from django.test import Client

from fonds.archive import roles
from fonds.catalog import models as m
from tests.test_curator_queue import PENDING, write_memo
from tests.test_leaks import body_of, export_published_only, staff_client

pytestmark = pytest.mark.django_db

MARKS = (*PENDING, "Zqpendingov, Harold", "Quimbly, Walter")
SHARED_URLS = [
    "/search?q=Berlin", "/api/search?q=Berlin", "/documents/memo/", "/documents/memo/cite.json", "/documents/memo/cite.bib",
    "/documents/memo/cite.ris", "/api/documents/memo", "/api/documents?limit=100",
    "/feeds/documents.atom", "/feeds/search.atom?q=Berlin", "/sitemap-people.xml", "/dumps/documents.jsonl",
    "/dumps/documents.csv", "/dumps/documents.tei.xml", "/dumps/fonds.jsonl.gz",
    "/oai?verb=ListRecords&metadataPrefix=oai_dc", "/oai?verb=ListRecords&metadataPrefix=fonds",
    "/oai?verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:testserver:memo",
    "/oai?verb=GetRecord&metadataPrefix=fonds&identifier=oai:testserver:memo",
]
ENTITY_URLS = [f"{prefix}{key}{suffix}" for key in PENDING
               for prefix, suffix in (("/people/", ""), ("/api/people/", ""), ("/feeds/people/", ".atom"))]


def marks_in(body: bytes | str) -> list[str]:
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    return [mark for mark in MARKS if mark.lower() in text.lower()]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The memorandum ingested (published) with its two doubtful links, an index caught up, users."""
    from django.contrib.auth import get_user_model

    from tests.conftest import empty_catalog
    from fonds.archive import search
    from fonds.catalog import indexer
    from fonds.catalog.ingest import Ingest

    tmp = tmp_path_factory.mktemp("pending")
    with pytest.MonkeyPatch.context() as patch, django_db_blocker.unblock():
        patch.setattr(indexer, "index_root", lambda: tmp / "index")
        search.forget_searcher()
        assert Ingest([write_memo(tmp)], jobs=1, status="published").run().errors == []
        assert set(m.Mention.objects.filter(pending=True).values_list("authority__key", flat=True)) == set(PENDING)
        roles.create_user(roles.EDITOR, "a long passphrase", roles.EDITOR)
        indexer.catch_up()
        yield {"tmp": tmp, "export": export_published_only(tmp)}
        search.forget_searcher()
        empty_catalog()
        get_user_model().objects.filter(username=roles.EDITOR).delete()


@pytest.fixture
def index(world, monkeypatch):
    from fonds.archive import search
    from fonds.catalog import indexer

    monkeypatch.setattr(indexer, "index_root", lambda: world["tmp"] / "index")
    search.forget_searcher()
    yield
    search.forget_searcher()


@pytest.mark.parametrize("viewer", ["anonymous", roles.EDITOR])
@pytest.mark.parametrize("url", SHARED_URLS)
def test_pending_links_show_in_no_shared_channel(index, viewer, url):
    client = Client() if viewer == "anonymous" else staff_client(viewer)
    body = body_of(client, url)
    assert b"memo" in body or url.startswith(("/api/people", "/sitemap")), url  # the document itself is public
    assert marks_in(body) == [], (url, viewer)


@pytest.mark.parametrize("url", ENTITY_URLS + ["/api/people?limit=100", "/sitemap.xml"])
def test_no_entity_page_for_a_pending_link(index, url):
    """Anonymous visitors (staff read every authority record, as in test_leaks)."""
    response = Client().get(url)
    assert response.status_code == (200 if "?" in url or "sitemap" in url else 404), url
    asked = url.rsplit("/", 1)[-1].removesuffix(".atom")
    assert [mark for mark in marks_in(response.content) if mark != asked] == [], url  # a 404 may echo the address


def test_search_by_person_and_facets(index):
    client = Client()
    for key in PENDING:
        assert client.get("/api/documents", {"person": key}).json()["total"] == 0
    for name in ("Zqpendingov, Harold", "Quimbly, Walter"):
        answer = client.get("/api/search", {"person": name}).json()
        assert answer["total"] == 0, name
    answer = client.get("/api/search", {"q": "Zqpendingov"}).json()
    assert [hit["id"] for hit in answer["hits"]] == ["memo"]  # found by its words, not by a link
    assert marks_in(json.dumps(answer["facets"])) == []
    people = [bucket for facet, buckets in answer["facets"].items() if "person" in facet or "people" in facet for bucket in buckets]
    assert people, answer["facets"]  # the published people are counted (Kennedy...)


def test_exports_leave_pending_links_out(world):
    for fmt, text in world["export"].items():
        assert "memo" in text and marks_in(text) == [], fmt


def test_accepted_links_show_everywhere(index, world):
    """The other side: once accepted, the same channels show the links (the checks above can fail)."""
    from fonds.archive import changes
    from fonds.archive.visibility import public
    from fonds.catalog import export, indexer

    editor = m.Document._meta.apps.get_model("auth", "User").objects.get(username=roles.EDITOR)
    for mention_id in list(m.Mention.objects.filter(pending=True).values_list("pk", flat=True)):
        changes.decide_link(editor, mention_id, "accept", m.Revision.Road.ADMIN)
    indexer.catch_up()
    client = Client()
    for url in ("/documents/memo/", "/api/documents/memo", "/dumps/documents.jsonl", "/sitemap-people.xml",
                "/oai?verb=GetRecord&metadataPrefix=fonds&identifier=oai:testserver:memo"):
        assert marks_in(body_of(client, url)), url
    for url in ENTITY_URLS:
        assert client.get(url).status_code == 200, url
    assert client.get("/api/search", {"person": "Zqpendingov, Harold"}).json()["total"] == 1
    assert client.get("/api/documents", {"person": PENDING[0]}).json()["total"] == 1
    # `fonds export` in this process: the decisions above are not committed, so a subprocess cannot see them.
    out = io.StringIO()
    export.write("jsonl", out, public())
    assert marks_in(out.getvalue())
