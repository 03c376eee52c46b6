"""The reading room in English and Russian: the switcher (a cookie, no script, no CSRF cookie so
pages stay cacheable), <html lang>, dates per language, Russian plurals, and the committed
translation files (every message translated, none fuzzy, the compiled .mo current with the .po)."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

pytestmark = pytest.mark.django_db

LOCALE = Path(__file__).resolve().parents[1] / "src" / "fonds" / "locale"
PO = LOCALE / "ru" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
SEED_URL = "/documents/000_6e32ea4dc738cddf/cc-cpsu-presidium-decision-about-further-steps-in-the-struggle-for-reduction-of"
COOKIE = settings.LANGUAGE_COOKIE_NAME
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")


@pytest.fixture
def seeded(sample_catalog, db, fresh_index):
    """The seed page and FRUS vol. XX (module-wide); each test's changes are rolled back."""


def _russian(client) -> None:
    client.cookies[COOKIE] = "ru"


def test_switcher_keeps_the_choice_in_a_cookie_and_returns_to_the_page(client, seeded):
    page = client.get("/search?q=disarmament").content.decode()
    assert '<html lang="en">' in page and ">Русский</button>" in page and 'action="/language"' in page
    back = client.post("/language", {"language": "ru", "next": "/search?q=disarmament"})
    assert back.status_code == 302 and back["Location"] == "/search?q=disarmament"
    assert back.cookies[COOKIE].value == "ru" and back.cookies[COOKIE]["samesite"] == "Lax"
    russian = client.get("/search?q=disarmament").content.decode()
    assert '<html lang="ru">' in russian and "Результаты по запросу «disarmament»" in russian
    assert ">English</button>" in russian and 'aria-current="true">Русский<' in russian
    assert 'placeholder="Поиск по архиву: Хрущёв, &quot;запрещение испытаний&quot;, person:Dulles"' in russian
    client.post("/language", {"language": "en", "next": "/"})
    assert '<html lang="en">' in client.get("/").content.decode()


def test_switching_needs_no_csrf_token_and_pages_stay_cacheable(client, seeded):
    """The switcher's form carries no token, so no page sets a CSRF cookie (a public page with a
    cookie could not be cached); the cache keys on the cookie and Accept-Language."""
    response = client.get("/")
    assert "csrfmiddlewaretoken" not in response.content.decode() and not response.cookies
    assert response["Cache-Control"] == "public, max-age=60"
    assert {"Cookie", "Accept-Language"} <= {v.strip() for v in response["Vary"].split(",")}
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/language", {"language": "ru", "next": "/"}).status_code == 302


def test_bad_switcher_input_changes_nothing(client, seeded):
    for data in ({"language": "xx", "next": "/"}, {"language": "", "next": "/"}, {"language": "ru\x00"}):
        response = client.post("/language", data)
        assert response.status_code in (302, 204) and COOKIE not in response.cookies
    away = client.post("/language", {"language": "ru", "next": "https://elsewhere.example/"})
    assert away.status_code == 204 or not away["Location"].startswith("https://elsewhere")
    assert client.get("/language").status_code in (204, 302, 405)  # a GET changes nothing


