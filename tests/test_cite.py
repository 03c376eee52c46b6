"""Citations (Chicago, MLA, APA through citeproc-py), BibTeX/RIS/CSL-JSON, Zotero metadata, JSON-LD.

The expected citations are written out by hand from the style rules, for the seed document (no
author, no archive), FRUS 1955-57 vol. XX doc. 1 (no author, archive and archival reference) and
doc. 3 (two authors, a recipient, archive and reference). Page metadata is read back the way
Zotero's Embedded Metadata and COinS translators read it.
"""

from __future__ import annotations

import json
import re
from datetime import date
from urllib.parse import unquote

import lxml.html
import pytest

from fonds.catalog import models as m
from fonds.catalog.store import documents_with_details, to_record
from fonds.cite.bibtex import bibtex_entry, citation_key, escape
from fonds.cite.csl import archive_location, csl_date, csl_name, to_csl
from fonds.cite.embed import json_ld_script, same_as_urls
from fonds.cite.ris import ris_record
from fonds.cite.styles import SHORT_MONTHS, STYLE_BY_KEY, dated, render, render_all, render_undated
from tests.conftest import launch_chromium, require

SEED = "000_6e32ea4dc738cddf"
D1, D3 = "frus1955-57v20-d1", "frus1955-57v20-d3"
BASE = "https://archive.example.org/documents/"
ACCESSED = date(2025, 3, 1)
SEED_TITLE = "CC CPSU Presidium Decision, ‘About Further Steps in the Struggle for Reduction of International Tension"
D1_TITLE = "Memorandum of a Conversation, Department of State, Washington, January 4, 1955"
D3_TITLE = ("Memorandum From the Deputy Assistant Secretary of State for International Organization Affairs (Wainhouse) "
            "and the Secretary of State’s Special Assistant for Atomic Energy Affairs (Smith) to the Under Secretary "
            "of State (Hoover)")
D3_LOCATION = "Atomic Energy Files: Lot 57 D 688, Peaceful Uses of Atomic Energy: General"
VOLUME = "Foreign Relations of the United States, 1955–1957, Regulation of Armaments; Atomic Energy, Volume XX"
D1_SOURCE = "Department of State, Central Files, 600.0012/1–455"
D3_SOURCE = f"Department of State, {D3_LOCATION}"
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")

# Chicago 18 notes-bibliography, manuscript: the note runs author, "title," description, publisher,
# date, archival reference, archive, access date, URL, all joined by commas with commas and periods
# inside the quotation marks; the bibliography entry inverts the first author and uses periods.
# Without an author the title leads. MLA 9: author, "title." description. publisher, date (day
# month-abbreviation year), archive, reference, URL. APA 7 (CSL APA): authors with initials and
# "&", (year), italic title [description], publisher, archive (reference), URL without a period;
# an authorless title moves to the author position and the description stays after the date.
EXPECTED = {
    SEED: {
        "chicago-note": f"“{SEED_TITLE},’” Decision, fonds, December 14, 1959, accessed March 1, 2025, {BASE}{SEED}.",
        "chicago": f"“{SEED_TITLE}.’” Decision. Fonds, December 14, 1959. Accessed March 1, 2025. {BASE}{SEED}.",
        "mla": f"“{SEED_TITLE}.’” Decision. fonds, 14 Dec. 1959, {BASE}{SEED}.",
        "apa": f"{SEED_TITLE}.’ (1959). [Decision]. fonds. {BASE}{SEED}",
    },
    # FRUS documents cite the edition: "in" the volume, its document number where the type stood,
    # then the archival source exactly as the volume's source note gives it (the archive once).
    D1: {
        "chicago-note": f"“{D1_TITLE},” in {VOLUME}, Document 1, fonds, January 4, 1955, {D1_SOURCE}, "
                        f"accessed March 1, 2025, {BASE}{D1}.",
        "chicago": f"“{D1_TITLE}.” In {VOLUME}, Document 1. Fonds, January 4, 1955. {D1_SOURCE}. "
                   f"Accessed March 1, 2025. {BASE}{D1}.",
        "mla": f"“{D1_TITLE}.” {VOLUME}, Document 1, fonds, 4 Jan. 1955, {D1_SOURCE}, {BASE}{D1}.",
        "apa": f"{D1_TITLE}. (1955). In {VOLUME} (Document 1). fonds. ({D1_SOURCE}). {BASE}{D1}",
    },
    D3: {
        "chicago-note": f"David W. Wainhouse and Gerard C. Smith, “{D3_TITLE},” in {VOLUME}, Document 3, fonds, "
                        f"January 19, 1955, {D3_SOURCE}, accessed March 1, 2025, {BASE}{D3}.",
        "chicago": f"Wainhouse, David W., and Gerard C. Smith. “{D3_TITLE}.” In {VOLUME}, Document 3. Fonds, "
                   f"January 19, 1955. {D3_SOURCE}. Accessed March 1, 2025. {BASE}{D3}.",
        "mla": f"Wainhouse, David W., and Gerard C. Smith. “{D3_TITLE}.” {VOLUME}, Document 3, fonds, 19 Jan. 1955, "
               f"{D3_SOURCE}, {BASE}{D3}.",
        "apa": f"Wainhouse, D. W., & Smith, G. C. (1955). {D3_TITLE}. In {VOLUME} (Document 3). fonds. "
               f"({D3_SOURCE}). {BASE}{D3}",
    },
}


