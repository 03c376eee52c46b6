"""The reading room in Chromium at desktop (1280 px) and phone (360 and 390 px) widths: the FRUS
document page (edition, footnotes, hits), the search page (facets folded on phones, skip link,
keyboard dates, "did you mean", feeds, print) and no page wider than the screen.

One archive is served for the module by `fonds serve` (gunicorn) on its own SQLite home with FRUS
1955-57 vol. XX and the seed page, so every test reads the same pages without reloading data.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import urllib.request

import pytest

from tests.conftest import serving

pytestmark = [pytest.mark.browser, pytest.mark.database_independent]
D2 = "/documents/frus1955-57v20-d2/"
D1 = "/documents/frus1955-57v20-d1/"
SEED = "000_6e32ea4dc738cddf"
PHONES = [360, 390]


@pytest.fixture(scope="module")
def served(corpus, seed_file, tmp_path_factory):
    """The base URL of a served archive (published FRUS vol. XX and the seed)."""
    home = tmp_path_factory.mktemp("reading-home")
    env = {**os.environ, "FONDS_HOME": str(home), "FONDS_INGEST_STATUS": "published"}
    env.pop("DATABASE_URL", None)
    files = [str(corpus / "frus" / "tei" / "frus1955-57v20.xml"), str(seed_file)]
    subprocess.run([sys.executable, "-m", "fonds", "ingest", "--jobs", "1", *files], env=env, check=True, capture_output=True)
    _attach_scans(env, home)
    with serving(env) as base:
        yield base


ATTACH = """
import django, sys
django.setup()
from fonds.catalog.pages import attach_images
attach_images(sys.argv[1], sys.argv[2:], labels=["f. 36", "f. 36v"])
"""


def _attach_scans(env: dict, home) -> None:
    """Two page images (generated) for the seed page, through the catalog's own attach_images."""
    from PIL import Image, ImageDraw

    files = []
    for number, size in ((1, (1600, 2200)), (2, (1200, 1700))):
        image = Image.new("RGB", size, (240, 235, 220))
        ImageDraw.Draw(image).rectangle((100, 100, size[0] - 100, 400), fill=(60, 60, 60))
        files.append(home / f"scan{number}.jpg")
        image.save(files[-1], "JPEG", quality=80)
    subprocess.run([sys.executable, "-c", ATTACH, SEED, *map(str, files)], check=True, capture_output=True,
                   env={**env, "DJANGO_SETTINGS_MODULE": "fonds.site"})


def _page(browser, width: int):
    return browser.new_page(viewport={"width": width, "height": 900})


def _no_overflow(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} is {width} px wide at {page.viewport_size['width']} px"


def _url_of(base: str, path: str) -> str:
    """The canonical URL a short document URL redirects to."""
    return urllib.request.urlopen(base + path, timeout=30).geturl()


@pytest.mark.parametrize("width", [1280, *PHONES])
def test_frus_document_edition_and_footnotes(served, browser, width):
    page = _page(browser, width)
    try:
        page.goto(_url_of(served, D2))
        _no_overflow(page)
        crumbs = page.locator("#edition li").all_inner_texts()
        assert crumbs == ["Foreign Relations of the United States",
                          "1955–1957, Regulation of Armaments; Atomic Energy, Volume XX", "Document 2"]
        assert page.locator("#facts").is_visible() and "Top Secret" in page.locator("#facts").text_content()
        # a footnote mark leads to its note, and the note's arrow back to the mark
        ref = page.locator("sup.fn-ref a[href^='#fn-']").first
        target = ref.get_attribute("href")
        ref.click()
        page.wait_for_url(f"**{target}")
        note = page.locator(target)
        assert note.is_visible() and note.evaluate("n => n.getBoundingClientRect().top") < 900
        note.locator("a.fn-back").click()
        page.wait_for_url(f"**{target}-ref")
        # the source note sits under its own number, linked from the title
        page.locator("#source-note-ref").click()
        assert re.match(r"\d+\. Source: Eisenhower Library", page.locator("#source-note").inner_text())
        page.locator("#volume-nav a[rel=next]").click()
        page.wait_for_url("**/frus1955-57v20-d3/**")
        assert page.locator("#edition li").last.inner_text() == "Document 3"
        page.locator("#volume-nav a[rel=prev]").click()
        page.wait_for_url("**/frus1955-57v20-d2/**")
    finally:
        page.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_next_and_previous_hit(served, browser, width):
    page = _page(browser, width)
    try:
        page.goto(_url_of(served, D1) + "?q=Bowie#first-match")
        count = page.locator("#hit-count")
        total = int(re.search(r"(\d+) matches", count.inner_text()).group(1))
        assert total == page.locator("mark[data-hit]").count() > 2
        page.locator("#hit-next").click()
        page.wait_for_url("**#hit-2")
        assert count.inner_text().startswith(f"2 of {total} matches")
        assert page.locator("#hit-2").evaluate("m => m.classList.contains('current')")
        page.locator("#hit-prev").click()
        page.wait_for_url("**#first-match")
        page.locator("#hit-prev").click()  # from the first, previous wraps to the last
        page.wait_for_url(f"**#hit-{total}")
        box = page.locator(f"#hit-{total}").bounding_box()
        assert 0 <= box["y"] < 900  # scrolled into view, even in a footnote
        _no_overflow(page)
    finally:
        page.close()


