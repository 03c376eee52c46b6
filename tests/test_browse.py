"""Browsing (indexes, dates, entity pages), computed related documents, and the timeline, map and
network of a search, through Django's test client on the seed page and FRUS 1955-57 vol. XX."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.http import QueryDict

from fonds.archive import changes, roles
from fonds.archive.search import matching_ids, search_request
from fonds.catalog import models as m

pytestmark = pytest.mark.django_db
VOLUME = "frus1955-57v20"


@pytest.fixture
def seeded(sample_catalog, db, fresh_index):
    """The samples, ingested once for the module; each test's changes are rolled back."""


def entries(html: str, list_id: str = "") -> dict[str, int]:
    """{name: count} of an index page's entries (or of the list with that id)."""
    if list_id:
        html = html.split(f'id="{list_id}"', 1)[1].split("</ul>", 1)[0]
    pairs = re.findall(r'<li><a href="[^"]*">([^<]+)</a>(?: <span class="dates">[^<]*</span>)? <span class="n"[^>]*>(\d+)</span>', html)
    return {name.replace("&#x27;", "'").replace("&amp;", "&"): int(n) for name, n in pairs}


def public_count(**filters) -> int:
    return m.Document.objects.filter(status="published", **filters).distinct().count()


def test_indexes_count_the_documents_of_each_name(client, seeded):
    people = entries(client.get("/people/", {"sort": "count"}).content.decode())
    stassen = m.Authority.objects.get(kind="person", key="stassen-harold-e")
    assert list(people)[0] == stassen.name  # the most documents first
    assert people[stassen.name] == public_count(mentions__authority=stassen)
    places = entries(client.get("/places/").content.decode())
    assert list(places) == sorted(places, key=str.casefold)
    assert places["London"] == public_count(mentions__authority__kind="place", mentions__authority__name="London")
    archives = entries(client.get("/archives/").content.decode())
    for row in m.Authority.objects.filter(kind="repository", held_documents__isnull=False).distinct():
        assert archives[row.name] == public_count(repository=row)


def test_topic_and_subject_indexes(client, seeded, tmp_path):
    from fonds.catalog.ingest import Ingest

    source = tmp_path / "themes.jsonl"
    source.write_text("\n".join(json.dumps({
        "id": f"theme-{i}", "title": f"Theme memo {i}", "status": status, "topics": ["Nuclear Disarmament"],
        "subjects": ["Test ban / moratorium", f"Only {status}"]}) for i, status in enumerate(("published", "published", "draft"))))
    assert Ingest([source], jobs=1).run().errors == []
    topics = entries(client.get("/topics/").content.decode())
    subjects = entries(client.get("/subjects/").content.decode())
    assert topics == {"Nuclear Disarmament": 2}
    assert subjects == {"Only published": 2, "Test ban / moratorium": 2}  # nothing of the draft
    page = client.get("/subjects/Test ban / moratorium")
    assert page.status_code == 200 and "Theme memo 1" in page.content.decode()
    assert client.get("/subjects/Only draft").status_code == 404
    home = client.get("/browse").content.decode()
    assert all(f'href="/{name}/"' in home for name in ("people", "organizations", "places", "archives", "topics", "subjects"))


def test_dates_zoom_from_decades_to_months(client, seeded):
    decades = entries(client.get("/dates/").content.decode())
    assert decades["1950s"] == public_count(date_min__year__gte=1950, date_min__year__lte=1959)
    years = entries(client.get("/dates/1950s").content.decode())
    assert sum(years.values()) == decades["1950s"] and years["1956"] == public_count(date_min__year=1956)
    year = client.get("/dates/1956").content.decode()
    months = entries(year)
    assert sum(months.values()) == years["1956"] and months["April 1956"] == public_count(date_min__year=1956, date_min__month=4)
    month = client.get("/dates/1956-04").content.decode()
    assert f"{months['April 1956']} documents" in month and 'href="/dates/1956"' in month
    for bad in ("1956-13", "abc", "0000", "1955s"):
        response = client.get(f"/dates/{bad}")
        assert response.status_code == 404 and "a period is a decade (1950s)" in response.content.decode()


