"""Accessibility and the scan viewer's text in Chromium: axe-core finds no violation on the reading
room's pages (home, search, document, every kind of entity page with a person's network, topic and
subject pages, every index and date level, the explore views, the 404 and withdrawn pages) in
English and Russian, and on the staff side's (dashboard, curator queue, a document's edit form), at
desktop and phone widths; turning a page of
an OCR'd document in the viewer shows that page's text, and without JavaScript each page's text is
reachable from its image.

axe-core is vendored under tests/vendor/axe-core/ (see its README.md): only the tests use it, so it
is neither shipped in the package nor served to visitors.

One archive is served for the module by `fonds serve` on its own SQLite home: FRUS 1955-57 vol. XX,
the seed page, a three-page scanned PDF (rendered FRUS text, read by the real Tesseract), a memo
under a topic and a subject, and a withdrawn memo.
"""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from django.conf import settings

from tests.conftest import WITHDRAWN_ID, serving, themed_records
from tests.scans import frus_lines, require_ocr, scanned_pdf

pytestmark = [pytest.mark.browser, pytest.mark.ocr, pytest.mark.database_independent]
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
SCANNED = "scanned-memo"  # the record id of the scanned PDF (its file name)
PASSWORD = "a-long-test-password-1955"
WIDTHS = [1280, 390]


@pytest.fixture(scope="module")
def served(corpus, seed_file, tmp_path_factory):
    """The base URL of a served archive with published documents and an editor's account."""
    require_ocr()
    home = tmp_path_factory.mktemp("a11y-home")
    env = {**os.environ, "FONDS_HOME": str(home), "FONDS_INGEST_STATUS": "published"}
    env.pop("DATABASE_URL", None)
    # Three short pages, each its own lines of FRUS document 4, so each page's text is distinct.
    lines = frus_lines("frus1955-57v20-d4", count=9)
    pdf = scanned_pdf(home / f"{SCANNED}.pdf", [lines[0:3], lines[3:6], lines[6:9]])
    files = [str(corpus / "frus" / "tei" / "frus1955-57v20.xml"), str(seed_file), str(pdf), str(themed_records(home))]
    subprocess.run([sys.executable, "-m", "fonds", "ingest", "--jobs", "1", *files], env=env, check=True,
                   capture_output=True)
    subprocess.run([sys.executable, "-m", "fonds", "user", "create", "edith", "--role", "editor"], env=env,
                   check=True, capture_output=True, input=PASSWORD + "\n", text=True)
    with serving(env) as base:
        yield base


def _url_of(base: str, path: str) -> str:
    """The canonical URL a short document URL redirects to."""
    return urllib.request.urlopen(base + path, timeout=30).geturl()


def _violations(page) -> list[str]:
    """axe-core's violations on the page as it stands, one readable line per failing element."""
    page.add_script_tag(path=str(AXE))
    # only violations are read: axe then keeps one example of each passing rule, not every node
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    lines = []
    for violation in result["violations"]:
        for node in violation["nodes"]:
            lines.append(f"{violation['id']} ({violation['impact']}): {' '.join(map(str, node['target']))}: "
                         f"{node['failureSummary'].splitlines()[-1].strip()} [{violation['help']}]\n"
                         f"      {node['html'][:200]}")
    return lines


PUBLIC = ["/", "/search?q=disarmament", "/search?q=Stasen", "/search/help", "/browse", "/people/", "/organizations/",
          "/places/", "/archives/", "/topics/", "/subjects/", "/dates/", "/dates/1950s", "/dates/1955", "/dates/1956-04",
          "/explore/timeline?q=disarmament", "/explore/map?q=disarmament", "/explore/network?q=disarmament",
          "/no-such-page", f"/documents/{WITHDRAWN_ID}/"]
DOCUMENTS = ["/documents/frus1955-57v20-d1/?q=Bowie", f"/documents/{SCANNED}/?q=memorandum",
             "/documents/000_6e32ea4dc738cddf/"]
# the indexes whose first entry's page is audited (a person, organization, place, archive, topic, subject)
ENTITY_INDEXES = ["/people/", "/organizations/", "/places/", "/archives/", "/topics/", "/subjects/"]


def _entity_pages(page, base: str) -> list[str]:
    """The first entry of each entity index (most documents first), and the first person's network."""
    urls = []
    for index in ENTITY_INDEXES:
        page.goto(f"{base}{index}?sort=count")
        urls.append(page.locator("main li a[href^='%s']" % index).first.evaluate("a => a.href"))
    return urls + [urls[0] + "/network"]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", ["en", "ru"])
