"""Output that runs nobody's code (issue 12, "output safe"): feeds escape summaries, CSV cells a
spreadsheet would evaluate are neutralised, only http(s) rights URIs become links, the site's own
URL and host names are settings a forged Host header cannot change, HSTS, secure cookies, the
proxy TLS header and the CSP are settings on in production mode, and `fonds check` warns about
each insecure setting. Also: topic links and the API's page size."""

from __future__ import annotations

import csv
import io
import json

import pytest
from lxml import etree

from fonds.catalog.ingest import Ingest
from fonds.settings import Settings, get_settings

pytestmark = pytest.mark.django_db

HOSTILE = {
    "id": "hostile-1", "title": "=HYPERLINK(\"http://evil.example\",\"click\")", "status": "published",
    "summary": "<script>alert(1)</script><img src=x onerror=alert(2)>",
    "rights": {"statement": "Free", "uri": "https://example.org/rights"},
    "topics": ["Cold War <b>History</b>"], "people": [{"id": "evil", "name": "+cmd|' /C calc'!A0"}],
    "texts": [{"kind": "original", "body": "-2+3 a plain text"}],
}


@pytest.fixture
def hostile(tmp_path, fresh_index):
    path = tmp_path / "hostile.jsonl"
    safe = {**HOSTILE, "id": "safe-1", "title": "A safe one", "rights": {"uri": "https://rightsstatements.org/vocab/InC/1.0/"}}
    path.write_text(json.dumps(HOSTILE) + "\n" + json.dumps(safe) + "\n")
    assert Ingest([path], jobs=1).run().errors == []


def test_feeds_escape_summaries(client, hostile):
    feed = etree.fromstring(client.get("/feeds/documents.atom").content)
    summaries = feed.xpath("//a:entry/a:summary/text()", namespaces={"a": "http://www.w3.org/2005/Atom"})
    # The element holds HTML (type="html"): the summary is in it as escaped text, never as markup.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;" in summaries
    assert not any("<script" in s or "<img" in s for s in summaries)


def test_csv_exports_and_dumps_neutralise_formulas(client, hostile):
    body = b"".join(client.get("/dumps/documents.csv").streaming_content).decode()
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(body))}
    row = rows["hostile-1"]
    assert row["title"] == "'=HYPERLINK(\"http://evil.example\",\"click\")"
    assert row["people"] == "'+cmd|' /C calc'!A0"
    assert rows["safe-1"]["title"] == "A safe one"
    from fonds.catalog import export

    out = io.StringIO()
    export.write("csv", out)
    assert "'=HYPERLINK" in out.getvalue() and ",=HYPERLINK" not in out.getvalue()


@pytest.mark.parametrize("uri", ["javascript:alert(3)", "JavaScript:alert(3)", "data:text/html,<script>", "//evil.example",
                                 "vbscript:msgbox", "ftp://example.org/x"])
def test_only_http_rights_uris_become_links(client, hostile, uri):
    # Ingest refuses such a URI at the door (test_validation) and a migration repairs older catalogs
    # (test_migrations); the link is also made only from an http(s) URI.
    from fonds.archive.urls import safe_link

    assert safe_link(uri) is None
    page = client.get("/documents/hostile-1/", follow=True).content.decode()
    assert "<script>alert(1)" not in page
    safe = client.get("/documents/safe-1/", follow=True).content.decode()
    assert 'href="https://rightsstatements.org/vocab/InC/1.0/" rel="license"' in safe


def test_topic_links_name_the_topic_page(client, hostile):
    page = client.get("/documents/hostile-1/", follow=True).content.decode()
    assert 'href=""' not in page and 'href="/topics/cold-war-b-history-b"' in page


def test_a_forged_host_header_is_refused(client, hostile):
    assert client.get("/api/documents", HTTP_HOST="evil.example").status_code == 400
    assert client.get("/oai?verb=Identify", HTTP_HOST="evil.example").status_code == 400


