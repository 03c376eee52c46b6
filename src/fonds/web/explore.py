"""Views of a whole search (the parameters of /search): a timeline that zooms from decades to years
to months, a map of its places, the network of who wrote to whom (also for one person). Each is
drawn as SVG on the server and listed beside it, so all of it works without JavaScript."""

from __future__ import annotations

from dataclasses import replace

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from fonds.archive import browse, explore, visibility
from fonds.archive.search import date_counts, matching_ids, search, search_request
from fonds.search.facets import MAX_FACET_SIZE
from fonds.settings import get_settings
from fonds.web import charts
from fonds.web.dates import decade_label, period_label
from fonds.web.search import _toggle, _with, in_language
from fonds.web.search import explore_views as _views


def _year(value: str | None) -> int | None:
    value = (value or "")[:4]
    return int(value) if value.isdigit() and value != "0000" else None


def timeline(request: HttpRequest) -> HttpResponse:
    """GET /explore/timeline: a search's documents by decade; `from` and `to` zoom to the years of
    a span, one year shows its months (which open the results of that month)."""
    params = request.GET
    wanted = search_request(params)
    response = search(replace(wanted, page_size=1))
    years = {b["year"]: b["count"] for b in response.histogram}
    first, last = _year(params.get("from")), _year(params.get("to"))
    if first and last and first == last:
        level, items = "month", _months(params, wanted, first)
    elif first or last:
        first, last = first or min(years, default=0), last or max(years, default=0)
        level = "year"
        items = [(str(y), years.get(y, 0), _timeline_url(params, **{"from": str(y), "to": str(y)}))
                 for y in range(first, last + 1)] if years and last - first < 500 else []
    else:
        level, items = "decade", _decades(params, years)
    response.messages = in_language(response.messages)
    return render(request, "fonds/explore_timeline.html", {
        "response": response, "level": level, "chart": charts.bars(items), "views": _views(params),
        "zoom_out": _zoom_out(params, level, first), "query": wanted.query,
    })


def _decades(params, years: dict[int, int]) -> list[tuple[str, int, str]]:
    decades = {}
    for year, count in years.items():
        decades[year // 10 * 10] = decades.get(year // 10 * 10, 0) + count
    if not decades:
        return []
    return [(decade_label(d), decades.get(d, 0), _timeline_url(params, **{"from": str(d), "to": str(d + 9)}))
            for d in range(min(decades), max(decades) + 10, 10)]


def _months(params, wanted, year: int) -> list[tuple[str, int, str]]:
    spans = [browse.period(f"{year:04d}-{month:02d}") for month in range(1, 13)]
    counts = date_counts(wanted, [(span.first, span.last) for span in spans])
    return [(period_label(span), count, _with(params, **{"from": span.first.isoformat(), "to": span.last.isoformat(), "page": None}))
            for span, count in zip(spans, counts)]


def _zoom_out(params, level: str, first: int | None) -> str | None:
    """The timeline one level up: from months to the years of the decade, from years to decades."""
    if level == "month" and first:
        decade = first // 10 * 10
        return _timeline_url(params, **{"from": str(decade), "to": str(decade + 9)})
    if level == "year":
        return _timeline_url(params, **{"from": None, "to": None})
    return None


def _timeline_url(params, **changes) -> str:
    return reverse("timeline") + "?" + _with(params, **changes, page=None).split("?", 1)[1]


def place_map(request: HttpRequest) -> HttpResponse:
    """GET /explore/map: the places of a search's documents on a world map, sized by count; a place
    narrows the search to it."""
    params = request.GET
    wanted = search_request(params)
    response = search(replace(wanted, page_size=1, facet_size=MAX_FACET_SIZE))
    located, unlocated = explore.located_places(response.facets.get("place", []))
    response.messages = in_language(response.messages)
    for place in located + unlocated:
        place["url"] = _toggle(params, "place", place["name"])
    return render(request, "fonds/explore_map.html", {
        "response": response, "points": charts.map_points(located), "located": located, "unlocated": unlocated,
        "land": charts.land_path(), "width": charts.MAP_WIDTH, "height": charts.MAP_HEIGHT, "views": _views(params),
        "query": wanted.query,
    })


def network(request: HttpRequest) -> HttpResponse:
    """GET /explore/network: who wrote to whom in a search's documents (its first
    `explore_documents` in the search's order)."""
    params = request.GET
    wanted = search_request(params)
    limit = get_settings().explore_documents
    total, ids = matching_ids(wanted, limit)
    graph = browse.correspondence(explore.documents(ids))
    return render(request, "fonds/explore_network.html", {
        "graph": graph, "drawing": charts.network_drawing(graph.nodes, graph.edges), "total": total,
        "read": len(ids), "views": _views(params), "query": wanted.query, "subject": None,
    })


def person_network(request: HttpRequest, key: str) -> HttpResponse:
    """GET /people/<key>/network: the correspondence in the documents of one person."""
    row = get_object_or_404(visibility.authorities_for(request.user, "person"), key=key)
    documents = visibility.authority_documents(request.user, row)
    graph = browse.correspondence(documents, involving=row)
    return render(request, "fonds/explore_network.html", {
        "graph": graph, "drawing": charts.network_drawing(graph.nodes, graph.edges), "subject": row,
        "total": documents.count(), "read": None, "views": None,
    })