def test_axe_finds_no_violation_on_the_reading_room(served, browser, language, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    # the language as the switcher leaves it chosen: its cookie
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": served}])
    page = context.new_page()
    try:
        urls = [served + path for path in PUBLIC] + [_url_of(served, path) for path in DOCUMENTS]
        urls += _entity_pages(page, served)
        found = {}
        for url in urls:
            page.goto(url)
            if "/documents/" in url:
                page.wait_for_load_state("networkidle")  # the viewer has drawn its controls
            assert page.locator("html").get_attribute("lang") == language, url
            if problems := _violations(page):
                found[url] = problems
        assert not found, "axe-core violations:\n" + "\n".join(
            f"{url}\n  " + "\n  ".join(problems) for url, problems in found.items())
    finally:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_axe_finds_no_violation_on_the_staff_side(served, browser, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{served}/admin/login/")
        found = {}
        if problems := _violations(page):
            found[page.url] = problems
        page.fill("#id_username", "edith")
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        page.wait_for_load_state()
        for path in ("/admin/", "/admin/catalog/pendinglink/", "/admin/catalog/document/",
                     "/admin/catalog/document/frus1955-57v20-d1/change/"):
            response = page.goto(served + path)
            assert response.status == 200, path
            if problems := _violations(page):
                found[path] = problems
        assert not found, "axe-core violations:\n" + "\n".join(
            f"{url}\n  " + "\n  ".join(problems) for url, problems in found.items())
    finally:
        context.close()


def _page_words(lines: list[str], others: list[str]) -> set[str]:
    """Words of a page's lines (six letters or more) found on no other page, to tell the pages apart."""
    def words(text: str) -> set[str]:
        return {w.strip(".,;:()").lower() for w in text.split() if len(w.strip(".,;:()")) >= 6}
    return words(" ".join(lines)) - words(" ".join(others))


def test_the_viewer_shows_the_text_of_the_page_it_shows(served, browser):
    lines = frus_lines("frus1955-57v20-d4", count=9)
    pages = [lines[0:3], lines[3:6], lines[6:9]]
    url = _url_of(served, f"/documents/{SCANNED}/")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(url)
        page.wait_for_function("document.querySelector('#viewer canvas') !== null")
        texts = page.locator(".text-page")
        assert texts.count() == 3
        for number, own in enumerate(pages, start=1):  # each page's text under its number (real OCR)
            shown = page.locator(f"#text-1-page-{number}").inner_text().lower()
            expected = _page_words(own, [line for other in pages if other is not own for line in other])
            assert len([w for w in expected if w in shown]) >= len(expected) // 2 > 0, (number, shown, expected)
        assert page.locator(".text-page.current").get_attribute("id") == "text-1-page-1"
        page.locator("#viewer [title='Next page']").click()
        page.wait_for_function("document.getElementById('viewer-page').textContent.startsWith('Page 2 of 3')")
        current = page.locator(".text-page.current")
        assert current.get_attribute("id") == "text-1-page-2" and current.get_attribute("aria-current") == "true"
        assert 0 <= current.bounding_box()["y"] < 900  # brought beside the viewer
        # a page's "page image" link turns the viewer to that page
        page.locator("#text-1-page-3 a.to-scan").click()
        page.wait_for_function("document.getElementById('viewer-page').textContent.startsWith('Page 3 of 3')")
        assert page.locator(".text-page.current").get_attribute("id") == "text-1-page-3"
        # a thumbnail does the same
        page.locator("#scans a[data-page='0']").click()
        page.wait_for_function("document.getElementById('viewer-page').textContent.startsWith('Page 1 of 3')")
        assert page.locator(".text-page.current").get_attribute("id") == "text-1-page-1"
    finally:
        page.close()

    # Without JavaScript every page's text is reachable from its image, and each image opens.
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(url)
        assert not page.locator("#viewer").is_visible()
        links = page.locator("#scans a.to-text")
        assert [links.nth(i).get_attribute("href") for i in range(links.count())] == \
            ["#text-1-page-1", "#text-1-page-2", "#text-1-page-3"]
        links.nth(1).click()
        page.wait_for_url("**#text-1-page-2")
        assert page.locator("#text-1-page-2").evaluate("e => e.getBoundingClientRect().top") < 844
        full = page.locator("#scans a[data-page='1']").get_attribute("href")
        assert urllib.request.urlopen(served + full, timeout=30).headers["Content-Type"] == "image/jpeg"
    finally:
        context.close()