@pytest.fixture
def seeded(sample_catalog, db, fresh_index):
    """The samples, ingested once for the module; each test's changes are rolled back."""


def item_of(doc_id: str) -> dict:
    doc = documents_with_details().get(id=doc_id)
    return to_csl(to_record(doc), url=BASE + doc_id, publisher="fonds", accessed=ACCESSED)


# --- the record -> CSL mapping, without the database ----------------------------------------

@pytest.mark.parametrize("edtf, expected", [
    ("1959-12-14", {"date-parts": [[1959, 12, 14]]}),
    ("1959-12", {"date-parts": [[1959, 12]]}),
    ("1959", {"date-parts": [[1959]]}),
    ("1959~", {"date-parts": [[1959]], "circa": True}),
    ("1959-12-14/1959-12-18", {"date-parts": [[1959, 12, 14], [1959, 12, 18]]}),
    ("1959/..", {"date-parts": [[1959]]}),
    ("1959-21", {"date-parts": [[1959]], "season": 1}),
    ("1956-02-03T15:30:00", {"date-parts": [[1956, 2, 3]]}),
    ("[1959,1960]", {"literal": "1959 or 1960"}),
    (None, None),
])
def test_edtf_dates_become_csl_dates(edtf, expected):
    assert csl_date(edtf, "1959 or 1960") == expected


def test_names_and_archive_locations():
    assert csl_name("Hoover, Herbert C., Jr.") == {"family": "Hoover", "given": "Herbert C.", "suffix": "Jr."}
    assert csl_name("Department of State") == {"literal": "Department of State"}
    assert archive_location("RGANI, f. 3, op. 12, d. 1009, l. 36", "Russian State Archive of Contemporary History",
                            "RGANI") == "f. 3, op. 12, d. 1009, l. 36"
    assert archive_location("Lot 58 D 133", "Department of State", None) == "Lot 58 D 133"


def test_undated_ranges_and_approximate_dates_in_every_style():
    base = {"id": "x", "type": "manuscript", "title": "Letter to Mao", "publisher": "fonds"}
    undated = {style: render(base, STYLE_BY_KEY[style]) for style in ("chicago", "apa")}
    assert undated["chicago"].note_text == "“Letter to Mao,” fonds, n.d."
    assert undated["apa"].bibliography_text == "Letter to Mao. (n.d.). fonds."
    ranged = {**base, "issued": csl_date("1959-12-14/1959-12-18")}
    assert render(ranged, STYLE_BY_KEY["chicago"]).note_text == "“Letter to Mao,” fonds, December 14–18, 1959."
    approximate = {**base, "issued": csl_date("1959~")}
    assert render(approximate, STYLE_BY_KEY["chicago"]).note_text == "“Letter to Mao,” fonds, ca. 1959."
    month = {**base, "issued": csl_date("1959-12")}
    assert render(month, STYLE_BY_KEY["mla"]).bibliography_text == "“Letter to Mao.” fonds, Dec. 1959."


