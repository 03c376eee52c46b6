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


def sign_in(page, base: str) -> None:
    """Sign in to the staff side as the editor the fixtures create."""
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", "edith")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")


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
            sign_in(editor, base)
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


@pytest.fixture
def queue_side(live_server, transactional_db, tmp_path, fresh_index) -> str:
    """A live server with two published memoranda whose unknown names wait in the curator queue."""
    from tests.test_curator_queue import write_memo

    # Two runs: within one run, ingest links the people a run made known in its other files
    # (`link_later_mentions`), which would join the two spellings before a curator does.
    for path in (write_memo(tmp_path), write_memo(tmp_path, "memo2", surname="Zqpendingoff")):
        assert Ingest([path], jobs=1, status="published").run().errors == []
    roles.create_user("edith", PASSWORD, roles.EDITOR)
    return live_server.url


def test_a_curator_works_the_queue_and_merges_two_people(queue_side, chromium_path):
    from playwright.sync_api import sync_playwright

    base = queue_side
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright, chromium_path)
        try:
            editor, reader = browser.new_context().new_page(), browser.new_context().new_page()
            assert reader.goto(f"{base}/people/zqpendingov-harold").status == 404  # waiting: not public
            sign_in(editor, base)

            # The queue: each doubtful link with its evidence; accept one.
            editor.goto(f"{base}/admin/catalog/pendinglink/")
            rows = editor.locator("#result_list tbody tr")
            assert rows.count() == 4  # two names in each memorandum
            row = rows.filter(has_text="Zqpendingov, Harold")
            assert "Harold Zqpendingov" in row.inner_text()  # the words the enricher read
            row.locator("input.action-select").check()
            editor.select_option("select[name='action']", "accept")
            editor.click("button[name='index']")
            editor.wait_for_load_state()
            assert "Links accepted: 1." in editor.locator(".messagelist").inner_text()
            assert editor.locator("#result_list tbody tr").count() == 3
            assert reader.goto(f"{base}/people/zqpendingov-harold").status == 200

            # Link a name to another authority: a wrong id is refused with the reason, then a right one.
            editor.locator("#result_list tbody tr", has_text="Quimbly").first.locator("a.relink").click()
            editor.fill("#id_target", "no-such-person")
            editor.get_by_role("button", name="Link to another authority").click()
            assert "no person with id 'no-such-person'" in editor.locator(".messagelist").inner_text()
            editor.fill("#id_target", "khrushchev-nikita-sergeyevich")
            editor.get_by_role("button", name="Link to another authority").click()
            editor.wait_for_load_state()
            assert "to khrushchev-nikita-sergeyevich" in editor.locator(".messagelist").inner_text()
            assert editor.locator("#result_list tbody tr").count() == 2

            # Merge the second memorandum's Zqpendingoff into Zqpendingov, from the authority's page.
            editor.goto(f"{base}/admin/catalog/authority/?q=zqpendingoff")
            editor.locator("#result_list tbody tr a", has_text="Zqpendingoff").first.click()
            editor.click("#merge-link")
            editor.fill("#id_target", "zqpendingov-harold")
            editor.fill("#id_note", "one man, two spellings")
            editor.get_by_role("button", name="Merge Zqpendingoff, Harold").click()
            editor.wait_for_load_state()
            assert "Merged zqpendingoff-harold into zqpendingov-harold; documents moved: 1." in \
                editor.locator(".messagelist").inner_text()
            response = reader.goto(f"{base}/people/zqpendingoff-harold")
            assert response.url == f"{base}/people/zqpendingov-harold" and response.status == 200
            assert response.request.redirected_from.response().status == 301
            editor.goto(editor.url.replace("/change/", "/history/"))
            assert "one man, two spellings" in editor.locator("#history").inner_text()
            assert "memo2" in editor.locator("#history").inner_text()

            # Split Kennedy: the second memorandum names another Kennedy.
            editor.goto(f"{base}/admin/catalog/authority/?q=kennedy-john-f")
            editor.locator("#result_list tbody tr a", has_text="Kennedy, John F.").first.click()
            editor.click("#split-link")
            editor.get_by_label("memo2: ", exact=False).check()
            editor.fill("#id_name", "Kennedy, Robert F.")
            editor.get_by_role("button", name="Split Kennedy, John F.").click()
            editor.wait_for_load_state()
            assert "documents moved to kennedy-robert-f: 1" in editor.locator(".messagelist").inner_text()
            reader.goto(f"{base}/people/kennedy-robert-f")
            assert "memo2" in reader.content() and "/documents/memo/" not in reader.content()
        finally:
            browser.close()
