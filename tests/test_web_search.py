"""The search page, /api/search and `fonds search` on the sample catalog."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlparse

import pytest

from fonds.catalog import models as m

SEED = "000_6e32ea4dc738cddf"


@pytest.fixture
def seeded(sample_catalog, db, fresh_index):
    """The samples, with this test's own empty index (the first search catches it up)."""


def api(client, **params) -> dict:
    response = client.get("/api/search", params)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    return response.json()


def test_api_search_shape_and_folding(client, seeded):
    data = api(client, q="Хрущёв")
    assert data["total"] == api(client, q="Khrushchev")["total"] > 5
    hit = next(h for h in data["hits"] if h["id"] == SEED)
    assert hit["url"].endswith("/documents/000_6e32ea4dc738cddf/cc-cpsu-presidium-decision-about-further-steps-in-the-struggle-for-reduction-of")
    assert "<mark>Khrushchev</mark>" in hit["snippet"]
    assert set(data["facets"]) == {"type", "lang", "classification", "archive", "author", "person", "organization",
                                   "place", "topic", "subject", "withheld"}


def test_api_filters_sort_dates_and_exact(client, seeded):
    both = api(client, type=["Telegram", "Letter"])
    assert both["total"] == api(client, type="Telegram")["total"] + api(client, type="Letter")["total"]
    dated = api(client, **{"from": "1956", "to": "1956", "sort": "date-asc"})
    assert dated["hits"][0]["date"].endswith("1956") or "1956" in dated["hits"][0]["date"]
    assert api(client, q="Хрущёв", exact="1")["total"] == 0


def test_api_malformed_query_gives_messages(client, seeded):
    data = api(client, q='"unclosed (paren foo:bar')
    assert data["messages"] and isinstance(data["total"], int)


def test_unpublished_documents_never_appear(client, seeded):
    assert api(client, q="Proletarians")["total"] == 1
    doc = m.Document.objects.get(id=SEED)
    doc.status = "draft"
    doc.save()
    assert api(client, q="Proletarians")["total"] == 0
    assert client.get("/search", {"q": "Proletarians"}).content.decode().count('class="hit"') == 0


def test_search_page_facets_histogram_and_links(client, seeded):
    html = client.get("/search", {"q": "disarmament"}).content.decode()
    assert 'id="histogram"' in html and 'data-year="1956"' in html and 'id="facet-person"' in html
    assert 'href="/search/help"' in html
    assert "<mark>" in html  # snippets
    first_result = html.split('class="title" href="')[1].split('"')[0]
    url = urlparse(first_result.replace("&amp;", "&"))
    assert url.path.startswith("/documents/") and parse_qs(url.query)["q"] == ["disarmament"] and url.fragment == "first-match"


def test_document_page_marks_the_query(client, seeded):
    html = client.get("/documents/000_6e32ea4dc738cddf/cc-cpsu-presidium-decision-about-further-steps-in-the-struggle-for-reduction-of",
                      {"q": "Хрущёв"}).content.decode()
    assert '<mark id="first-match" data-hit="1">Khrushchev</mark>' in html and html.count("<mark") == 4  # "com. Khrushchev." and three "Khrushchev N.S."
    assert [f'id="hit-{n}" data-hit="{n}"' in html for n in (2, 3, 4, 5)] == [True, True, True, False]
    assert "4 matches for “Хрущёв” in this document" in html


def test_help_page(client, seeded):
    html = client.get("/search/help").content.decode()
    for form in ("&quot;test ban&quot;", "person:dulles", "date:1959-12..1960-03", "disarm*", "malinovsky~", "NOT"):
        assert form in html


