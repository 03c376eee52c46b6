"""The leak matrix: no public channel shows anything of a document that is not public.

Every public channel (document page and its citations, search hits, totals, facets, histogram and
snippets, entity and topic pages and their counts, the API, OAI-PMH, feeds, the sitemap, dumps,
`fonds export --published-only`, related-document lists, IIIF) x every non-public state (draft,
review, embargoed, withdrawn), each set by ingest, through the admin and through the API x
anonymous visitors and each role, with the index in two states: lagging (changes made after the
last index update while another process holds the index writer, and the source files re-ingested
since) and caught up.

The catalog is built once per module: two public documents and twelve hidden ones. Each hidden
document carries a label (e.g. "draftxadmin") in its title, text, people, organizations, places,
topics, subjects, archive and type, so a leak anywhere shows as the label in a response. Staff
with a role see hidden documents in the reading room and the API (checked too, so the test can
fail; IIIF too, never cached for them); shared channels (search, feeds, sitemap, dumps, OAI, exports) show the public view
to everyone.
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.test import Client
from lxml import etree
from PIL import Image

from fonds.archive import roles
from fonds.catalog import models as m

pytestmark = pytest.mark.django_db

STATES = ("draft", "review", "embargoed", "withdrawn")
ROADS = ("ingest", "admin", "api")
VIEWERS = ("anonymous", *roles.ROLES)
FUTURE = "2999-01-01"
COMMON = "matrixcommon"  # a word in every document, public or not
OAI = {"o": "http://www.openarchives.org/OAI/2.0/"}


@dataclass
class Hidden:
    state: str
    road: str
    year: int

    @property
    def label(self) -> str:
        return f"{self.state}x{self.road}"

    @property
    def id(self) -> str:
        return f"leak-{self.state}-{self.road}"

    def record(self, edit: int = 0) -> dict:
        label = self.label
        names = {kind: f"Zq{kind} {label.capitalize()}" for kind in ("person", "org", "place", "archive")}
        record = {
            "id": self.id, "title": f"Zqtitle {label} memorandum", "date": {"edtf": str(self.year), "min": f"{self.year}-01-01", "max": f"{self.year}-12-31"},
            "type": f"Zqtype {label}", "summary": f"Zqsummary {label}.", "languages": ["en"],
            "texts": [{"kind": "original", "language": "en", "body": f"{COMMON} zqbody{label} text {edit}."}],
            "people": [{"id": f"zqperson-{label}", "name": names["person"]}],
            "organizations": [{"id": f"zqorg-{label}", "name": names["org"]}],
            "places": [{"id": f"zqplace-{label}", "name": names["place"]}],
            "topics": [f"Zqtopic {label}"], "subjects": [f"Zqsubject {label}"],
            "source": {"citation": f"Zqcite {label}", "repository": {"id": f"zqarchive-{label}", "name": names["archive"]}},
        }
        if self.road == "ingest":  # the source file itself says the document is not public
            record.update({"embargo_until": FUTURE} if self.state == "embargoed" else {"status": self.state})
        return record


HIDDEN = [Hidden(state, road, 1901 + i) for i, (state, road) in enumerate((s, r) for s in STATES for r in ROADS)]
PUBLIC_IDS = ("leak-public-1", "leak-public-2")


def public_record(doc_id: str, edit: int = 0) -> dict:
    return {"id": doc_id, "title": f"Open memorandum {doc_id}", "date": {"edtf": "1960", "min": "1960-01-01", "max": "1960-12-31"},
            "type": "Memorandum",
            "languages": ["en"], "texts": [{"kind": "original", "language": "en", "body": f"{COMMON} open text {edit}."}],
            "people": [{"id": "open-person", "name": "Open Person"}], "topics": ["Open topic"],
            "source": {"repository": {"id": "open-archive", "name": "Open Archive"}},
            # Related documents: every hidden one, by id (no title given), so the page must not reveal theirs.
            "related": [{"id": h.id, "relation": "related", "source": "curated"} for h in HIDDEN]}


def write_sources(folder: Path, edit: int) -> list[Path]:
    files = []
    for doc_id in PUBLIC_IDS:
        files.append(folder / f"{doc_id}.jsonl")
        files[-1].write_text(json.dumps({**public_record(doc_id, edit), "status": "published"}) + "\n")
    for hidden in HIDDEN:
        files.append(folder / f"{hidden.id}.jsonl")
        files[-1].write_text(json.dumps(hidden.record(edit)) + "\n")
    return files


def staff_client(username: str) -> Client:
    client = Client()
    client.force_login(m.Document._meta.apps.get_model("auth", "User").objects.get(username=username))
    return client


def hide_through_the_admin(editor: Client, hidden: Hidden) -> None:
    """What an editor clicks in the staff side to put the document into its state."""
    base = f"/admin/catalog/document/{hidden.id}"
    steps = {"draft": [("workflow", {"action": "return"})],
             "review": [("workflow", {"action": "return"}), ("workflow", {"action": "submit"})],
             "embargoed": [("embargo", {"embargo_until": FUTURE})],
             "withdrawn": [("workflow", {"action": "withdraw"})]}[hidden.state]
    for view, data in steps:
        response = editor.post(f"{base}/{view}/", data)
        assert response.status_code == 302, response.content[:500]


def hide_through_the_api(token: str, hidden: Hidden) -> None:
    body = {"embargo_until": FUTURE} if hidden.state == "embargoed" else {"status": hidden.state}
    if hidden.state == "review":  # the workflow: a published document goes back to draft, then to review
        assert Client().patch(f"/api/documents/{hidden.id}", {"status": "draft"}, content_type="application/json",
                              headers={"Authorization": f"Bearer {token}"}).status_code == 200
    response = Client().patch(f"/api/documents/{hidden.id}", body, content_type="application/json",
                              headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.content


def export_published_only(tmp: Path) -> dict[str, str]:
    """`fonds export --published-only` in each format, run as a user would (a subprocess)."""
    from tests.conftest import database_url

    env = {**os.environ, "DATABASE_URL": database_url(), "FONDS_HOME": str(tmp / "home")}
    out = {}
    for fmt in ("jsonl", "csv", "tei"):
        target = tmp / f"export.{fmt}"
        result = subprocess.run([sys.executable, "-m", "fonds", "export", "--published-only", "--format", fmt,
                                 "-o", str(target)], env=env, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr
        out[fmt] = target.read_text()
    return out


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The catalog of the matrix, built once: public and hidden documents, users of every role, page
    images, an index that last caught up before the admin and API changes, and a re-ingest since."""
    from django.contrib.auth import get_user_model

    from tests.conftest import empty_catalog
    from fonds.api.tokens import create_token
    from fonds.archive import search
    from fonds.catalog import indexer, pages
    from fonds.catalog.ingest import Ingest

    tmp = tmp_path_factory.mktemp("leaks")
    sources, media, index = tmp / "sources", tmp / "media", tmp / "index"
    sources.mkdir()
    with pytest.MonkeyPatch.context() as patch, django_db_blocker.unblock():
        patch.setattr(indexer, "index_root", lambda: index)
        patch.setattr(pages, "media_root", lambda: media)
        patch.setattr("fonds.iiif.service.media_root", lambda: media)
        search.forget_searcher()
        # Admin and API roads start from published documents (ingest_status published, as in the demo).
        assert Ingest(write_sources(sources, 0), jobs=1, status="published").run().errors == []
        for role in roles.ROLES:
            roles.create_user(role, "a long passphrase", role)
        scan = tmp / "scan.png"
        Image.new("RGB", (40, 60), "white").save(scan)
        for doc_id in [*PUBLIC_IDS, *(h.id for h in HIDDEN)]:
            pages.attach_images(doc_id, [scan])
        indexer.catch_up()  # the index now holds every admin- and API-road document as published

        editor, token = staff_client(roles.EDITOR), create_token(roles.EDITOR)
        for hidden in HIDDEN:
            if hidden.road == "admin":
                hide_through_the_admin(editor, hidden)
            elif hidden.road == "api":
                hide_through_the_api(token, hidden)
        # The next ingest of every source file (changed, so each document is rewritten).
        report = Ingest(write_sources(sources, 1), jobs=1).run()
        assert report.errors == [] and report.updated == len(HIDDEN) + len(PUBLIC_IDS)
        yield {"tmp": tmp, "index": index, "export": export_published_only(tmp)}
        search.forget_searcher()
        empty_catalog()
        get_user_model().objects.filter(username__in=roles.ROLES).delete()