def test_site_url_makes_every_absolute_url(client, hostile, monkeypatch):
    monkeypatch.setattr(get_settings(), "site_url", "https://archive.example.org")
    items = client.get("/api/documents").json()["items"]
    assert {item["url"].split("/documents/")[0] for item in items} == {"https://archive.example.org"}
    assert items[0]["api_url"].startswith("https://archive.example.org/api/documents/")
    assert client.get("/api/documents", {"limit": 1}).json()["next"].startswith("https://archive.example.org/api/documents?")
    oai = client.get("/oai", {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"}).content.decode()
    assert "oai:archive.example.org:hostile-1" in oai and "<request verb" in oai
    assert ">https://archive.example.org/oai<" in oai
    page = client.get("/documents/hostile-1/", follow=True).content.decode()
    assert '<link rel="canonical" href="https://archive.example.org/documents/hostile-1/' in page
    feed = client.get("/feeds/documents.atom").content.decode()
    assert "https://archive.example.org/documents/hostile-1/" in feed and "testserver" not in feed
    sitemap = client.get("/sitemap-documents.xml").content.decode()
    assert "https://archive.example.org/documents/" in sitemap and "testserver" not in sitemap


def test_production_mode_turns_on_hsts_secure_cookies_and_the_csp():
    plain, production = Settings(), Settings(production=True)
    assert (plain.hsts, plain.cookies_secure, plain.csp) == (0, False, "")
    assert production.hsts == 31_536_000 and production.cookies_secure and "default-src 'self'" in production.csp
    assert Settings(production=True, hsts_seconds=60, secure_cookies=False, content_security_policy="").hsts == 60
    assert Settings(allowed_hosts=[], site_url="https://a.example").hosts == ["a.example"]
    assert Settings().hosts == ["localhost", "127.0.0.1", "[::1]"]


def test_the_csp_header_is_sent_when_set(client, monkeypatch, hostile):
    from fonds.web.middleware import ContentSecurityPolicy

    monkeypatch.setattr("fonds.settings.get_settings", lambda: Settings(production=True))
    middleware = ContentSecurityPolicy(lambda request: client.get("/"))
    response = middleware(None)
    assert response["Content-Security-Policy"].startswith("default-src 'self'")


def test_fonds_check_warns_about_each_insecure_setting(cli):
    warnings = cli("check", check=True).stderr
    for setting in ("site_url", "production", "hsts_seconds", "secure_cookies", "content_security_policy"):
        assert f"warning: {setting}" in warnings
    assert "allowed_hosts" not in warnings  # loopback names only, by default
    cli_env = {"FONDS_SITE_URL": "http://archive.example.org", "FONDS_ALLOWED_HOSTS": '["*"]'}
    import os

    os.environ.update(cli_env)
    try:
        warnings = cli("check", check=True).stderr
    finally:
        for key in cli_env:
            os.environ.pop(key)
    assert "is not https" in warnings and "allowed_hosts accepts any host" in warnings


def test_fonds_check_is_quiet_in_a_safe_production_setup(cli):
    import os

    os.environ.update({"FONDS_SITE_URL": "https://archive.example.org", "FONDS_PRODUCTION": "true"})
    try:
        result = cli("check", check=True)
    finally:
        os.environ.pop("FONDS_SITE_URL")
        os.environ.pop("FONDS_PRODUCTION")
    assert "warning" not in result.stderr


def test_the_api_says_when_it_caps_the_page_size(client, hostile, monkeypatch):
    monkeypatch.setattr(get_settings(), "page_size", 250)
    answer = client.get("/api/search", {"q": "text"}).json()
    assert answer["page_size"] == 100 and any("at most 100" in message for message in answer["messages"])
    assert client.get("/api/documents", {"limit": 101}).status_code == 422
    spec = client.get("/api/openapi.json").json()
    limit = next(p for p in spec["paths"]["/api/documents"]["get"]["parameters"] if p["name"] == "limit")
    assert "at most 100" in limit["description"]
