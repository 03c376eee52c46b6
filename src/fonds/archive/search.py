"""The one search entry point: every interface searches through `search()`.

The index holds published documents and is kept current from the change log by the node's
follower (`catalog.follower`). Between a catalog change and its arrival in the index the index can
still hold a document that is no longer public. So every search first waits, at most
`search_wait` seconds, for the index to reach the catalog's latest change (and says how far behind
it still was), then asks the catalog which documents changed
after the index's position and are not visible now, and leaves those out of the tantivy query
itself: hits, totals, facet counts and the histogram all agree. The hits shown are then re-checked
against the catalog by primary key.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from functools import lru_cache

from fonds.archive.visibility import is_public, public_condition
from fonds.catalog import follower, indexer
from fonds.catalog import models as m
from fonds.search.engine import SORTS, SearchRequest, SearchResponse
from fonds.search.index import FACETS, IndexStore, read_position
from fonds.settings import get_settings

# The most results one request may page through at a time (the engine's own cap; said in answers).
MAX_PAGE_SIZE = 100


@lru_cache(maxsize=1)
def _searcher():
    return indexer.searcher()


def forget_searcher() -> None:
    """Drop the cached searcher (tests point the index elsewhere)."""
    _searcher.cache_clear()


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value else default
    except ValueError:
        return default


def _day(value: str | None, end: bool) -> str | None:
    """'1959' -> '1959-01-01' (or '-12-31' for an end), ISO days as given; anything else None."""
    value = (value or "").strip()
    if len(value) == 4 and value.isdigit():
        return f"{value}-12-31" if end else f"{value}-01-01"
    return value or None


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


def pending_hidden() -> list[str]:
    """Ids the index may still hold that are not public now: changed after the index's position,
    and not published or under embargo (or removed)."""
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
    lag = follower.wait_for(indexer.index_root(), get_settings().search_wait)
    capped = request.page_size > MAX_PAGE_SIZE
    if capped:
        request = replace(request, page_size=MAX_PAGE_SIZE)
    response = _searcher().search(request, hidden=pending_hidden())
    if capped:
        response.messages.append(f"A page holds at most {MAX_PAGE_SIZE} results; showing {MAX_PAGE_SIZE} per page.")
    # A change may have been committed after pending_hidden looked: check the hits shown by id.
    ids = [hit.id for hit in response.hits]
    states = {pk: (status, embargo) for pk, status, embargo in
              m.Document.objects.filter(pk__in=ids).order_by().values_list("pk", "status", "embargo_until")}
    today = date.today()
    response.hits = [hit for hit in response.hits if hit.id in states and is_public(*states[hit.id], today)]
    response.index_behind, response.index_lag_seconds = lag.changes, lag.seconds
    if lag.changes:
        response.messages.append(f"The search index is {lag.changes} change{'s' if lag.changes != 1 else ''} "
                                 f"({lag.seconds:g} s) behind the catalog: the latest edits may not show yet.")
    return response
