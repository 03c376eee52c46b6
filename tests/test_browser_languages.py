"""Every view of the reading room, and the staff dashboard and queue, in English and Russian at phone
(390 px, and 360 px for overflow) and desktop (1280 px) widths in Debian's Chromium: the language
really switched (through the switcher on the page, then `<html lang>` and a known phrase on each
page), no page wider than the screen, no console errors (a CSP violation is one). A full-page
screenshot of each view at 390 and 1280 px goes to $FONDS_SCREENSHOTS (default:
<FONDS_HOME>/screenshots/), named <language>-<width>-<view>.png.

One archive is served for the module by `fonds serve` on its own SQLite home (FRUS 1955-57 vol. XX,
the seed page with two scans, a memo under a topic and a subject, a withdrawn memo, an editor's
account), as in test_browser_reading. The 404 and withdrawn (410) pages are expected to answer so.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.test_browser_reading import _attach_scans
from tests.conftest import WITHDRAWN_ID, get_when_up, serving, themed_records

pytestmark = [pytest.mark.browser, pytest.mark.database_independent]
PASSWORD = "a long passphrase"
ADD_EDITOR = """
import django, sys
django.setup()
from fonds.archive import roles
roles.create_user("edith", sys.argv[1], roles.EDITOR)
"""
# view -> (path, a phrase of the page in English, the same in Russian); {document} and the
# entities ({person}, {topic}, ...) are filled in from the served archive.
VIEWS = {
    "home": ("/", "Recent documents", "Новые поступления"),
    "search": ("/search?q=disarmament", "Refine results", "Уточнить результаты"),
    "search-facet": ("/search?q=disarmament&type=Telegram", "Results for", "Результаты по запросу"),
    "document": ("{document}?q=disarmament", "Document Information", "Сведения о документе"),
    "person": ("{person}", "Documents by year", "Документы по годам"),
    "person-network": ("{person}/network", "Who wrote to whom", "Кто кому писал"),
    "organization": ("{organization}", "Documents by year", "Документы по годам"),
    "place": ("{place}", "Documents by year", "Документы по годам"),
    "archive": ("{archive}", "Documents by year", "Документы по годам"),
    "topic": ("{topic}", "Topic", "Тема"),
    "subject": ("{subject}", "Subject", "Предметная рубрика"),
    "browse": ("/browse", "Browse the archive", "Обзор архива"),
    "people": ("/people/?sort=count", "Most documents first", "Сначала с наибольшим числом документов"),
    "organizations": ("/organizations/", "By name", "По алфавиту"),
    "places": ("/places/", "By name", "По алфавиту"),
    "archives": ("/archives/", "By name", "По алфавиту"),
    "topics": ("/topics/", "By name", "По алфавиту"),
    "subjects": ("/subjects/", "By name", "По алфавиту"),
    "dates": ("/dates/", "Documents by date", "Документы по датам"),
    "dates-year": ("/dates/1956", "Months", "Месяцы"),
    "dates-month": ("/dates/1956-04", "April 1956", "Апрель 1956 г."),
    "timeline": ("/explore/timeline?q=disarmament", "by decade", "по десятилетиям"),
    "map": ("/explore/map?q=disarmament", "Places in", "Места в результатах поиска"),
    "network": ("/explore/network?q=disarmament", "Who wrote to whom", "Кто кому писал"),
    "search-help": ("/search/help", "How to search", "Как искать"),
    "not-found": ("/no-such-page", "Not found", "Страница не найдена"),
    "withdrawn": (f"/documents/{WITHDRAWN_ID}/", "This document has been withdrawn", "Документ снят с публикации"),
    "staff-sign-in": ("/admin/login/", "Password", "Пароль"),
    "staff-dashboard": ("/admin/", "Site administration", "Администрирование сайта"),
    "staff-queue": ("/admin/catalog/pendinglink/", "Select pending link to change", "Выберите"),
    "staff-document": ("/admin/catalog/document/frus1955-57v20-d2/change/", "Set embargo", "Установить эмбарго"),
}
STATUS = {"not-found": 404, "withdrawn": 410}  # views that answer other than 200, by design
# the entities filled in from the served archive: the first entry of each index, most documents first
ENTITIES = {"person": "/people/", "organization": "/organizations/", "place": "/places/", "archive": "/archives/",
            "topic": "/topics/", "subject": "/subjects/"}
WIDTHS = {"phone": (390, 844), "narrow": (360, 740), "desktop": (1280, 900)}


def screenshots() -> Path:
    """Where the screenshots go: $FONDS_SCREENSHOTS, else <FONDS_HOME>/screenshots."""
    folder = Path(os.environ.get("FONDS_SCREENSHOTS") or Path(os.environ.get("FONDS_HOME", ".test-home")) / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def first_entry(base: str, index: str) -> str:
    """The path of the first entry of an index page, most documents first."""
    html = urllib.request.urlopen(f"{base}{index}?sort=count", timeout=30).read().decode()
    return re.search(r'<ul class="entries">\s*<li><a href="([^"]+)"', html).group(1)


@pytest.fixture(scope="module")
def archive(corpus, seed_file, tmp_path_factory) -> dict:
    """The base URL of a served archive, the paths of the busiest entity of each index and of a
    FRUS document."""
    home = tmp_path_factory.mktemp("languages-home")
    env = {**os.environ, "FONDS_HOME": str(home), "FONDS_INGEST_STATUS": "published"}
    env.pop("DATABASE_URL", None)
    files = [str(corpus / "frus" / "tei" / "frus1955-57v20.xml"), str(seed_file), str(themed_records(home))]
    subprocess.run([sys.executable, "-m", "fonds", "ingest", "--jobs", "1", *files], env=env, check=True, capture_output=True)
    _attach_scans(env, home)
    subprocess.run([sys.executable, "-c", ADD_EDITOR, PASSWORD], check=True, capture_output=True,
                   env={**env, "DJANGO_SETTINGS_MODULE": "fonds.site"})
    with serving(env) as base:
        # Each worker loads the gazetteer on its first map (about 8 s on an idle machine): two
        # requests at once, so both workers have it before the browser comes.
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(lambda _: get_when_up(base + "/explore/map?q=disarmament", time.monotonic() + 120), range(2)))
        entities = {name: first_entry(base, index) for name, index in ENTITIES.items()}
        document = urllib.request.urlopen(base + "/documents/frus1955-57v20-d2/", timeout=30).geturl()[len(base):]
        yield {"base": base, "document": document, **entities}


def _switch(page, base: str, language: str) -> None:
    """Choose the language with the switcher of the home page, as a visitor would (no script needed)."""
    page.goto(base + "/")
    if language != "en":
        page.locator(f"form.languages button[value={language}]").click()
        page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == language


def _sign_in(page, base: str) -> None:
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", "edith")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}/admin/")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", ["en", "ru"])
def test_every_view_in_both_languages(archive, browser, language, width):
    w, h = WIDTHS[width]
    base = archive["base"]
    # English-speaking Chromium: Russian must come from the switcher's cookie, not the browser.
    context = browser.new_context(viewport={"width": w, "height": h}, locale="en-US")
    page = context.new_page()
    errors: list[str] = []
    # A failed load is reported with its address (the console's own line has none); Django's admin
    # pages name no icon, so the browser's guess at /favicon.ico is let pass.
    page.on("console", lambda message: errors.append(f"{page.url}: {message.text}")
            if message.type == "error" and not message.text.startswith("Failed to load resource") else None)
    expected = {base + VIEWS[name][0] for name in STATUS}  # the 404 and 410 pages themselves
    page.on("response", lambda response: errors.append(f"{response.url}: {response.status}")
            if response.status >= 400 and not response.url.endswith("/favicon.ico") and response.url not in expected
            else None)
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    problems: list[str] = []
    shots = screenshots()
    try:
        _switch(page, base, language)
        for name, (path, english, russian) in VIEWS.items():
            if name == "staff-dashboard":
                _sign_in(page, base)
            response = page.goto(base + path.format(**archive))
            if response is None or response.status != STATUS.get(name, 200):
                problems.append(f"{name}: status {response and response.status}")
                continue
            lang = page.locator("html").get_attribute("lang")
            text = page.locator("body").inner_text()
            phrase = russian if language == "ru" else english
            if lang != language or phrase not in text:
                problems.append(f"{name}: lang={lang!r}, {phrase!r} {'found' if phrase in text else 'missing'}")
            wide = page.evaluate("document.documentElement.scrollWidth")
            if wide > w:
                problems.append(f"{name}: {wide} px wide at {w} px")
            if width != "narrow":
                page.screenshot(path=str(shots / f"{language}-{w}-{name}.png"), full_page=True)
    finally:
        context.close()
    if problems or errors:
        pytest.fail("\n".join(problems + errors))