def test_browser_language_is_followed_until_a_choice_is_made(client, seeded):
    page = client.get("/browse", HTTP_ACCEPT_LANGUAGE="ru-RU,ru;q=0.9,en;q=0.5").content.decode()
    assert '<html lang="ru">' in page and "<h1>Обзор архива</h1>" in page
    client.cookies[COOKIE] = "en"
    page = client.get("/browse", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "<h1>Browse the archive</h1>" in page


def test_document_page_in_russian(client, seeded):
    _russian(client)
    html = client.get(SEED_URL).content.decode()
    assert '<time datetime="1959-12-14">14 декабря 1959 г.</time>' in html
    for label in ("Краткое содержание", "Сведения о документе", "Гриф секретности", "Цитировать", "Права"):
        assert f">{label}<" in html
    assert '<dd id="language">Английский</dd>' in html
    # record data stays as recorded
    assert "CC CPSU Presidium Decision" in html and ">Top Secret<" in html


def test_russian_plurals_and_periods(client, seeded):
    with translation.override("ru"):
        words = [translation.ngettext("%(counter)s document", "%(counter)s documents", n) % {"counter": n}
                 for n in (1, 2, 5, 11, 21, 22, 112)]
    assert words == ["1 документ", "2 документа", "5 документов", "11 документов", "21 документ", "22 документа",
                     "112 документов"]
    _russian(client)
    assert "<h1>Апрель 1956 г.</h1>" in client.get("/dates/1956-04").content.decode()
    decades = client.get("/dates/").content.decode()
    assert ">1950-е</a>" in decades
    missing = client.get("/dates/1956-13")
    assert missing.status_code == 404 and "Периода «1956-13» нет" in missing.content.decode()


def test_life_dates_read_as_dates_in_both_languages(client, seeded):
    """An authority's EDTF dates are formatted for the visitor's language on its page and in its
    index; the EDTF itself stays in data-edtf."""
    from fonds.catalog import models as m

    url = "/people/khrushchev-nikita-sergeyevich"
    assert '<p class="dates" id="life-dates" data-edtf="1894/1971">1894–1971</p>' in client.get(url).content.decode()
    assert 'Khrushchev, Nikita Sergeyevich</a> <span class="dates">1894–1971</span>' in client.get("/people/").content.decode()
    m.Authority.objects.filter(kind="person", key="khrushchev-nikita-sergeyevich").update(dates="1894-04-15/1971-09-11")
    english = client.get(url).content.decode()
    assert 'data-edtf="1894-04-15/1971-09-11">April 15, 1894 – September 11, 1971</p>' in english
    _russian(client)
    russian = client.get(url).content.decode()
    assert 'data-edtf="1894-04-15/1971-09-11">15 апреля 1894 г. – 11 сентября 1971 г.</p>' in russian
    m.Authority.objects.filter(kind="person", key="khrushchev-nikita-sergeyevich").update(dates="born in Kalinovka")
    assert 'id="life-dates" data-edtf="born in Kalinovka">born in Kalinovka</p>' in client.get(url).content.decode()


def test_withdrawn_notice_in_russian(client, seeded):
    """The notice's day is a Russian date, which ends in "г." itself: no second full stop after it."""
    from fonds.archive import changes, roles

    editor = roles.create_user("notice-editor", "a long passphrase", roles.EDITOR)
    changes.transition(editor, "frus1955-57v20-d5", "withdraw", "workflow")
    _russian(client)
    response = client.get("/documents/frus1955-57v20-d5/")
    notice = re.search(r'<p id="withdrawn-notice">(.*?)</p>', response.content.decode()).group(1)
    assert response.status_code == 410 and re.search(r"с публикации \d{1,2} [а-я]+ \d{4} г\.; адрес сохранён", notice)


def test_search_messages_and_hit_dates_in_russian(client, seeded):
    _russian(client)
    html = client.get("/search", {"q": "disarmament", "from": "1955-99"}).content.decode()
    assert "«С»: «1955-99» — не дата, поэтому не учтено." in html
    assert re.search(r'<div class="meta">\d{1,2} [а-я]+ 19\d\d г\.', html), "hit dates in Russian"
    assert re.search(r'id="total">\d+ документ', html)
    # the query language's repairs are said in Russian too; the API keeps them in English
    repaired = client.get("/search", {"q": "colour:red disarmament"}).content.decode()
    assert "Неизвестное поле «colour»; поиск ведётся по словам." in repaired
    api = client.get("/api/search", {"q": "colour:red disarmament"}, HTTP_ACCEPT_LANGUAGE="en").json()
    assert any(m.startswith("Unknown field 'colour'; searching for the words instead.") for m in api["messages"])
    # numbers for the browser (SVG coordinates) keep their decimal point: Russian writes 14,7
    assert 'class="v"' in html and not re.search(r'(?:x|y|width|height)="-?\d+,\d', html)


def test_staff_pages_in_russian(admin_client, seeded):
    admin_client.cookies[COOKIE] = "ru"
    html = admin_client.get("/admin/catalog/document/frus1955-57v20-d1/change/").content.decode()
    assert "Установить эмбарго" in html and ("Опубликовать" in html or "Снять с публикации" in html)
    assert '<html lang="ru"' in html


def test_every_message_is_translated_and_none_is_fuzzy():
    catalog = polib.pofile(str(PO))
    assert catalog.metadata["Language"] == "ru" and "nplurals=3" in catalog.metadata["Plural-Forms"]
    live = [entry for entry in catalog if not entry.obsolete]
    assert len(live) > 250
    assert [e.msgid for e in live if "fuzzy" in e.flags] == []
    untranslated = [e.msgid for e in live if not (all(e.msgstr_plural.values()) if e.msgid_plural else e.msgstr)]
    assert untranslated == []
    # every placeholder of the English survives in the Russian (a lost one fails at render time)
    for entry in live:
        wanted = set(PLACEHOLDER.findall(entry.msgid))
        for text in (entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]):
            assert set(PLACEHOLDER.findall(text)) == wanted, entry.msgid


def test_compiled_catalog_is_current():
    """The committed .mo (so a pip install works without gettext) says what the .po says:
    regenerate it with `make translations` after editing the .po."""
    source = polib.pofile(str(PO))
    compiled = polib.mofile(str(MO))

    def entries(catalog) -> dict:
        return {(e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
                for e in catalog if e.msgid and not e.obsolete and "fuzzy" not in e.flags}

    assert entries(compiled) == entries(source)
    assert compiled.metadata.get("Plural-Forms") == source.metadata["Plural-Forms"]
