"""The one search entry point: every interface searches through `search()` (the search page asks
for its hits there and for its facet counts through `counts()`, which may finish after the page).

The index holds published documents and is kept current from the change log by the node's
follower (`catalog.follower`). Between a catalog change and its arrival in the index the index can
still hold a document that is no longer public. So every search first waits, at most
`search_wait` seconds, for the index to reach the catalog's latest change (and says how far behind
it still was), then asks the catalog which documents changed
after the index's position and are not visible now, and leaves those out of the tantivy query
itself: hits, totals, facet counts and the histogram all agree. The hits shown are then re-checked
against the catalog by primary key.

The engine's answers are kept per process (`search_cache_size`), keyed by the request and by all
that decides the answer: the index generation, the change-log position it has applied and its name
spellings, the ids left out, and the day (embargoes end at midnight). A change that reaches the
index moves its position, so nothing stale is served; the re-check by primary key runs on every
request.
"""

from __future__ import annotations

import calendar
import json
import pickle
import re
import threading
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, replace
from datetime import date
from functools import lru_cache

from fonds.archive.visibility import is_public, public_condition
from fonds.catalog import follower, indexer
from fonds.catalog import models as m
from fonds.search.engine import SORTS, SearchRequest, SearchResponse
from fonds.search.index import FACETS, NAMES, IndexStore, read_position
from fonds.search.notes import Note, gettext_noop
from fonds.settings import get_settings

# The most results one request may page through at a time (the engine's own cap; said in answers).
MAX_PAGE_SIZE = 100


@lru_cache(maxsize=1)
def _searcher():
    return indexer.searcher()


def forget_searcher() -> None:
    """Drop the cached searcher and its answers (tests point the index elsewhere)."""
    _searcher.cache_clear()
    _ANSWERS.clear()


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value else default
    except ValueError:
        return default


def _day(value: str | None, end: bool) -> str | None:
    """'1959' -> '1959-01-01' (or '-12-31' for an end), '1959-03' -> its first (or last) day, ISO
    days as given; anything else as given (the engine leaves out what is not a day, and
    `date_problem` says why)."""
    value = (value or "").strip()
    if len(value) == 4 and value.isdigit():
        return f"{value}-12-31" if end else f"{value}-01-01"
    if re.fullmatch(r"\d{4}-\d{2}", value) and 1 <= int(value[5:]) <= 12:
        last = calendar.monthrange(int(value[:4]), int(value[5:]))[1]
        return f"{value}-{last:02d}" if end else f"{value}-01"
    return value or None


def date_problem(label: str, value: str | None) -> str | None:
    """A message for a date bound the search cannot use (it is then ignored), or None."""
    value = (value or "").strip()
    day = _day(value, end=False)
    if not value:
        return None
    try:
        date.fromisoformat(day)
    except ValueError:
        return f"{label} “{value[:40]}” is not a date, so it was ignored: write a year (1955), a month (1955-03) or a day (1955-03-01)."
    return None


def search_request(params) -> SearchRequest:
    """A SearchRequest from query parameters (a QueryDict or a dict of lists)."""
    sort = params.get("sort") or "relevance"
    return SearchRequest(
        query=params.get("q", "")[:2000],
        filters={facet: params.getlist(facet) for facet in FACETS if params.getlist(facet)},
        date_from=_day(params.get("from"), end=False), date_to=_day(params.get("to"), end=True),
        sort=sort if sort in SORTS else "relevance",
        page=_int(params.get("page"), 1), page_size=get_settings().page_size,
        exact_script=params.get("exact") == "1",
    )


def pending_hidden(position: int | None = None) -> list[str]:
    """Ids the index may still hold that are not public now: changed after the index's position
    (read from the index unless given), and not published or under embargo (or removed)."""
    if position is None:
        position = read_position(IndexStore(indexer.index_root()).current_path())
    changed = m.Change.objects.filter(seq__gt=position)
    hidden = m.Document.objects.filter(pk__in=changed.values("document_id")).exclude(
        public_condition()).order_by().values_list("pk", flat=True)
    # A document removed from the catalog (none is, in normal work) has no row left to say so.
    gone = changed.filter(op=m.Change.Op.DELETE).order_by().values_list("document_id", flat=True)
    return sorted(set(hidden) | set(gone))


def search(request: SearchRequest) -> SearchResponse:
    """Search this node's index once it has caught up with the catalog, or after `search_wait`
    seconds with the index it has. Search shows public documents to everyone, staff included: the
    index holds published documents only."""
    return _search(request)[0]


def hits_and_counts(request: SearchRequest) -> tuple[SearchResponse, Future]:
    """The search page's two halves: its hits (as `search` gives them, without counts) and its
    counts (as `counts` gives them), the catalog asked once for what the index may not show."""
    response, view = _search(replace(request, with_facets=False))
    return response, counts(request, view)


def _search(request: SearchRequest) -> tuple[SearchResponse, tuple]:
    """`search`'s answer, and the view of the index it was answered from (see `_view`)."""
    lag = follower.wait_for(indexer.index_root(), get_settings().search_wait)
    capped = request.page_size > MAX_PAGE_SIZE
    if capped:
        request = replace(request, page_size=MAX_PAGE_SIZE)
    view = _view()
    response = _answer(request, view)
    if capped:
        response.messages.append(Note(gettext_noop("A page holds at most %(limit)d results; showing %(limit)d per page."),
                                      limit=MAX_PAGE_SIZE))
    response.hits = _still_public(response.hits)
    response.index_behind, response.index_lag_seconds = lag.changes, lag.seconds
    if lag.changes:
        behind = (gettext_noop("The search index is %(changes)s change (%(seconds)s s) behind the catalog: the latest "
                               "edits may not show yet.") if lag.changes == 1 else
                  gettext_noop("The search index is %(changes)s changes (%(seconds)s s) behind the catalog: the latest "
                               "edits may not show yet."))
        response.messages.append(Note(behind, changes=lag.changes, seconds=f"{lag.seconds:g}"))
    return response, view


