"""The public pages a web process keeps (`fonds.web.pagestore`): answered again without rendering
while the archive stays as it is, rendered afresh after any change, and never kept for or from a
signed-in user, in another language, or when incomplete. On the real catalog and index of the
samples (the seed page and FRUS 1955-57 vol. XX)."""

from __future__ import annotations

import os

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fonds import records as r
from fonds.catalog import models as m
from fonds.catalog.store import INGEST, to_record, update_authority, write_batch
from fonds.settings import get_settings

pytestmark = pytest.mark.django_db
D1 = "frus1955-57v20-d1"


@pytest.fixture
def store_on(client, sample_catalog, db, fresh_index):
    """The page store turned on (the suite runs with it off) for a fresh test client, the node's
    index caught up with the catalog (as its follower keeps it); off again afterwards."""
    from fonds.catalog import indexer

    indexer.catch_up(fresh_index)
    before = os.environ["FONDS_PAGE_STORE_MB"]
    os.environ["FONDS_PAGE_STORE_MB"] = "8"
    get_settings.cache_clear()
    yield
    os.environ["FONDS_PAGE_STORE_MB"] = before
    get_settings.cache_clear()


def _get(client, path: str, **headers) -> tuple[bytes, int]:
    """The page's bytes and how many queries answering it took (redirects followed)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, follow=True, **headers)
    assert response.status_code == 200, (path, response.status_code)
    return response.content, len(queries)


def _page_of(client, doc_id: str) -> str:
    return client.get(f"/documents/{doc_id}/").url  # the canonical URL (with its slug)


@pytest.mark.parametrize("path", ["/search?q=disarmament", "/api/search?q=Stassen", f"/documents/{D1}/", "/people/"])
def test_a_public_page_is_answered_again_from_the_store(client, store_on, path):
    path = _page_of(client, D1) if path.startswith("/documents/") else path
    first, rendering = _get(client, path)
    again, answering = _get(client, path)
    assert again == first and answering == 1 < rendering  # one query: is the archive as it was?


def test_a_change_to_a_document_or_an_authority_renders_the_page_afresh(client, store_on):
    page = _page_of(client, D1)
    before, _ = _get(client, page)
    record = to_record(m.Document.objects.get(id=D1))
    record.title = "A title no page has shown"
    write_batch(r.Batch(records=[record]), status="published")
    after, queries = _get(client, page)  # the page, or the redirect to its new slug
    assert b"A title no page has shown" in after and queries > 1 and after != before
    # an authority's record (a revision, no change-log row): its page shows the change at once
    person = m.Authority.objects.filter(kind="person", mentions__document_id=D1).first()
    entity = f"/people/{person.key}"
    assert _get(client, entity)[0] == _get(client, entity)[0]
    update_authority(person, {"description": "A description no page has shown"}, INGEST)
    assert b"A description no page has shown" in _get(client, entity)[0]


def test_a_conditional_request_is_answered_by_the_view(client, store_on):
    """The API's document answer carries an ETag: a client that has it gets 304, not the kept 200."""
    path = "/api/documents/000_6e32ea4dc738cddf"
    _get(client, path)  # rendered, and kept
    etag = client.get(path)["ETag"]
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""


def test_signed_in_users_neither_get_nor_leave_kept_pages(client, store_on, django_user_model):
    page = _page_of(client, D1)
    editor = django_user_model.objects.create_user("edith", password="a-long-test-password-1955", is_staff=True)
    client.force_login(editor)
    _, first = _get(client, page)
    _, again = _get(client, page)
    assert first > 1 and again > 1
    client.logout()
    _, anonymous = _get(client, page)
    assert anonymous > 1  # rendered for the visitor: nothing the editor saw was kept


def test_each_language_and_encoding_is_kept_apart(client, store_on):
    english, _ = _get(client, "/search?q=Geneva", HTTP_ACCEPT_LANGUAGE="en")
    russian, _ = _get(client, "/search?q=Geneva", HTTP_ACCEPT_LANGUAGE="ru")
    assert english != russian and 'lang="ru"' in russian.decode()
    assert _get(client, "/search?q=Geneva", HTTP_ACCEPT_LANGUAGE="ru") == (russian, 1)
    gzipped, queries = _get(client, "/search?q=Geneva", HTTP_ACCEPT_LANGUAGE="en", HTTP_ACCEPT_ENCODING="gzip")
    assert gzipped[:2] == b"\x1f\x8b" and queries > 1  # the compressed page is a page of its own


def test_incomplete_and_live_answers_are_not_kept(client, store_on, monkeypatch):
    from fonds.web import search
    from fonds.web.pagestore import _keepable

    assert _keepable(client.get("/search?q=Dulles"))
    monkeypatch.setattr(search, "_counted", lambda counting, within: None if within is not None else counting.result())
    _, first = _get(client, "/search?q=Dulles&type=Telegram")
    _, again = _get(client, "/search?q=Dulles&type=Telegram")
    assert again > 1  # the page went out before its counts: rendered again
    # the node's health and OAI-PMH answers (which carry their time) are never kept
    assert not _keepable(client.get("/health")) and not _keepable(client.get("/oai?verb=Identify"))


def test_the_store_keeps_at_most_its_size(rf, store_on):
    from django.http import HttpResponse

    from fonds.web.pagestore import PageStore

    def page(request):
        response = HttpResponse(b"x" * int(request.GET.get("size", 1000)), content_type="text/html")
        response["Cache-Control"] = "public, max-age=60"
        return response

    store = PageStore(page)
    store.limit = 16_000  # sixteen pages of 1,000 bytes; a page may take a sixteenth at most
    for number in range(20):
        store(rf.get(f"/page/{number}"))
    assert [key[0] for key in store.pages] == [f"/page/{n}" for n in range(4, 20)] and store.size == 16_000
    store(rf.get("/page/4"))  # used again: now the last to go
    store(rf.get("/large?size=1001"))
    assert list(store.pages)[-1][0] == "/page/4" and store.size == 16_000