def test_entity_page_has_names_roles_timeline_companions_and_feed(client, seeded):
    html = client.get("/people/khrushchev-nikita-sergeyevich").content.decode()
    assert "Хрущёв" in html and 'id="roles"' in html and 'id="timeline"' in html
    assert '<link rel="alternate" type="application/atom+xml"' in html
    stassen = m.Authority.objects.get(kind="person", key="stassen-harold-e")
    page = client.get(stassen.get_absolute_url()).content.decode()
    years = entries(page.split('id="timeline"', 1)[1])
    assert years["1957"] == public_count(mentions__authority=stassen, date_min__year=1957)
    companions = entries(page, "companions")
    first, count = next(iter(companions.items()))
    assert count == max(companions.values())
    other = m.Authority.objects.get(kind="person", name=first)
    together = m.Mention.objects.filter(authority=other).values("document_id")
    assert count == public_count(mentions__authority=stassen, pk__in=together)
    narrowed = client.get(stassen.get_absolute_url(), {"year": "1957"}).content.decode()
    assert f"{years['1957']} documents of" in narrowed and "?year=1957&amp;page=2" in narrowed
    assert "0 documents of" in client.get(stassen.get_absolute_url(), {"year": "nonsense"}).content.decode()
    feed = client.get("/feeds/places/london.atom")
    assert feed.status_code == 200 and b"<entry>" in feed.content
    assert client.get("/feeds/organizations/no-such-key.atom").status_code == 404


def test_related_documents_cited_same_file_and_similar(client, seeded):
    def groups(doc_id: str) -> dict[str, list[str]]:
        response = client.get(m.Document.objects.get(id=doc_id).get_absolute_url())
        return {g.name: [item["document"].id for item in g.items] for g in response.context["related_groups"]}

    cited = groups(f"{VOLUME}-d112")  # its notes say "see Document 103" and "Document 109"
    assert cited["cited"] == [f"{VOLUME}-d103", f"{VOLUME}-d109"]
    # d229 cites "telegram 4709", which is d228's own number (Bonn, the same day).
    assert f"{VOLUME}-d228" in groups(f"{VOLUME}-d229")["cited"]
    same = groups(f"{VOLUME}-d197")  # Central Files 600.0012/5–1757, as d196 and d198
    assert same["same-file"] == [f"{VOLUME}-d196", f"{VOLUME}-d198"]
    assert 0 < len(same["similar"]) <= 5 and f"{VOLUME}-d197" not in same["similar"]
    shown = [i for g in same.values() for i in g]
    assert len(shown) == len(set(shown))  # each document once, under its first reason
    # A document no longer public is neither cited nor similar nor in the same file.
    editor = roles.create_user("related-editor", "a long passphrase", roles.EDITOR)
    changes.transition(editor, f"{VOLUME}-d196", "withdraw", "workflow")
    after = groups(f"{VOLUME}-d197")
    assert f"{VOLUME}-d196" not in [i for g in after.values() for i in g]
    html = client.get(m.Document.objects.get(id=f"{VOLUME}-d112").get_absolute_url()).context
    from django.template.loader import render_to_string
    partial = render_to_string("fonds/_related.html", {"related_groups": html["related_groups"]})
    assert "Cited in this document" in partial and "(Document 103)" in partial


def test_curated_relations_come_before_computed_ones(client, seeded):
    """A document with curated relations and computed ones lists the curated first, and a document
    both curated and cited only once, under its curated relation."""
    doc = m.Document.objects.get(id=f"{VOLUME}-d112")  # its text cites Documents 103 and 109
    m.Relation.objects.create(document=doc, position=0, target_id=f"{VOLUME}-d150")
    m.Relation.objects.create(document=doc, position=1, target_id=f"{VOLUME}-d109", relation="follows up")
    response = client.get(doc.get_absolute_url())
    groups = {g.name: [item["document"].id for item in g.items] for g in response.context["related_groups"]}
    assert list(groups)[:2] == ["curated", "cited"] and "similar" in groups
    assert groups["curated"] == [f"{VOLUME}-d150", f"{VOLUME}-d109"]
    assert groups["cited"] == [f"{VOLUME}-d103"]
    html = response.content.decode()
    order = [html.index(f'id="related-{name}"') for name in groups]
    assert order == sorted(order)  # the page shows them in that order
    assert "(follows up)" in html.split('id="related-curated"', 1)[1].split("</ul>", 1)[0]


def _text_and_notes(html: str) -> tuple[str, str]:
    """The reading text of a document page (its first layer) and that layer's footnotes, as HTML."""
    text = html.split('<section id="text"', 1)[1]
    body, found, notes = text.partition('class="footnotes"')
    if not found:
        return body.split("</section>", 1)[0], ""
    return body, notes.split("</ol>", 1)[0]