@pytest.fixture(scope="module", params=["writer held", "caught up"])
def index_state(request, world, django_db_blocker):
    """The index lagging behind the catalog while another process holds its writer, or caught up."""
    from fonds.archive import search
    from fonds.catalog import indexer
    from fonds.settings import get_settings

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(indexer, "index_root", lambda: world["index"])
        patch.setattr(get_settings(), "search_wait", 0.05)  # keeps the matrix fast while the writer is held
        search.forget_searcher()
        if request.param == "caught up":
            with django_db_blocker.unblock():
                indexer.catch_up()
            yield request.param
            return
        holder = subprocess.Popen(
            [sys.executable, "-c", "import fcntl, sys, time; f = open(sys.argv[1], 'w'); fcntl.flock(f, fcntl.LOCK_EX); "
             "print('locked', flush=True); time.sleep(600)", str(world["index"] / indexer.LOCK)],
            stdout=subprocess.PIPE, text=True)
        assert holder.stdout.readline().strip() == "locked"
        try:
            yield request.param
        finally:
            holder.kill()
            holder.wait()


def named(body: bytes, hidden: Hidden) -> bool:
    """Whether a response names anything of a hidden document beyond the id or key it was asked for
    (a 404 may echo the address): its title, names, topics, type, summary or text."""
    text = body.decode("utf-8", "replace").lower()
    return f" {hidden.label}" in text or f"zqbody{hidden.label}" in text