def test_bibtex_escapes_and_keys():
    assert escape("50% of R&D_{x} #1 $5 ^ ~ \\") == (
        r"50\% of R\&D\_\{x\} \#1 \$5 \textasciicircum{} \textasciitilde{} \textbackslash{}")
    item = {"id": "a b/c", "type": "manuscript", "title": "The Letter", "issued": {"date-parts": [[1959]]},
            "author": [{"family": "Хрущёв", "given": "Н."}]}
    assert citation_key(item) == "letter1959-a-b-c" == citation_key(dict(item))


def test_json_ld_escaping_cannot_close_the_script():
    text = json_ld_script({"name": "</script><script>alert(1)</script> & more"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text)["name"] == "</script><script>alert(1)</script> & more"
    assert same_as_urls({"wikidata": "Q35101", "viaf": "https://viaf.org/viaf/1"}) == [
        "https://viaf.org/viaf/1", "https://www.wikidata.org/wiki/Q35101"]


# --- citations of the sample documents -------------------------------------------------------

@pytest.mark.parametrize("doc_id", [SEED, D1, D3])
def test_chicago_mla_apa_match_the_hand_written_citations(seeded, doc_id):
    item = item_of(doc_id)
    chicago = render(item, STYLE_BY_KEY["chicago"])
    assert chicago.note_text == EXPECTED[doc_id]["chicago-note"]
    assert chicago.bibliography_text == EXPECTED[doc_id]["chicago"]
    assert render(item, STYLE_BY_KEY["mla"]).bibliography_text == EXPECTED[doc_id]["mla"]
    apa = render(item, STYLE_BY_KEY["apa"])
    assert apa.bibliography_text == EXPECTED[doc_id]["apa"]
    # APA italicises the title of unpublished material, or the volume a document is printed in
    assert apa.bibliography_html.count("<i>") == 1
    if doc_id != SEED:
        assert f"<i>{VOLUME}</i>" in apa.bibliography_html


def test_csl_json_of_a_frus_document(seeded):
    assert item_of(D3) == {
        "id": D3, "type": "manuscript", "title": D3_TITLE,
        "author": [{"family": "Wainhouse", "given": "David W."}, {"family": "Smith", "given": "Gerard C."}],
        "recipient": [{"family": "Hoover", "given": "Herbert C.", "suffix": "Jr."}],
        "issued": {"date-parts": [[1955, 1, 19]]},
        "container-title": VOLUME, "number": "Document 3",
        "archive": "Department of State", "archive_location": D3_SOURCE,
        "genre": "Memorandum", "publisher": "fonds", "URL": BASE + D3,
        "accessed": {"date-parts": [[2025, 3, 1]]}, "language": "en",
    }


def test_bibtex_entries(seeded):
    assert bibtex_entry(item_of(D3)) == (
        "@misc{wainhouse1955-frus1955-57v20-d3,\n"
        "  author = {Wainhouse, David W. and Smith, Gerard C.},\n"
        f"  title = {{{{{D3_TITLE}}}}},\n"
        "  date = {1955-01-19},\n"
        "  year = {1955},\n"
        "  month = jan,\n"
        "  type = {Memorandum},\n"
        "  howpublished = {fonds},\n"
        "  language = {en},\n"
        f"  note = {{{VOLUME}, Document 3, {D3_SOURCE}}},\n"
        f"  url = {{{BASE}{D3}}},\n"
        "  urldate = {2025-03-01}\n"
        "}\n")
    seed = bibtex_entry(item_of(SEED))
    assert seed.startswith("@misc{cc1959-000_6e32ea4dc738cddf,\n  title = {{CC CPSU Presidium Decision, 'About Further")
    assert "  month = dec,\n  type = {Decision},\n" in seed and "abstract = {CPSU Presidium approves" in seed
    assert "author" not in seed and "note" not in seed


def test_ris_records(seeded):
    assert ris_record(item_of(D1)) == "\r\n".join([
        "TY  - MANSCPT", f"ID  - {D1}", f"TI  - {D1_TITLE}", "PY  - 1955", "DA  - 1955/01/04/",
        f"T2  - {VOLUME}", "SE  - Document 1", "M3  - Memorandum of Conversation", "DB  - Department of State",
        f"AN  - {D1_SOURCE}",
        "PB  - fonds", f"UR  - {BASE}{D1}", "LA  - en", "Y2  - 2025/03/01/", "ER  - ", ""])
    d3 = ris_record(item_of(D3)).split("\r\n")
    assert d3[3:5] == ["AU  - Wainhouse, David W.", "AU  - Smith, Gerard C."]


# --- what the pages embed, read as Zotero reads it --------------------------------------------

PREFIXES = {"dc": "http://purl.org/dc/elements/1.1/", "dcterms": "http://purl.org/dc/terms/",
            "z": "http://www.zotero.org/namespaces/export#", "og": "http://ogp.me/ns#", "so": "http://schema.org/"}
HIGHWIRE = {"citation_title": "title", "citation_date": "date", "citation_publication_date": "date",
            "citation_publisher": "publisher", "citation_public_url": "url", "citation_language": "language",
            "citation_abstract": "abstractNote"}


def read_like_zotero(html: str) -> dict:
    """The item Zotero's Embedded Metadata translator makes of a page (the rules this site relies on).

    Meta tags `prefix.property` with a known prefix become RDF statements; the RDF translator
    takes the item type from z:itemType, the title from dc:title, archiveLocation from dc:coverage
    and copies every z: property to the item field of that name. Highwire tags (matched by the
    end of their name, first one wins) then set title, date, publisher, url, language, and each
    citation_author adds a creator ("Last, First").
    """
    page = lxml.html.fromstring(html)
    prefixes = dict(PREFIXES)
    for link in page.xpath("/html/head/link[starts-with(@rel, 'schema.')]"):
        prefixes[link.get("rel")[len("schema."):].lower()] = link.get("href")
    metas = [(meta.get("name") or meta.get("property"), meta.get("content")) for meta in page.xpath("/html/head/meta")]
    statements: dict[tuple[str, str], list[str]] = {}
    for name, value in metas:
        for tag in (name or "").split() if value else []:
            head = re.split(r"[.:_]", tag)[0]
            if head.lower() in prefixes:
                prop = tag[len(head) + 1:]
                statements.setdefault((prefixes[head.lower()], prop[:1].lower() + prop[1:]), []).append(value)
    dc, z = prefixes["dc"], prefixes["z"]
    item = {"itemType": statements.get((z, "itemType"), ["webpage"])[0], "creators": []}
    for field, key in (("title", (dc, "title")), ("archiveLocation", (dc, "coverage")), ("date", (dc, "date"))):
        if key in statements:
            item[field] = statements[key][0]
    item.update({prop: values[0] for (ns, prop), values in statements.items() if ns == z})
    for meta_name, field in HIGHWIRE.items():
        value = next((v for n, v in metas if n and v and n.endswith(meta_name)), None)
        if value:
            item[field] = " ".join(value.split())
    for name, value in metas:
        if name and name.endswith("citation_author"):
            last, _, first = value.partition(",")
            item["creators"].append({"lastName": last.strip(), "firstName": first.strip(), "creatorType": "author"})
    return item


def read_coins(title: str) -> dict:
    """What Zotero's OpenURL parser makes of a COinS title (the keys this site writes)."""
    item: dict = {"creators": []}
    for pair in title.split("&"):
        key, _, value = pair.partition("=")
        value = unquote(value.replace("+", " "))
        if key == "rft_val_fmt" and value == "info:ofi/fmt:kev:mtx:dc":
            item.setdefault("itemType", "webpage")
        elif key == "rft.type":
            item["itemType"] = value
        elif key == "rft.title":
            item["title"] = value
        elif key == "rft.date":
            item["date"] = value
        elif key in ("rft.creator", "rft.au"):
            last, _, first = value.partition(",")
            item["creators"].append({"lastName": last.strip(), "firstName": first.strip()})
        elif key == "rft.identifier" and value.startswith(("http://", "https://")):
            item["url"] = value
        elif key in ("rft.publisher", "rft.language", "rft.source"):
            item[key[4:]] = value
    return item


def page_of(client, doc_id: str) -> tuple[str, str]:
    url = m.Document.objects.get(id=doc_id).get_absolute_url()
    return client.get(url).content.decode(), "http://testserver" + url


def today() -> str:
    day = date.today()
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


def test_zotero_saves_an_archival_manuscript_from_the_document_page(client, seeded):
    html, url = page_of(client, D3)
    item = read_like_zotero(html)
    assert item["itemType"] == "manuscript"
    assert item["title"] == D3_TITLE and item["date"] == "1955-01-19" and item["url"] == url
    assert item["archive"] == "Department of State" and item["archiveLocation"] == D3_SOURCE
    assert item["manuscriptType"] == "Memorandum"
    creators = [(c["lastName"], c["firstName"]) for c in item["creators"]]
    assert creators == [("Wainhouse", "David W."), ("Smith", "Gerard C.")]
    seed = read_like_zotero(page_of(client, SEED)[0])
    assert seed["itemType"] == "manuscript" and seed["date"] == "1959-12-14" and "archive" not in seed


def test_coins_on_document_and_search_pages(client, seeded):
    html, url = page_of(client, D3)
    spans = lxml.html.fromstring(html).xpath("//span[@class='Z3988']/@title")
    assert len(spans) == 1
    item = read_coins(spans[0])
    assert item["itemType"] == "manuscript" and item["title"] == D3_TITLE and item["date"] == "1955-01-19"
    assert item["url"] == url and item["creators"][0] == {"lastName": "Wainhouse", "firstName": "David W."}
    assert item["source"] == f"{VOLUME}, Document 3, {D3_SOURCE}"
    results = client.get("/search", {"q": "Bhabha"}).content.decode()
    hits = lxml.html.fromstring(results).xpath("//li[@class='hit']")
    assert hits and all(len(hit.xpath(".//span[@class='Z3988']")) == 1 for hit in hits)
    titles = [read_coins(hit.xpath(".//span[@class='Z3988']/@title")[0])["title"] for hit in hits]
    assert titles == [hit.xpath("string(a[@class='title'])") for hit in hits]


def test_search_page_coins_are_kept_per_document_version(client, seeded):
    """The second showing of a search page reads no record for its COinS (they are cached per
    document and change-log position); a document edited since shows its new version's."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def coins_titles() -> tuple[dict, int]:
        with CaptureQueriesContext(connection) as queries:
            results = client.get("/search", {"q": "Bhabha"}).content.decode()
        hits = lxml.html.fromstring(results).xpath("//li[@class='hit']")
        titles = {hit.xpath("string(a[@class='title']/@href)").split("/")[2]:  # /documents/<id>/<slug>
                  read_coins(hit.xpath(".//span[@class='Z3988']/@title")[0])["title"] for hit in hits}
        return titles, sum("catalog_documenttopic" in query["sql"] for query in queries.captured_queries)

    first, loaded = coins_titles()
    again, loaded_again = coins_titles()
    assert again == first and loaded >= 1 and loaded_again == 0
    doc = m.Document.objects.get(id=D3)
    doc.title = "Memorandum on Dr. Bhabha, as edited"
    doc.save()  # the change log records it
    edited, loaded_edited = coins_titles()
    assert loaded_edited >= 1  # (the index catching up with the edit reads it too)
    assert edited.pop(D3) == "Memorandum on Dr. Bhabha, as edited"
    assert edited == {doc_id: title for doc_id, title in first.items() if doc_id != D3}


def test_document_page_cite_panel(client, seeded):
    html, url = page_of(client, D3)
    assert html.index('id="information"') < html.index('id="cite"') < html.index("</article>")
    panel = lxml.html.fromstring(html).get_element_by_id("cite")
    note = panel.get_element_by_id("cite-chicago-note").text_content()
    assert note == EXPECTED[D3]["chicago-note"].replace("March 1, 2025", today()).replace(BASE + D3, url)
    apa = panel.get_element_by_id("cite-apa-bib").text_content()
    assert apa == EXPECTED[D3]["apa"].replace(BASE + D3, url)
    assert [b.get("data-copy") for b in panel.xpath(".//button[@hidden]")] == [
        "cite-chicago-note", "cite-chicago-bib", "cite-mla-bib", "cite-apa-bib"]
    assert panel.xpath(".//a/@href") == [f"/documents/{D3}/cite.{fmt}" for fmt in ("bib", "ris", "json")]


def test_document_json_ld(client, seeded):
    html, url = page_of(client, D3)
    scripts = lxml.html.fromstring(html).xpath("//script[@type='application/ld+json']/text()")
    data = json.loads(scripts[0])
    assert data["@type"] == "ArchiveComponent" and data["url"] == url and data["identifier"] == D3
    repository = m.Document.objects.get(id=D3).repository
    assert data["holdingArchive"] == {"@type": "ArchiveOrganization", "name": "Department of State",
                                      "url": "http://testserver" + repository.get_absolute_url()}
    assert data["dateCreated"] == "1955-01-19" and data["inLanguage"] == "en" and data["name"] == D3_TITLE
    assert [c["name"] for c in data["creator"]] == ["David W. Wainhouse", "Gerard C. Smith"]
    assert {"@type": "Place", "name": "Washington", "url": "http://testserver/places/washington"} in data["about"]
    assert data["isPartOf"]["name"].startswith("Foreign Relations of the United States, 1955–1957")


def test_json_ld_of_a_hostile_title_stays_inside_its_script(client, seeded):
    m.Document.objects.filter(id=D1).update(title="</script><script>alert(1)</script> & co")
    html, _ = page_of(client, D1)
    assert "<script>alert(1)" not in html
    script = lxml.html.fromstring(html).xpath("//script[@type='application/ld+json']/text()")[0]
    assert json.loads(script)["name"] == "</script><script>alert(1)</script> & co"


def test_authority_pages_carry_json_ld_with_same_as(client, seeded):
    m.Authority.objects.filter(kind="person", key="khrushchev-nikita-sergeyevich").update(
        external_ids={"wikidata": "Q35101", "viaf": "89784386"})
    html = client.get("/people/khrushchev-nikita-sergeyevich").content.decode()
    data = json.loads(lxml.html.fromstring(html).xpath("//script[@type='application/ld+json']/text()")[0])
    assert data["@type"] == "Person" and data["name"] == "Khrushchev, Nikita Sergeyevich"
    assert "Хрущёв, Никита Сергеевич" in data["alternateName"]
    assert data["birthDate"] == "1894" and data["deathDate"] == "1971"
    assert data["sameAs"] == ["https://viaf.org/viaf/89784386", "https://www.wikidata.org/wiki/Q35101"]
    place = json.loads(lxml.html.fromstring(client.get("/places/washington").content.decode())
                       .xpath("//script[@type='application/ld+json']/text()")[0])
    assert place["@type"] == "Place" and "sameAs" not in place


# --- downloads -----------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt, content_type", [("bib", "application/x-bibtex"),
                                                ("ris", "application/x-research-info-systems"),
                                                ("json", "application/vnd.citationstyles.csl+json")])
def test_document_downloads(client, seeded, fmt, content_type):
    response = client.get(f"/documents/{D1}/cite.{fmt}")
    assert response.status_code == 200 and response["Content-Type"] == f"{content_type}; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{D1}.{fmt}"'
    body = response.content.decode()
    assert D1_TITLE in body and "Department of State" in body


def test_downloads_of_unpublished_or_unknown_documents_are_not_found(client, seeded):
    m.Document.objects.filter(id=D1).update(status="draft")
    assert client.get(f"/documents/{D1}/cite.bib").status_code == 404
    assert client.get("/documents/nope/cite.ris").status_code == 404
    assert client.get(f"/documents/{D3}/cite.pdf").status_code == 404


def test_search_results_export(client, seeded):
    results = client.get("/search", {"q": "Stassen"})
    page = lxml.html.fromstring(results.content.decode())
    links = page.xpath("//p[@class='export']/a/@href")
    assert links == ["/search/export.bib?q=Stassen", "/search/export.ris?q=Stassen", "/search/export.json?q=Stassen"]
    total = int(page.get_element_by_id("total").text_content().split()[0])
    assert total > 20  # more than one page of results: the export is not limited to the page shown
    items = json.loads(client.get(links[2]).content)
    assert len(items) == total and all(item["type"] == "manuscript" for item in items)
    ris = client.get(links[1])
    assert ris["Content-Disposition"] == 'attachment; filename="search-results.ris"'
    assert ris.content.decode().count("TY  - MANSCPT") == total
    bib = client.get(links[0]).content.decode()
    assert bib.count("@misc{") == total and len(set(re.findall(r"@misc\{([^,]+),", bib))) == total


# --- in the browser (last in this module: the live server's database flush ends the module's data) ---

@pytest.mark.browser
def test_copy_buttons_in_chromium(sample_catalog, live_server, fresh_index, chromium_path):
    """Without JavaScript the buttons stay hidden; cite.js shows them and copies the citation."""
    from playwright.sync_api import sync_playwright

    url = live_server.url + m.Document.objects.get(id=D3).get_absolute_url()
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright, chromium_path)
        try:
            no_js = browser.new_page(java_script_enabled=False)
            no_js.goto(url)
            assert no_js.locator("#cite-chicago-note").is_visible()
            assert not no_js.locator("button.copy").first.is_visible()
            context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
            page = context.new_page()
            page.goto(url)
            button = page.locator("button[data-copy='cite-apa-bib']")
            button.click()
            page.wait_for_function("document.querySelector(\"button[data-copy='cite-apa-bib']\")"
                                   ".textContent !== 'Copy'")
            assert button.inner_text() == "Copied"
            copied = page.evaluate("navigator.clipboard.readText()")
            assert copied == page.locator("#cite-apa-bib").inner_text().strip()
            assert copied.startswith("Wainhouse, D. W., & Smith, G. C. (1955).")
        finally:
            browser.close()


# --- rendering once per version of the record ---------------------------------------------------

def _on(item: dict, day: date) -> dict:
    return {**item, "accessed": {"date-parts": [[day.year, day.month, day.day]]}}


@pytest.mark.parametrize("day", [date(2025, 3, 1), date(2026, 9, 5), date(2024, 5, 31), date(2030, 12, 24)])
def test_a_rendering_with_the_placeholder_day_becomes_each_days_citation(seeded, day):
    for doc_id in (SEED, D1):
        item = _on(item_of(doc_id), day)
        undated = {key: value for key, value in item.items() if key != "issued"}  # MLA prints the access day then
        for variant in (item, undated):
            assert dated(render_undated(variant), day) == render_all(variant)
    mla = dated(render_undated(_on(undated, day)), day)[1].bibliography_text
    assert f"Accessed {day.day} {SHORT_MONTHS[day.month - 1]} {day.year}." in mla


@pytest.fixture
def redis_citations(settings):
    """The citations cache in the test Redis ($FONDS_TEST_BROKER_URL), its keys removed before and after."""
    import os

    import redis

    url = os.environ.get("FONDS_TEST_BROKER_URL", "redis://127.0.0.1:6379/1")
    client = redis.Redis.from_url(url)
    try:
        client.ping()
    except redis.ConnectionError:
        require(False, f"no Redis at {url} (set FONDS_TEST_BROKER_URL)")

    def forget() -> None:
        for key in client.keys("*fonds:citations:*"):
            client.delete(key)

    forget()
    settings.CACHES = {**settings.CACHES, "citations": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                                        "LOCATION": url}}
    yield client
    forget()


def test_citations_are_rendered_once_per_version_and_shared_through_redis(seeded, redis_citations):
    from fonds.archive.citations import rendered_styles

    item = item_of(D1)
    first = rendered_styles(_on(item, date(2026, 11, 29)))
    assert first == render_all(_on(item, date(2026, 11, 29)))
    assert len(redis_citations.keys("*fonds:citations:*")) == 1  # in Redis, where every process finds it
    # another day reads the same rendering with its own access day
    assert rendered_styles(_on(item, date(2026, 11, 30))) == render_all(_on(item, date(2026, 11, 30)))
    assert len(redis_citations.keys("*fonds:citations:*")) == 1
    # a new version of the record is another rendering
    changed = {**item, "title": "Another title"}
    assert rendered_styles(_on(changed, date(2026, 11, 30))) == render_all(_on(changed, date(2026, 11, 30)))
    assert len(redis_citations.keys("*fonds:citations:*")) == 2


def test_a_redis_that_does_not_answer_costs_a_rendering_not_the_page(seeded, settings):
    from fonds.archive.citations import rendered_styles

    settings.CACHES = {**settings.CACHES, "citations": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                                        "LOCATION": "redis://127.0.0.1:1/0"}}  # nothing listens there
    item = _on(item_of(SEED), date(2026, 11, 29))
    assert rendered_styles(item) == render_all(item)