def test_cross_references_in_text_and_notes_link_to_the_cited_document(client, seeded):
    d103, d109, d228 = (m.Document.objects.get(id=f"{VOLUME}-d{n}").get_absolute_url() for n in (103, 109, 228))
    url = m.Document.objects.get(id=f"{VOLUME}-d112").get_absolute_url()
    body, notes = _text_and_notes(client.get(url).content.decode())
    for target, words in ((d103, "Document 103"), (d109, "Document 109")):
        link = f'<a class="xref" href="{target}">{words}</a>'
        assert link in body and link in notes  # d112 cites both in its text and in its note 2
    # with a query, hits inside a reference stay marked (and numbered) inside the link, and the
    # footnote marks still lead to their notes and back
    html = client.get(url, {"q": "document"}).content.decode()
    body, notes = _text_and_notes(html)
    assert re.search(rf'<a class="xref" href="{d103}"><mark id="[\w-]+" data-hit="\d+">Document</mark> 103</a>', body)
    assert '<sup class="fn-ref"><a id="fn-1-2-ref" href="#fn-1-2"' in body and 'href="#fn-1-2-ref"' in notes
    # a telegram cited by its own number, resolved to the one telegram of the volume it can be
    body, _ = _text_and_notes(client.get(m.Document.objects.get(id=f"{VOLUME}-d229").get_absolute_url()).content.decode())
    assert f'<a class="xref" href="{d228}">telegram 4709</a>' in body


def test_a_hidden_cited_document_is_not_linked(client, seeded):
    editor = roles.create_user("xref-editor", "a long passphrase", roles.EDITOR)
    changes.transition(editor, f"{VOLUME}-d103", "withdraw", "workflow")
    d103, d109 = (m.Document.objects.get(id=f"{VOLUME}-d{n}").get_absolute_url() for n in (103, 109))
    html = client.get(m.Document.objects.get(id=f"{VOLUME}-d112").get_absolute_url()).content.decode()
    body, notes = _text_and_notes(html)
    assert d103 not in html and "Document 103" in body and "Document 103" in notes  # plain text
    assert f'<a class="xref" href="{d109}">Document 109</a>' in body
    # an editor, who may read the withdrawn document, gets the link
    client.force_login(editor)
    html = client.get(m.Document.objects.get(id=f"{VOLUME}-d112").get_absolute_url()).content.decode()
    assert f'<a class="xref" href="{d103}">Document 103</a>' in html


def test_cross_reference_links_keep_the_text_escaped(client, seeded, tmp_path):
    from fonds.catalog.ingest import Ingest

    def record(number: str, body: str, note: str = "") -> dict:
        return {"id": f"xref-{number}", "title": f"Memo {number}", "status": "published",
                "source": {"citation": "Test volume", "parts": {
                    "volume": "xref-volume", "volume_title": "Test Papers, 1956, Volume I", "document": number,
                    "note": "Source: <i>copy</i> filed with Document 3."}},
                "texts": [{"kind": "original", "body": body,
                           "notes": [{"n": "1", "at": len(body), "body": note}] if note else []}]}

    source = tmp_path / "xref.jsonl"
    hostile = '<script>alert("Document 2")</script> see Document 2 & <b>Documents 2, 3 and 9</b>'
    source.write_text("\n".join(json.dumps(r) for r in (
        record("1", hostile, note='"Document 3"><img src=x onerror=alert(1)>'), record("2", "Two."), record("3", "Three."))))
    assert Ingest([source], jobs=1).run().errors == []
    two, three = (m.Document.objects.get(id=i).get_absolute_url() for i in ("xref-2", "xref-3"))
    body, notes = _text_and_notes(client.get("/documents/xref-1/", follow=True).content.decode())
    assert "<script>" not in body and "<b>" not in body and "<img" not in notes
    assert (f'&lt;script&gt;alert(&quot;<a class="xref" href="{two}">Document 2</a>&quot;)&lt;/script&gt; '
            f'see <a class="xref" href="{two}">Document 2</a> &amp; &lt;b&gt;<a class="xref" href="{two}">Documents 2</a>, '
            f'<a class="xref" href="{three}">3</a> and 9&lt;/b&gt;') in body  # no document 9 in the volume: plain
    assert f'&quot;<a class="xref" href="{three}">Document 3</a>&quot;&gt;&lt;img src=x onerror=alert(1)&gt;' in notes
    # the edition's source note, shown among the notes, links its references too
    assert f'Source: &lt;i&gt;copy&lt;/i&gt; filed with <a class="xref" href="{three}">Document 3</a>.' in notes