def viewer_client(viewer: str) -> Client:
    return Client() if viewer == "anonymous" else staff_client(viewer)


def leaked(body: str | bytes) -> list[str]:
    """The labels of hidden documents that appear in a response."""
    text = (body.decode("utf-8", "replace") if isinstance(body, bytes) else body).lower()
    return [h.label for h in HIDDEN if h.label in text]


# ---- channels that show the public view to everyone ----------------------------------------------

SHARED_URLS = [
    "/search?q=" + COMMON, "/api/search?q=" + COMMON, "/feeds/documents.atom", "/feeds/search.atom?q=" + COMMON,
    "/sitemap.xml", "/sitemap-documents.xml", "/sitemap-people.xml", "/sitemap-organizations.xml", "/sitemap-places.xml",
    "/sitemap-archives.xml", "/sitemap-topics.xml", "/dumps/documents.jsonl", "/dumps/documents.csv",
    "/dumps/documents.tei.xml", "/oai?verb=ListSets", "/oai?verb=ListRecords&metadataPrefix=oai_dc",
    "/oai?verb=ListRecords&metadataPrefix=fonds", "/oai?verb=ListIdentifiers&metadataPrefix=oai_dc",
    "/sitemap-documents.xml", "/oai?verb=ListIdentifiers&metadataPrefix=fonds",
    "/explore/timeline?q=" + COMMON, "/explore/timeline?from=1900&to=1919", "/explore/timeline?from=1905&to=1905",
    "/explore/map?q=" + COMMON, "/explore/network?q=" + COMMON,
]
# Reading-room views where staff see hidden documents too (their side is checked below).
READING_ROOM_URLS = ["/", "/documents/leak-public-1/", "/api/documents/leak-public-1", "/people/open-person",
                     "/topics/open-topic", "/archives/open-archive", "/api/documents", "/api/topics",
                     "/browse", "/people/", "/organizations/", "/places/", "/archives/", "/topics/", "/subjects/",
                     "/dates/", "/dates/1900s", "/dates/1960", "/people/open-person/network"]
# Indexes where staff see the names of hidden documents too (and anonymous visitors none).
INDEX_URLS = ["/people/", "/organizations/", "/places/", "/archives/", "/topics/", "/subjects/"]


def body_of(client: Client, url: str) -> bytes:
    response = client.get(url, follow=True)
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return gzip.decompress(content) if url.endswith(".gz") else content