class _Answers:
    """The engine's recent answers in this process, least recently used dropped first. Kept
    pickled, so each caller gets its own copy to change (pages add URLs and messages)."""

    def __init__(self):
        self._kept: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> SearchResponse | None:
        with self._lock:
            kept = self._kept.get(key)
            if kept is not None:
                self._kept.move_to_end(key)
        return pickle.loads(kept) if kept is not None else None

    def keep(self, key: str, response: SearchResponse, size: int) -> None:
        if not size:
            return
        kept = pickle.dumps(response)
        with self._lock:
            self._kept[key] = kept
            while len(self._kept) > size:
                self._kept.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()


_ANSWERS = _Answers()


def _answer(request: SearchRequest, view: tuple) -> SearchResponse:
    """The engine's answer to `request` from this node's index, without what is no longer public;
    from this process's recent answers when the index and the catalog's hidden ids are as they were."""
    key, hidden = _lookup(request, view)
    response = _kept(key)
    if response is None:
        response = _searcher().search(request, hidden=hidden)
        _ANSWERS.keep(key, response, get_settings().search_cache_size)
    return response


def _kept(key: str) -> SearchResponse | None:
    """A kept answer (none while keeping is off: `search_cache_size` 0)."""
    return _ANSWERS.get(key) if get_settings().search_cache_size else None


def _view() -> tuple:
    """What an answer from this node's index depends on besides the request: the index generation,
    the change-log position it has applied, and the ids it holds but may not show (one query)."""
    path = IndexStore(indexer.index_root()).current_path()
    position = read_position(path)
    return path, position, pending_hidden(position)


def _lookup(request: SearchRequest, view: tuple) -> tuple[str, list[str]]:
    """The key of `request`'s answer among kept ones, and the ids the index holds but may not show."""
    path, position, hidden = view
    key = json.dumps([str(path), position, _stamp(path / NAMES), date.today().isoformat(), hidden, asdict(request)],
                     sort_keys=True)
    return key, hidden


def counts(request: SearchRequest, view: tuple | None = None) -> Future:
    """A search's total, facet counts and year histogram, without its hits: kept, being counted, or
    started now on a thread of their own. The page shows its hits first, waits a little for the
    counts, and when they take longer sends itself without them and asks again (`/search/counts`),
    which finds them under way or kept. The answer is shared: read it, never change it."""
    request = replace(request, with_hits=False, with_facets=True, page=1)
    key, hidden = _lookup(request, view or _view())
    with _COUNTING_LOCK:
        future = _COUNTING.get(key)
        if future is None:
            kept = _kept(key)
            if kept is not None:
                future = Future()
                future.set_result(kept)
                return future
            future = _COUNTERS.submit(_searcher().search, request, hidden=hidden)
            _COUNTING[key] = future
            future.add_done_callback(lambda done: _counted(key, done))
    return future


# Counts that take long are made on these threads, so that the page that asked goes out with its
# hits; the aggregations themselves run on the engine's threads, which let go of the GIL.
_COUNTERS = ThreadPoolExecutor(max_workers=2, thread_name_prefix="fonds-counts")
_COUNTING: dict[str, Future] = {}
_COUNTING_LOCK = threading.Lock()


def _counted(key: str, done: Future) -> None:
    if done.exception() is None:
        _ANSWERS.keep(key, done.result(), get_settings().search_cache_size)
    with _COUNTING_LOCK:
        _COUNTING.pop(key, None)


def _stamp(path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except FileNotFoundError:
        return None


def _still_public(hits: list) -> list:
    """The hits whose documents are public now: a change may have been committed after
    pending_hidden looked, so the hits shown are checked by id."""
    ids = [hit.id for hit in hits]
    states = {pk: (status, embargo) for pk, status, embargo in
              m.Document.objects.filter(pk__in=ids).order_by().values_list("pk", "status", "embargo_until")}
    today = date.today()
    return [hit for hit in hits if hit.id in states and is_public(*states[hit.id], today)]


def _current(seconds: float | None = None) -> None:
    """Wait for this node's index as `search` does (at most `search_wait` seconds)."""
    follower.wait_for(indexer.index_root(), get_settings().search_wait if seconds is None else seconds)


def similar(doc_id: str, fields: dict[str, str], limit: int) -> list:
    """Public documents like `doc_id` (its title and texts given), best first. Does not wait for
    the index: a document page must not."""
    _current(0)
    hits = _searcher().similar(fields, exclude=[doc_id, *pending_hidden()], limit=limit)
    return _still_public(hits)


def date_counts(request: SearchRequest, spans: list) -> list[int]:
    """Documents of a search per span of days ([(first, last)]), its own date range ignored."""
    _current()
    return _searcher().date_counts(request, spans, hidden=pending_hidden())


def matching_ids(request: SearchRequest, limit: int) -> tuple[int, list[str]]:
    """(total, ids of the first `limit` public documents) of a search, in its order."""
    _current()
    return _searcher().ids(request, limit, hidden=pending_hidden())
