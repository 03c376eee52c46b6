"""The document page in Debian's Chromium, driven by Playwright: every panel is visible."""

from __future__ import annotations

import pytest

from fonds.catalog.ingest import Ingest
from tests.conftest import launch_chromium

pytestmark = pytest.mark.browser
# The seed page's panels with values, in the order of the Wilson Center's page (empty panels are left out).
PANEL_IDS = ["teaser", "title", "date", "facts", "summary", "text", "associated", "information", "language",
             "classification", "rights", "funders", "record-id"]


@pytest.fixture
def reading_room(live_server, seed_file, fresh_index) -> str:
    """A live server with the seed ingested. Set up before the browser: Playwright's sync API runs an
    event loop in this thread, inside which Django refuses database calls."""
    assert Ingest([seed_file], jobs=1, status="published").run().errors == []
    return live_server.url


def _browser_page(chromium_path, url: str):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright, chromium_path)
        try:
            page = browser.new_page(viewport={"width": 1300, "height": 1000})
            page.goto(url)
            yield page
        finally:
            browser.close()


@pytest.fixture
def browser_page(reading_room, chromium_path):
    yield from _browser_page(chromium_path, reading_room + "/")


def test_document_page_panels_are_visible_in_order(reading_room, browser_page):
    page = browser_page
    page.get_by_role("link", name="CC CPSU Presidium Decision").first.click()
    page.wait_for_url("**/documents/000_6e32ea4dc738cddf/**")
    tops = []
    for panel in PANEL_IDS:
        element = page.locator(f"#{panel}")
        assert element.is_visible(), f"panel #{panel} is not visible"
        tops.append(element.bounding_box()["y"])
    sections = tops[:8]
    assert sections == sorted(sections), "panels are out of the seed page's order"
    assert page.locator("#classification").inner_text() == "Top Secret"
    assert "Leon Levy Foundation" in page.locator("#funders").inner_text()
    assert page.locator("#text").inner_text().strip().endswith("4-ak")
    page.get_by_role("link", name="Khrushchev, Nikita Sergeyevich").click()
    page.wait_for_url("**/people/khrushchev-nikita-sergeyevich")
    assert page.get_by_role("heading", level=1).inner_text() == "Khrushchev, Nikita Sergeyevich"


@pytest.fixture
def reading_room_with_frus(live_server, seed_file, corpus, fresh_index) -> str:
    """A live server with the seed page and FRUS 1955-57 vol. XX (set up before the browser, see above)."""
    assert Ingest([seed_file, corpus / "frus" / "tei" / "frus1955-57v20.xml"], jobs=1, status="published").run().errors == []
    return live_server.url


@pytest.fixture
def search_page(reading_room_with_frus, chromium_path):
    yield from _browser_page(chromium_path, reading_room_with_frus + "/")


def _total(page) -> int:
    return int(page.locator("#total").inner_text().split()[0])


def test_search_facet_and_date_range(search_page):
    page = search_page
    page.get_by_label("Search documents").fill("disarmament")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/search?q=disarmament")
    everything = _total(page)
    assert everything > 50 and page.locator(".hit mark").first.is_visible()

    page.locator("#facet-type a", has_text="Telegram").click()
    page.wait_for_url("**type=Telegram**")
    telegrams = _total(page)
    assert 0 < telegrams < everything
    assert page.locator("#facet-type a.selected", has_text="Telegram").is_visible()

    # Drag across the histogram from its first year to the middle: the search narrows to those years.
    box = page.locator("#histogram svg").bounding_box()
    first = int(page.locator("#histogram").get_attribute("data-first"))
    page.mouse.move(box["x"] + 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.45, box["y"] + box["height"] / 2, steps=8)
    page.mouse.up()
    page.wait_for_url("**to=**")
    narrowed = _total(page)
    assert 0 < narrowed < telegrams
    assert f"from={first}" in page.url and "type=Telegram" in page.url

    # A click on one bar narrows to that year.
    page.locator("#histogram a.bar").first.click()
    page.wait_for_url(f"**from={first}&to={first}**")
    assert _total(page) <= narrowed


def test_result_opens_highlighted_and_scrolled(search_page):
    page = search_page
    page.goto(page.url.rstrip("/") + "/search?q=" + "Хрущёв")
    page.locator(".hit a.title").first.click()
    page.wait_for_url("**#first-match")
    mark = page.locator("#first-match")
    assert mark.inner_text().lower().startswith("khrushch")
    assert mark.is_visible() and page.evaluate("document.getElementById('first-match').getBoundingClientRect().top") < 1000


def test_counts_that_come_after_the_page_are_put_in_place(search_page, counts_after_page):
    page = search_page
    page.goto(page.url.rstrip("/") + "/search?q=Secretary")
    assert page.locator(".counting").is_visible() and page.locator("#histogram").count() == 0
    assert _total(page) > 50 and page.locator(".hit mark").first.is_visible()
    counts_after_page.set()
    page.locator("#facet-person .n").first.wait_for()
    assert page.locator(".counting").count() == 0
    # The histogram that came later takes a drag across its years, as one sent with the page does.
    box = page.locator("#histogram svg").bounding_box()
    page.mouse.move(box["x"] + 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.45, box["y"] + box["height"] / 2, steps=8)
    page.mouse.up()
    page.wait_for_url("**to=**")
    assert 0 < _total(page)