def test_search_page_links_to_its_timeline_map_and_network_and_back(client, seeded):
    import re
    from html import unescape

    def nav(html: str) -> dict[str, str]:
        block = re.search(r'<nav class="explore-nav".*?</nav>', html, re.S).group(0)
        return {label: unescape(href) for href, label in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', block)}

    search = {"q": "disarmament", "type": "Memorandum", "from": "1955", "page": "2"}
    links = nav(client.get("/search", search).content.decode())
    assert set(links) == {"Results", "Timeline", "Map", "Correspondence"}
    wanted = {"q": ["disarmament"], "type": ["Memorandum"], "from": ["1955"]}  # the page is not carried over
    for label, path in (("Timeline", "/explore/timeline"), ("Map", "/explore/map"), ("Correspondence", "/explore/network")):
        url = urlparse(links[label])
        assert url.path == path and parse_qs(url.query) == wanted, label
        view = client.get(links[label])
        assert view.status_code == 200
        back = urlparse(nav(view.content.decode())["Results"])  # each view links back to the same results
        assert back.path == "/search" and parse_qs(back.query) == wanted


@pytest.fixture
def engine_calls(monkeypatch):
    """How often the engine itself was asked: a pass-through wrapper around `Search.search`."""
    from fonds.search.engine import Search

    calls = []
    real = Search.search

    def counted(self, request, *args, **kwargs):
        calls.append(request.query)
        return real(self, request, *args, **kwargs)

    monkeypatch.setattr(Search, "search", counted)
    return calls


def test_a_repeated_search_is_answered_without_the_engine(client, seeded, engine_calls):
    first = api(client, q="disarmament")
    assert api(client, q="disarmament") == first and first["hits"]
    assert engine_calls == ["disarmament"]
    # The page asks for its hits and its counts apart (two answers), and then keeps both.
    html = client.get("/search", {"q": "disarmament"}).content.decode()
    assert all(f"/documents/{hit['id']}/" in html for hit in first["hits"])
    assert client.get("/search", {"q": "disarmament"}).content.decode() == html
    assert engine_calls == ["disarmament"] * 3
    api(client, q="disarmament", page="2")
    assert engine_calls == ["disarmament"] * 4


def test_a_kept_answer_never_outlives_a_change(client, seeded, engine_calls):
    """An edit that reaches the index moves its position; a document hidden before the index
    knows it changes the ids left out: either way the search is run again."""
    assert api(client, q="Proletarians")["total"] == 1
    doc = m.Document.objects.get(id=SEED)
    doc.title = "Retitled: a Presidium decision"
    doc.save()
    assert api(client, q="Retitled")["hits"][0]["title"] == "Retitled: a Presidium decision"
    assert api(client, q="Proletarians")["hits"][0]["title"] == "Retitled: a Presidium decision"
    doc.status = "draft"
    doc.save()
    assert api(client, q="Proletarians")["total"] == 0
    assert engine_calls == ["Proletarians", "Retitled", "Proletarians", "Proletarians"]


def test_the_answers_kept_are_bounded_and_can_be_turned_off(client, seeded, engine_calls, monkeypatch):
    from fonds.settings import get_settings

    monkeypatch.setenv("FONDS_SEARCH_CACHE_SIZE", "2")
    get_settings.cache_clear()
    try:
        for words in ("treaty", "Dulles", "Geneva", "treaty"):  # the oldest of three is dropped
            api(client, q=words)
        assert engine_calls == ["treaty", "Dulles", "Geneva", "treaty"]
        api(client, q="Geneva")
        assert len(engine_calls) == 4
        monkeypatch.setenv("FONDS_SEARCH_CACHE_SIZE", "0")
        get_settings.cache_clear()
        api(client, q="Geneva")
        assert len(engine_calls) == 5
    finally:
        monkeypatch.delenv("FONDS_SEARCH_CACHE_SIZE")
        get_settings.cache_clear()


def test_the_page_goes_out_before_its_counts_and_gets_them_after(client, seeded, counts_after_page):
    params = {"q": "Secretary", "type": "Telegram"}
    page = client.get("/search", params).content.decode()
    everything = api(client, **params)
    # The hits and the total are there; the counts are not, but the value chosen is (to undo it).
    assert f'{everything["total"]} documents' in page and all(f"/documents/{h['id']}/" in page for h in everything["hits"])
    assert 'class="n"' not in page and 'id="histogram"' not in page and 'id="facet-type"' in page
    counts_url = re.search(r'data-counts-url="([^"]+)"', page).group(1).replace("&amp;", "&")
    assert "counts.js" in page and 'counts=wait">Wait for the counts</a>' in page
    counts_after_page.set()
    fragment = client.get(counts_url).content.decode()
    for facet in ("person", "place"):
        for bucket in everything["facets"][facet]:
            assert f'<span class="n">{bucket["count"]}</span>' in fragment and html.escape(bucket["value"]) in fragment
    assert 'id="histogram"' in fragment and 'data-counts-url' not in fragment
    # Now kept, the counts come with the page; and counts=wait (no JavaScript) always waits for them.
    again = client.get("/search", params).content.decode()
    waited = client.get("/search", {**params, "counts": "wait", "q": "Secretary Dulles"}).content.decode()
    for text in (again, waited):
        assert 'data-counts-url' not in text and 'id="histogram"' in text and 'class="n"' in text


def test_api_gives_hits_and_counts_apart(client, seeded):
    whole = api(client, q="Secretary", type="Telegram")
    hits = api(client, q="Secretary", type="Telegram", facets="0")
    counts = api(client, q="Secretary", type="Telegram", hits="0")
    assert hits["hits"] == whole["hits"] and hits["facets"] == {} and hits["histogram"] == []
    assert counts["hits"] == [] and counts["facets"] == whole["facets"] and counts["histogram"] == whole["histogram"]
    assert hits["total"] == counts["total"] == whole["total"] > 0


def test_the_page_says_when_counts_are_approximate(client, seeded, monkeypatch):
    """A note only the counts can give still reaches the page, which asks for hits and counts apart."""
    from fonds.search import facets

    monkeypatch.setattr(facets, "SEGMENT_FACET_SIZE", 1)  # segments keep 10 candidates: people outnumber them
    assert "Some facet counts are approximate." in api(client, q="Secretary", hits="0")["messages"]
    assert "Some facet counts are approximate." in client.get("/search", {"q": "Secretary"}).content.decode()
    monkeypatch.undo()
    assert "approximate" not in client.get("/search", {"q": "Secretary Dulles"}).content.decode()


def test_the_page_asks_once_what_the_index_may_not_show(client, seeded):
    """Hits and counts are two answers, but the catalog's hidden ids are looked up once a page."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get("/search", {"q": "treaty"})  # the index caught up first
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/search", {"q": "Geneva", "type": "Telegram"}).status_code == 200
    # One lookup is two queries: the changed documents not public now, and the removed ones.
    lookups = [q["sql"] for q in queries.captured_queries if '"seq" >' in q["sql"]]
    assert len(lookups) == 2, lookups