def oai_hidden_part(body: bytes) -> str:
    """An OAI response without the headers of deleted records: a withdrawn document is reported
    there as deleted (its id and set membership, for selective harvesters), never its metadata."""
    root = etree.fromstring(body)
    for header in root.xpath("//o:header[@status='deleted']", namespaces=OAI):
        parent = header.getparent()
        assert not parent.xpath("o:metadata", namespaces=OAI), "a deleted record carries metadata"
        parent.remove(header)
    return etree.tostring(root, encoding="unicode")


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("url", SHARED_URLS)
def test_shared_channels_show_nothing_hidden(index_state, viewer, url):
    body = body_of(viewer_client(viewer), url)
    if url.startswith("/oai") and "ListIdentifiers" not in url and "ListSets" not in url:
        body = oai_hidden_part(body).encode()
    elif url.startswith("/oai?verb=ListIdentifiers"):
        body = oai_hidden_part(body).encode()
    assert leaked(body) == [], f"{url} as {viewer} with the index {index_state}"


@pytest.mark.parametrize("url", READING_ROOM_URLS)
def test_reading_room_shows_anonymous_visitors_nothing_hidden(index_state, url):
    assert leaked(body_of(Client(), url)) == [], url


@pytest.mark.parametrize("viewer", roles.ROLES)
def test_reading_room_shows_staff_everything(index_state, viewer):
    client = viewer_client(viewer)
    for url in ("/", "/documents/leak-public-1/", "/api/documents?limit=100"):
        assert len(leaked(body_of(client, url))) == len(HIDDEN), (url, viewer)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_search_totals_facets_histogram_and_snippets(index_state, viewer):
    client = viewer_client(viewer)
    everything = client.get("/api/search", {"q": COMMON}).json()
    assert everything["total"] == len(PUBLIC_IDS), (index_state, [h["id"] for h in everything["hits"]])
    assert {hit["id"] for hit in everything["hits"]} == set(PUBLIC_IDS)
    assert {bucket["year"] for bucket in everything["histogram"]} == {1960}
    assert leaked(json.dumps(everything)) == []
    for hidden in HIDDEN:
        for params in ({"q": f"zqbody{hidden.label}"}, {"q": hidden.label}, {"person": f"Zqperson {hidden.label.capitalize()}"},
                       {"topic": f"Zqtopic {hidden.label}"}, {"from": str(hidden.year), "to": str(hidden.year)}):
            answer = client.get("/api/search", params).json()
            assert answer["total"] == 0 and answer["hits"] == [], (hidden, params, index_state)
            # The histogram ignores the date range (so its other years stay visible), never the hidden year.
            assert hidden.year not in {bucket["year"] for bucket in answer["histogram"]}, (hidden, params)
            assert leaked(json.dumps(answer["facets"])) == [], (hidden, params)
        page = client.get("/search", {"q": f"zqbody{hidden.label}"}).content.decode()
        assert 'id="total">0 documents' in page, (hidden, index_state)
        assert f"zqtitle {hidden.label}" not in page.lower() and f"zqperson {hidden.label}" not in page.lower()


def test_export_published_only(index_state, world):
    for fmt, text in world["export"].items():
        assert leaked(text) == [], fmt
        assert all(doc_id in text for doc_id in PUBLIC_IDS), fmt


def test_gzipped_dump(index_state):
    body = body_of(Client(), "/dumps/fonds.jsonl.gz")
    assert leaked(body) == [] and b"leak-public-1" in body


# ---- channels where staff see more ---------------------------------------------------------------

def per_document_urls(hidden: Hidden) -> list[str]:
    label = hidden.label
    return [f"/documents/{hidden.id}/", f"/documents/{hidden.id}/cite.bib", f"/documents/{hidden.id}/cite.json",
            f"/api/documents/{hidden.id}", f"/people/zqperson-{label}", f"/organizations/zqorg-{label}",
            f"/places/zqplace-{label}", f"/archives/zqarchive-{label}", f"/topics/zqtopic-{label}",
            f"/api/people/zqperson-{label}", f"/api/organizations/zqorg-{label}", f"/api/places/zqplace-{label}",
            f"/api/repositories/zqarchive-{label}", f"/api/topics/zqtopic-{label}",
            f"/feeds/topics/zqtopic-{label}.atom", f"/feeds/people/zqperson-{label}.atom",
            f"/feeds/organizations/zqorg-{label}.atom", f"/feeds/places/zqplace-{label}.atom",
            f"/feeds/archives/zqarchive-{label}.atom", f"/people/zqperson-{label}/network",
            f"/subjects/Zqsubject {label}",
            f"/iiif/{hidden.id}/manifest.json", f"/iiif/{hidden.id}/1/info.json", f"/iiif/{hidden.id}/1/full/max/0/default.jpg"]


