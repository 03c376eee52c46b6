"""An editor's round in Debian's Chromium, driven by Playwright: correct a record, send it to review,
publish it, withdraw it, and restore an older version, while an anonymous reader sees each step."""

from __future__ import annotations

import pytest

from fonds.archive import roles
from fonds.catalog.ingest import Ingest
from tests.conftest import launch_chromium

pytestmark = pytest.mark.browser
SEED = "000_6e32ea4dc738cddf"
TITLE = "CC CPSU Presidium Decision, 'About Further Steps in the Struggle for Reduction of International Tension'"
PASSWORD = "a long passphrase"


@pytest.fixture
def staff_side(live_server, transactional_db, seed_file, fresh_index) -> str:
    """A live server with the seed ingested as a draft (ingest_status) and an editor's account."""
    assert Ingest([seed_file], jobs=1).run().errors == []
    roles.create_user("edith", PASSWORD, roles.EDITOR)
    return live_server.url


def title_shown(page) -> str:
    """The document's title as its staff page shows it (the browser's event loop forbids database calls here)."""
    return page.locator(".field-title .readonly").inner_text().strip()


def test_an_editor_corrects_reviews_publishes_withdraws_and_restores(staff_side, chromium_path):
    from playwright.sync_api import sync_playwright

    base = staff_side
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright, chromium_path)
        try:
            editor = browser.new_context().new_page()
            reader = browser.new_context().new_page()  # anonymous, no session

            def public_status() -> int:
                return reader.goto(f"{base}/documents/{SEED}/").status

            assert public_status() == 404  # a draft
            editor.goto(f"{base}/admin/login/")
            editor.fill("#id_username", "edith")
            editor.fill("#id_password", PASSWORD)
            editor.click("input[type=submit]")
            editor.goto(f"{base}/admin/catalog/document/{SEED}/change/")
            assert editor.locator("#workflow-status").inner_text() == "draft"

            # Correct the title with a curated value.
            editor.select_option("select[name='curated_values-0-field']", "title")
            editor.fill("textarea[name='curated_values-0-typed']", "Presidium decision on arms reduction")
            editor.fill("input[name='curated_values-0-note']", "title as on the original")
            editor.click("input[name='_continue']")
            editor.wait_for_selector("#workflow-status")
            assert title_shown(editor) == "Presidium decision on arms reduction"

            # Send it to review, then publish: the reader sees it, corrected.
            editor.get_by_role("button", name="Send to review").click()
            editor.wait_for_load_state()
            assert editor.locator("#workflow-status").inner_text() == "review"
            assert public_status() == 404
            editor.get_by_role("button", name="Publish").click()
            editor.wait_for_load_state()
            assert editor.locator("#workflow-status").inner_text() == "published"
            reader.goto(f"{base}/documents/{SEED}/")
            assert reader.locator("h1#title").inner_text() == "Presidium decision on arms reduction"

            # Withdraw: the address stays, with a notice.
            editor.get_by_role("button", name="Withdraw").click()
            editor.wait_for_load_state()
            assert editor.locator("#workflow-status").inner_text() == "withdrawn"
            assert public_status() == 410
            assert "withdrew the document" in reader.locator("#withdrawn-notice").inner_text()

            # The history shows every step; restore the version the ingest made.
            editor.goto(f"{base}/admin/catalog/document/{SEED}/history/")
            rows = editor.locator("tr.revision")
            assert rows.count() == 5  # ingest, correction, review, publish, withdraw
            assert "title as on the original" in editor.locator("#history").inner_text()
            oldest = rows.nth(rows.count() - 1)
            assert "ingest" in oldest.inner_text()
            oldest.get_by_role("button", name="Restore this version").click()
            editor.wait_for_load_state()
            assert "restored" in editor.locator(".messagelist").inner_text()
            # The words come back; the withdrawal stays.
            assert (title_shown(editor), editor.locator("#workflow-status").inner_text()) == (TITLE, "withdrawn")
            editor.goto(f"{base}/admin/catalog/document/{SEED}/history/")
            assert "restore" in editor.locator("tr.revision").first.inner_text()
        finally:
            browser.close()
