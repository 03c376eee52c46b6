"""Reading-room pages through Django's test client on the real catalog."""

from __future__ import annotations

import re

import pytest

from fonds.catalog import models as m

pytestmark = pytest.mark.django_db

SEED_URL = "/documents/000_6e32ea4dc738cddf/cc-cpsu-presidium-decision-about-further-steps-in-the-struggle-for-reduction-of"
# The seed page's panels with values (its related documents are computed: more like this); the
# empty ones (authors, places, topics, subjects, source, archive) are left out rather than reading
# "None recorded".
PANELS = ["Summary", "Text", "Associated People &amp; Organizations", "Related Documents", "Document Information",
          "Language", "Original Classification", "Rights", "Funding", "Record ID"]
EMPTY = ["Author(s)", "Associated Places", "Associated Topics", "Subjects Discussed", "Original Archive"]


@pytest.fixture
def seeded(sample_catalog, db, fresh_index):
    """The samples, ingested once for the module; each test's changes are rolled back."""


def test_document_page_shows_every_panel_in_order(client, seeded):
    html = client.get(SEED_URL).content.decode()
    positions = [html.index(f">{label}<") for label in PANELS]
    assert positions == sorted(positions)
    assert html.index("December 14, 1959") < html.index(">Summary<")
    assert "None recorded" not in html and not [label for label in EMPTY if f">{label}<" in html]
    # the teaser above the title, type and classification beside it; the English text's language named
    assert html.index('id="teaser">Khrushchev proposes a unilateral reduction') < html.index('id="title"')
    facts = re.search(r'<p class="facts" id="facts">(.*?)</p>', html).group(1)
    assert ">Decision<" in facts and ">Top Secret<" in facts and html.index(facts) < html.index(">Summary<")
    assert '<dd id="language">English</dd>' in html
    for text in ("Proletarians of all countries, unite!", "4-ak", "Top Secret", "Leon Levy Foundation",
                 "welcomes reuse of Digital Archive materials", "000_6e32ea4dc738cddf"):
        assert text in html
    assert 'href="/people/khrushchev-nikita-sergeyevich"' in html
    assert 'href="/people/malinovsky-rodion-yakovlevich"' in html


def test_short_and_wrong_slug_urls_redirect_to_canonical(client, seeded):
    for url in ("/documents/000_6e32ea4dc738cddf/", "/documents/000_6e32ea4dc738cddf/wrong-slug"):
        response = client.get(url)
        assert response.status_code == 301 and response["Location"] == SEED_URL
    # a search result's ?q= survives the way to the canonical URL, so its hits are still marked
    response = client.get("/documents/000_6e32ea4dc738cddf/", {"q": "Хрущёв"})
    assert response["Location"] == SEED_URL + "?q=%D0%A5%D1%80%D1%83%D1%89%D1%91%D0%B2"


def test_frus_document_page(client, seeded):
    doc = m.Document.objects.get(id="frus1955-57v20-d1")
    html = client.get(doc.get_absolute_url()).content.decode()
    assert "Memorandum of a Conversation" in html and "January 4, 1955" in html
    assert 'href="/places/washington"' in html and "Top Secret" in html


