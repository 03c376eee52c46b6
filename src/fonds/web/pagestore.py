"""Public pages kept in each web process and answered again without rendering, until the archive
changes.

What a visitor who is not signed in gets from a GET is the same for every such visitor with the
same address, language, host and encoding, as long as the catalog and this node's index stay as
they are: `PageCaching` already tells browsers and proxies so. This store does what a caching
proxy would, inside `fonds serve`, but is never older than the archive: a page is kept under the
catalog's last change and revision and the index generation and change-log position this node has
applied (and the day, since embargoes end at midnight). Any write through the catalog (each adds a
change-log row or a revision, `catalog.store`), or the index catching up, makes the next request
render afresh. Conditional requests go to the view, which may answer 304. Only complete HTML pages
and JSON answers are kept (a search page that went out before its facet counts is not), at most
`page_store_mb` of them per process, least recently used dropped first.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import date

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse

from fonds.catalog import indexer
from fonds.catalog import models as m
from fonds.search.index import POINTER, read_position
from fonds.settings import get_settings

KEPT_TYPES = ("text/html", "application/json")


class PageStore:
    """Middleware: answer a public GET from the pages this process keeps, and keep the public
    pages it renders (see the module's docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.limit = get_settings().page_store_mb * 2**20
        self.pages: OrderedDict[tuple, tuple[int, list, bytes]] = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = self._key(request) if self.limit else None
        kept = self._get(key) if key is not None else None
        if kept is not None:
            return kept
        response = self.get_response(request)
        if key is not None and _keepable(response):
            self._keep(key, response)
        return response

    def _key(self, request: HttpRequest) -> tuple | None:
        """What decides a public page: None for a request that may not get a kept page (not a GET,
        a signed-in session, a static file, a conditional GET)."""
        if request.method != "GET" or settings.SESSION_COOKIE_NAME in request.COOKIES \
                or request.path.startswith(settings.STATIC_URL) or _conditional(request):
            return None
        meta = request.META
        return (request.get_full_path(), request.scheme, meta.get("HTTP_HOST"),
                request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME), meta.get("HTTP_ACCEPT_LANGUAGE"),
                "gzip" in meta.get("HTTP_ACCEPT_ENCODING", ""), archive_state(), date.today())

    def _get(self, key: tuple) -> HttpResponse | None:
        with self.lock:
            kept = self.pages.get(key)
            if kept is not None:
                self.pages.move_to_end(key)
        if kept is None:
            return None
        status, headers, content = kept
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        return response

    def _keep(self, key: tuple, response: HttpResponse) -> None:
        content = response.content
        if len(content) > self.limit // 16:
            return  # a page that would crowd out a sixteenth of the store is rendered each time
        with self.lock:
            old = self.pages.pop(key, None)
            self.size -= len(old[2]) if old else 0
            self.pages[key] = (response.status_code, list(response.items()), content)
            self.size += len(content)
            while self.size > self.limit:
                _, (_, _, dropped) = self.pages.popitem(last=False)
                self.size -= len(dropped)


def _conditional(request: HttpRequest) -> bool:
    """A conditional GET (If-None-Match, If-Modified-Since) is answered by the view, which may say
    304 Not Modified: a kept 200 would send the whole page again."""
    return "HTTP_IF_NONE_MATCH" in request.META or "HTTP_IF_MODIFIED_SINCE" in request.META


def _keepable(response: HttpResponse) -> bool:
    """A complete public page: 200, not streamed, no cookie set, public to caches (`PageCaching`),
    HTML or JSON (not OAI-PMH, whose answers carry their time), and not marked partial."""
    return (response.status_code == 200 and not response.streaming and not response.cookies
            and "public" in response.get("Cache-Control", "")
            and response.get("Content-Type", "").startswith(KEPT_TYPES) and not getattr(response, "partial", False))


def archive_state() -> tuple:
    """The catalog's last change and revision (one query) and the index generation and change-log
    position this node has applied: any write, and the index catching up, changes it."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT (SELECT MAX({m.Change._meta.pk.column}) FROM {m.Change._meta.db_table}), "
                       f"(SELECT MAX({m.Revision._meta.pk.column}) FROM {m.Revision._meta.db_table})")
        catalog = tuple(cursor.fetchone())
    pointer = indexer.index_root() / POINTER
    try:
        generation = pointer.read_text().strip()
    except FileNotFoundError:
        return catalog, None, 0
    return catalog, generation, read_position(pointer.parent / generation)
