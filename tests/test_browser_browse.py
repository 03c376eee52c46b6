"""Browsing, an entity page, and the timeline, map and network of a search in Debian's Chromium:
at desktop width with JavaScript, and at phone width without it (every view is links and lists)."""

from __future__ import annotations

import pytest

from fonds.catalog.ingest import Ingest
from tests.conftest import launch_chromium

pytestmark = pytest.mark.browser
WIDTHS = {"desktop": (1280, 900, True), "phone": (390, 844, False)}


@pytest.fixture
def reading_room(live_server, corpus, fresh_index) -> str:
    """A live server with FRUS 1955-57 vol. XX (set up before the browser: Playwright's sync API runs
    an event loop in this thread, inside which Django refuses database calls)."""
    assert Ingest([corpus / "frus" / "tei" / "frus1955-57v20.xml"], jobs=1, status="published").run().errors == []
    return live_server.url


def _fits(page, selector: str) -> None:
    """The element is visible and no wider than the window."""
    element = page.locator(selector).first
    assert element.is_visible(), selector
    box = element.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"] + 1, (selector, box)


@pytest.mark.parametrize("width", WIDTHS)
def test_browse_entity_timeline_map_network(reading_room, chromium_path, width):
    from playwright.sync_api import sync_playwright

    w, h, script = WIDTHS[width]
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright, chromium_path)
        try:
            page = browser.new_context(viewport={"width": w, "height": h}, java_script_enabled=script).new_page()
            page.goto(reading_room + "/browse")
            page.get_by_role("link", name="People", exact=True).click()
            page.get_by_role("link", name="Most documents first").click()
            page.locator("ul.entries a").first.click()
            assert page.get_by_role("heading", level=1).inner_text() == "Stassen, Harold E."
            for selector in ("#timeline figure", "#companions", "#documents"):
                _fits(page, selector)
            page.locator("#timeline ol.counts a", has_text="1956").click()
            assert "documents of" in page.locator("#documents .count").inner_text()
            page.get_by_role("link", name="Correspondence").click()
            _fits(page, "#pairs")

            page.goto(reading_room + "/explore/timeline?q=disarmament")
            page.locator("ol.counts a", has_text="1950s").click()
            page.locator("ol.counts a", has_text="1957").click()
            page.locator("ol.counts a", has_text="June 1957").click()
            page.wait_for_url("**/search?**")
            assert int(page.locator("#total").inner_text().split()[0]) > 0

            page.goto(reading_room + "/explore/map?q=disarmament")
            _fits(page, "svg.world")
            page.locator("#places-list a", has_text="London").click()
            page.wait_for_url("**/search?**place=London**")
            page.goto(reading_room + "/explore/network?q=disarmament")
            _fits(page, "svg.network")
            assert page.locator("#pairs tbody tr").count() > 0
            page.goto(reading_room + "/dates/")
            page.locator("ul.periods a", has_text="1950s").click()
            page.locator("ul.periods a", has_text="1956").click()
            page.locator("ul.periods a", has_text="April 1956").click()
            assert page.get_by_role("heading", level=1).inner_text() == "April 1956"
        finally:
            browser.close()