def test_frus_document_shows_its_edition_notes_and_neighbours(client, seeded):
    """Breadcrumb (series, volume, document number), previous/next in the volume, the source note
    under its own number and the footnotes, each linked to its mark and back."""
    html = client.get(m.Document.objects.get(id="frus1955-57v20-d2").get_absolute_url()).content.decode()
    crumbs = re.search(r'<nav class="breadcrumb" id="edition" aria-label="Edition">(.*?)</nav>', html, re.S).group(1)
    assert re.findall(r"<li[^>]*>(.*?)</li>", crumbs) == [
        "Foreign Relations of the United States", "1955–1957, Regulation of Armaments; Atomic Energy, Volume XX", "Document 2"]
    d1, d3 = (m.Document.objects.get(id=f"frus1955-57v20-d{n}") for n in (1, 3))
    assert f'<a rel="prev" href="{d1.get_absolute_url()}">' in html and f'<a rel="next" href="{d3.get_absolute_url()}">' in html
    # the mark's name holds the number it shows (axe: label-content-name-mismatch)
    assert re.search(r'<a id="source-note-ref" href="#source-note" aria-label="Source note (\d+)">\1</a>', html)
    source = re.search(r'<li id="source-note">(.*?)</li>', html, re.S).group(1)
    assert "Source: Eisenhower Library" in source and 'href="#source-note-ref"' in source
    refs = re.findall(r'<sup class="fn-ref"><a id="(fn-1-\d+)-ref" href="#(fn-1-\d+)"', html)
    assert refs and all(ref == target for ref, target in refs)
    for anchor, _ in refs:
        assert f'<li id="{anchor}">' in html and f'href="#{anchor}-ref"' in html
    first = m.Document.objects.get(id="frus1955-57v20-d1").get_absolute_url()
    html = client.get(first).content.decode()
    assert 'rel="prev"' not in html and 'rel="next"' in html  # the volume's first document
    assert re.search(r'London\.<sup class="fn-ref"><a id="fn-1-3-ref" href="#fn-1-3"[^>]*>5</a></sup>', html)
    d10 = m.Document.objects.get(id="frus1955-57v20-d10").get_absolute_url()
    assert f'Regarding this subcommittee, see <a class="xref" href="{d10}">Document 10</a>.' in html  # a note's reference links


def test_hits_are_counted_and_numbered_in_text_and_notes(client, seeded):
    url = m.Document.objects.get(id="frus1955-57v20-d1").get_absolute_url()
    html = client.get(url, {"q": "subcommittee"}).content.decode()
    marks = re.findall(r'<mark id="([\w-]+)" data-hit="(\d+)">', html)
    assert marks[0] == ("first-match", "1") and [int(n) for _, n in marks] == list(range(1, len(marks) + 1))
    assert f"{len(marks)} matches for “subcommittee” in this document" in html
    notes = html[html.index('class="footnotes"'):]
    assert '<mark id="hit-' in notes  # "Regarding this subcommittee, see Document 10."
    assert "No matches for “zzyzx” in this document" in client.get(url, {"q": "zzyzx"}).content.decode()


def test_person_page_lists_documents(client, seeded):
    html = client.get("/people/khrushchev-nikita-sergeyevich").content.decode()
    assert "Khrushchev, Nikita Sergeyevich" in html and "Хрущёв" in html and SEED_URL in html
    place = client.get("/places/washington")
    assert place.status_code == 200 and b"1955" in place.content


def test_home_lists_recent_documents_and_sends_queries_to_search(client, seeded):
    html = client.get("/").content.decode()
    assert html.count('<li>') == 20 and 'action="/search"' in html
    response = client.get("/", {"q": "Proletarians"})
    assert response.status_code == 302 and response["Location"] == "/search?q=Proletarians"


def test_drafts_and_embargoes_are_not_public(client, seeded):
    m.Document.objects.filter(id="000_6e32ea4dc738cddf").update(status="draft")
    assert client.get(SEED_URL).status_code == 404
    m.Document.objects.filter(id="000_6e32ea4dc738cddf").update(status="published", embargo_until="2999-01-01")
    assert client.get(SEED_URL).status_code == 404
    assert SEED_URL not in client.get("/people/khrushchev-nikita-sergeyevich").content.decode()


@pytest.mark.parametrize("url", ["/documents/nope/x", "/people/nobody", "/topics/none", "/places/%00", "/?page=abc", "/?q=%00",
                                 "/search?q=%00", "/search?page=abc", "/search?from=x&to=y", "/search?sort=nope",
                                 "/api/search?q=%22unclosed", "/search?q=" + "(" * 300, "/documents/x/%00",
                                 "/search/counts?q=%00&from=x&page=abc", "/search/counts?person=%00&counts=wait",
                                 "/search?counts=nope&q=(", "/api/search?facets=x&hits=%00"])
def test_bad_urls_never_give_a_server_error(client, seeded, url):
    assert client.get(url).status_code in (200, 400, 404)


def test_page_html_has_only_its_own_scripts(client, seeded):
    # Data never injects markup: the only scripts are the JSON-LD block and the copy-button script.
    html = client.get(SEED_URL).content.decode()
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts == ['<script type="application/ld+json">', '<script src="/static/fonds/cite.js" defer>']