def test_search_page_on_a_phone(served, browser):
    for width in PHONES:
        page = _page(browser, width)
        try:
            page.goto(served + "/search?q=disarmament")
            _no_overflow(page)
            facets = page.locator("#facets")
            assert facets.evaluate("d => d.open") is False  # folded behind "Refine results"
            first_hit = page.locator("li.hit").first.bounding_box()
            assert first_hit["y"] < page.locator("footer.site").bounding_box()["y"]
            assert not page.locator(".facet-value").first.is_visible()
            page.get_by_text("Refine results").click()
            assert page.locator(".facet-value").first.is_visible()
            for path in ("/", _url_of(served, "/documents/000_6e32ea4dc738cddf/"), "/search/help"):
                page.goto(path if path.startswith("http") else served + path)
                _no_overflow(page)
        finally:
            page.close()


def test_search_page_by_keyboard_at_desktop(served, browser):
    page = _page(browser, 1280)
    try:
        page.goto(served + "/search?q=disarmament")
        assert page.locator("#facets").evaluate("d => d.open") is True
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Skip to results"
        page.keyboard.press("Enter")
        page.wait_for_url("**#results")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.closest('#results') !== null")
        # a date range typed in, submitted with Enter
        page.locator("#date-from").fill("1955")
        page.locator("#date-to").fill("1955-06")
        page.locator("#date-to").press("Enter")
        page.wait_for_url("**to=1955-06**")
        assert "q=disarmament" in page.url
        assert "dated 1955-01-01 to 1955-06-30" in page.locator("#total").inner_text()
        page.goto(served + "/search?q=disarmament&from=soon")
        assert "From “soon” is not a date, so it was ignored" in page.locator(".message").inner_text()
        # the histogram's bar links are not inside role=img (axe: nested-interactive)
        assert page.locator("#histogram a.bar").count() > 0
        assert page.locator("[role=img] a").count() == 0
    finally:
        page.close()


def test_did_you_mean_feeds_print_and_page_metadata(served, browser):
    page = _page(browser, 1280)
    try:
        page.goto(served + "/search?q=Stasen")
        assert page.locator("#total").inner_text().startswith("0 documents")
        suggestion = page.locator("#suggestion a")
        assert suggestion.inner_text() == "Stassen"
        suggestion.click()
        page.wait_for_url("**q=Stassen**")
        assert int(page.locator("#total").inner_text().split()[0]) > 0
        feeds = page.locator("link[rel=alternate][type='application/atom+xml']")
        hrefs = [feeds.nth(i).get_attribute("href") for i in range(feeds.count())]
        assert "/feeds/documents.atom" in hrefs and any(h.startswith("/feeds/search.atom?q=Stassen") for h in hrefs)
        feed = urllib.request.urlopen(served + hrefs[-1], timeout=30).read().decode()
        assert "<feed" in feed and "Stassen" in feed
        icon = page.locator("link[rel=icon]").get_attribute("href")
        assert urllib.request.urlopen(served + icon, timeout=30).status == 200
        page.goto(_url_of(served, D2))
        assert page.locator("meta[property='og:type']").get_attribute("content") == "article"
        assert page.locator("meta[property='og:title']").get_attribute("content").startswith("Memorandum")
        assert page.locator("meta[property='og:url']").get_attribute("content") == page.url
        page.emulate_media(media="print")
        assert not page.locator("header.site").is_visible() and not page.locator("#volume-nav").is_visible()
        assert page.locator("#text").is_visible() and page.locator("#cite").is_visible()
    finally:
        page.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_scan_viewer_zooms_and_turns_pages(served, browser, width):
    page = _page(browser, width)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    try:
        page.goto(_url_of(served, f"/documents/{SEED}/"))
        viewer = page.locator("#viewer")
        viewer.wait_for(state="visible")
        page.wait_for_function("document.querySelector('#viewer canvas') !== null")
        status = page.locator("#viewer-page")
        assert status.inner_text() == "Page 1 of 2: f. 36"
        page.locator("#scans a[data-page='1']").click()
        page.wait_for_function("document.getElementById('viewer-page').textContent.startsWith('Page 2')")
        assert status.inner_text() == "Page 2 of 2: f. 36v"
        page.locator("#viewer [title='Previous page']").click()
        page.wait_for_function("document.getElementById('viewer-page').textContent.startsWith('Page 1')")
        page.locator("#viewer [title='Zoom in']").click()
        _no_overflow(page)
        assert any("/iiif/" in url and url.endswith("info.json") for url in requests)
        assert any("/iiif/" in url and url.endswith("/default.jpg") for url in requests)  # the image itself
        assert all(url.startswith(served) for url in requests), "the viewer fetched something from elsewhere"
    finally:
        page.close()