STAFF_SEE = ("/documents/", "/api/", "/people/", "/organizations/", "/places/", "/archives/", "/topics/", "/iiif/",
             "/subjects/")


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("hidden", HIDDEN, ids=lambda h: h.label)
def test_pages_of_a_hidden_document_and_its_names(index_state, viewer, hidden):
    client = viewer_client(viewer)
    for url in per_document_urls(hidden):
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if viewer != "anonymous" and url.startswith(STAFF_SEE):
            assert response.status_code in (200, 301), (url, viewer)  # staff read everything there
            if url.startswith("/iiif/"):  # and it never sits in a shared cache
                assert response["Cache-Control"] == "private, no-store", url
            continue
        if url == f"/documents/{hidden.id}/" and hidden.state == "withdrawn":
            assert response.status_code == 410 and b"withdrawn" in body  # the URL stays, with a notice
        else:
            assert response.status_code == 404, (url, viewer, response.status_code)
        assert not named(body, hidden), (url, viewer)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_lists_and_counts(index_state, viewer):
    client = viewer_client(viewer)
    for url in ("/api/documents?limit=100", "/api/people?limit=100", "/api/organizations?limit=100",
                "/api/places?limit=100", "/api/repositories?limit=100", "/api/topics?limit=100"):
        answer = client.get(url).json()
        if viewer == "anonymous":
            assert leaked(json.dumps(answer)) == [], url
        else:
            assert len(leaked(json.dumps(answer))) == len(HIDDEN), url
    for url in INDEX_URLS:
        body = body_of(client, url)
        assert len(leaked(body)) == (0 if viewer == "anonymous" else len(HIDDEN)), (url, viewer)
    decades = body_of(client, "/dates/").decode()
    assert ('href="/dates/1900s"' in decades) == (viewer != "anonymous")
    assert 'Open Person</a> <span class="n" title="documents">2</span>' in body_of(client, "/people/").decode()
    topics = {t["slug"]: t["document_count"] for t in client.get("/api/topics").json()["items"]}
    assert topics["open-topic"] == len(PUBLIC_IDS)
    total = client.get("/api/documents").json()["total"]
    assert total == (len(PUBLIC_IDS) if viewer == "anonymous" else len(PUBLIC_IDS) + len(HIDDEN))


@pytest.mark.parametrize("hidden", HIDDEN, ids=lambda h: h.label)
def test_oai_get_record(index_state, hidden):
    root = etree.fromstring(Client().get("/oai", {"verb": "GetRecord", "metadataPrefix": "oai_dc",
                                                  "identifier": f"oai:testserver:{hidden.id}"}).content)
    if hidden.state == "withdrawn":
        assert root.xpath("//o:header/@status", namespaces=OAI) == ["deleted"]
        assert not root.xpath("//o:metadata", namespaces=OAI)
    else:
        assert root.xpath("//o:error/@code", namespaces=OAI) == ["idDoesNotExist"]


@pytest.mark.parametrize("hidden", HIDDEN, ids=lambda h: h.label)
def test_the_state_survived_the_re_ingest(world, hidden):
    doc = m.Document.objects.get(pk=hidden.id)
    expected = ("published", FUTURE) if hidden.state == "embargoed" else (hidden.state, None)
    assert (doc.status, doc.embargo_until and doc.embargo_until.isoformat()) == expected
    assert doc.texts.get().body.endswith("text 1.")  # the re-ingest did rewrite it
    if hidden.road != "ingest":
        roads = set(m.Revision.objects.filter(object_id=hidden.id).values_list("road", flat=True))
        assert {"ingest", hidden.road if hidden.road == "api" else "workflow"} <= roads or "admin" in roads
