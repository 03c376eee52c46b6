"""The document page in Debian's Chromium, driven by Playwright: every panel is visible."""

from __future__ import annotations

import pytest

from fonds.catalog.ingest import Ingest

pytestmark = pytest.mark.browser

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
PANEL_IDS = ["title", "date", "summary", "text", "authors", "associated", "places", "topics", "subjects", "related",
             "information", "source", "archive", "language", "classification", "rights", "funders", "record-id"]


@pytest.fixture
def reading_room(live_server, seed_file) -> str:
    """A live server with the seed ingested. Set up before the browser: Playwright's sync API runs an
    event loop in this thread, inside which Django refuses database calls."""
    assert Ingest([seed_file], jobs=1).run().errors == []
    return live_server.url


@pytest.fixture
def browser_page(reading_room, chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium_path), headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser.new_page()
        finally:
            browser.close()


def test_document_page_panels_are_visible_in_order(reading_room, browser_page):
    page = browser_page
    page.goto(reading_room + "/")
    page.get_by_role("link", name="CC CPSU Presidium Decision").first.click()
    page.wait_for_url("**/documents/000_6e32ea4dc738cddf/**")
    tops = []
    for panel in PANEL_IDS:
        element = page.locator(f"#{panel}")
        assert element.is_visible(), f"panel #{panel} is not visible"
        tops.append(element.bounding_box()["y"])
    sections = tops[:11]
    assert sections == sorted(sections), "panels are out of the seed page's order"
    assert page.locator("#classification").inner_text() == "Top Secret"
    assert "Leon Levy Foundation" in page.locator("#funders").inner_text()
    assert page.locator("#text").inner_text().strip().endswith("4-ak")
    page.get_by_role("link", name="Khrushchev, Nikita Sergeyevich").click()
    page.wait_for_url("**/people/khrushchev-nikita-sergeyevich")
    assert page.get_by_role("heading", level=1).inner_text() == "Khrushchev, Nikita Sergeyevich"


def test_home_search_box_filters(reading_room, browser_page):
    page = browser_page
    page.goto(reading_room + "/")
    page.get_by_label("Search documents").fill("Proletarians")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/?q=Proletarians")
    assert page.get_by_text("1 document").is_visible()