def test_timeline_zooms_decade_year_month(client, seeded):
    def bars(params) -> dict[str, int]:
        html = client.get("/explore/timeline", params).content.decode()
        return {label: int(n) for label, n in re.findall(r'<li><a href="[^"]*">([^<]+)</a> <span class="n">(\d+)</span>', html)}

    def total(**params) -> int:
        return client.get("/api/search", params).json()["total"]

    decades = bars({"q": "Stassen"})
    assert decades["1950s"] == total(q="Stassen", **{"from": "1950", "to": "1959"})
    years = bars({"q": "Stassen", "from": "1950", "to": "1959"})
    assert years["1956"] == total(q="Stassen", **{"from": "1956", "to": "1956"})
    months = bars({"q": "Stassen", "from": "1956", "to": "1956"})
    assert sum(months.values()) == years["1956"]
    # a month opens the search's results of that month
    month_link = re.search(r'<li><a href="([^"]*)">April 1956</a>', client.get(
        "/explore/timeline", {"q": "Stassen", "from": "1956", "to": "1956"}).content.decode()).group(1)
    query = parse_qs(urlsplit(month_link.replace("&amp;", "&")).query)
    assert urlsplit(month_link).path == "/search" and query["from"] == ["1956-04-01"] and query["to"] == ["1956-04-30"]
    assert months["April 1956"] == total(q="Stassen", **{"from": "1956-04-01", "to": "1956-04-30"})


def test_map_places_a_searchs_places_and_a_click_narrows(client, seeded):
    html = client.get("/explore/map", {"q": "disarmament"}).content.decode()
    facets = {b["value"]: b["count"] for b in client.get("/api/search", {"q": "disarmament"}).json()["facets"]["place"]}
    listed = entries(html, "places-list")
    assert listed["London"] == facets["London"] and "<path class=\"land\"" in html
    circle = re.search(r'<a href="([^"]*)" aria-label="London: \d+ documents"><circle', html)
    assert circle, "London is not on the map"
    narrowed = client.get(circle.group(1).replace("&amp;", "&"))
    assert narrowed.status_code == 200
    assert f'id="total">{facets["London"]} documents' in narrowed.content.decode()


def test_correspondence_network_of_a_search_and_of_a_person(client, seeded):
    html = client.get("/explore/network", {"q": "disarmament"}).content.decode()
    pairs = re.findall(r'<tr><td><a href="([^"]+)">[^<]+</a></td><td><a href="([^"]+)">[^<]+</a></td><td class="n">(\d+)</td></tr>',
                       html.split('id="pairs"', 1)[1].split("</table>", 1)[0])
    assert pairs
    source, target, count = pairs[0]
    a = m.Authority.objects.get(key=source.rsplit("/", 1)[1], kind__in=["person", "organization"])
    b = m.Authority.objects.get(key=target.rsplit("/", 1)[1], kind__in=["person", "organization"])
    total, matching = matching_ids(search_request(QueryDict("q=disarmament")), 10_000)
    assert len(matching) == total > 0
    wrote = m.Mention.objects.filter(authority=a, role="authors").values("document_id")
    received = m.Mention.objects.filter(authority=b, role="recipients").values("document_id")
    assert int(count) == m.Document.objects.filter(pk__in=matching).filter(pk__in=wrote).filter(pk__in=received).count()
    stassen = m.Authority.objects.get(kind="person", key="stassen-harold-e")
    person = client.get("/people/stassen-harold-e/network").content.decode()
    rows = re.findall(r'<tr><td><a href="/[a-z]+/([^"]+)">[^<]+</a></td><td><a href="/[a-z]+/([^"]+)">', person)
    assert rows and all(stassen.key in row for row in rows)
    sent = m.Mention.objects.filter(authority=stassen, role="authors").values("document_id")
    to_secretary = m.Document.objects.filter(pk__in=sent, mentions__role="recipients",
                                             mentions__authority__name="Secretary of State").distinct().count()
    assert f'Secretary of State</a></td><td class="n">{to_secretary}</td>' in person


@pytest.mark.parametrize("url", ["/explore/timeline?from=abc&to=zz", "/explore/timeline?from=99999&to=1",
                                 '/explore/map?q="unclosed&place=Nowhere', "/explore/network?q=person:&sort=bogus",
                                 "/people/?page=999&sort=x", "/subjects/No such subject", "/people/nobody/network",
                                 "/dates/1956?page=abc", "/explore/timeline?from=1956&to=1956&exact=1"])
def test_bad_parameters_get_a_page_not_an_error(client, seeded, url):
    response = client.get(url)
    assert response.status_code in (200, 404), (url, response.status_code)
