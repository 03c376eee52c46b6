"""The search page and the query-language help page (its JSON twin, /api/search, is in fonds.api.search).

Both read the same parameters: q, one parameter per facet (type=Telegram&type=Letter), from and
to (ISO days or years), sort (relevance, date-asc, date-desc), page, exact (1 for exact-script).
"""

from __future__ import annotations

from concurrent.futures import Future, TimeoutError
from functools import lru_cache
from html import escape
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import get_script_prefix, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, gettext_lazy as _, ngettext, pgettext_lazy

from fonds.archive.search import counts, date_problem, hits_and_counts, search_request
from fonds.archive.urls import document_path
from fonds.names import slug
from fonds.search.engine import SearchResponse
from fonds.settings import get_settings
from fonds.search.index import FACETS
from fonds.search.notes import Note

FACET_LABELS = {"type": _("Document type"), "lang": _("Language"), "classification": _("Classification"),
                "archive": _("Archive"), "author": _("Author"), "person": _("Person"), "organization": _("Organization"),
                "place": _("Place"), "topic": _("Topic"), "subject": _("Subject"), "withheld": _("Has withheld text")}
HISTOGRAM_HEIGHT = 30  # SVG units; the viewBox is 100 x 30


def document_url(doc_id: str, title: str, query: str = "") -> str:
    """A hit's page; with a query, one that marks its words and opens at the first."""
    url = document_path(doc_id, slug(title))
    return f"{url}?{urlencode({'q': query})}#first-match" if query else url


def search_page(request: HttpRequest) -> HttpResponse:
    """GET /search: results, facets, histogram. The hits come first; the page waits at most
    `counts_wait` seconds more for the facet counts and histogram, and otherwise goes out without
    them (counts=wait in the URL waits for them, for browsers without JavaScript)."""
    params = request.GET
    wanted = search_request(params)
    response, counting = hits_and_counts(wanted)
    counted = _counted(counting, None if params.get("counts") == "wait" else get_settings().counts_wait)
    if counted:  # what only the counts say ("Some facet counts are approximate.")
        response.messages += [note for note in counted.messages if note not in response.messages]
    response.messages += [_date_message(label, params.get(name)) for label, name in
                          ((pgettext_lazy("date", "From"), "from"), (pgettext_lazy("date", "To"), "to"))
                          if date_problem(label, params.get(name))]
    response.messages = in_language(response.messages)
    for hit in response.hits:
        hit.url = document_url(hit.id, hit.title, wanted.query)
    page = render(request, "fonds/search.html", {
        "search": wanted, "response": response,
        **_counts_context(params, counted),
        "counts_url": None if counted else reverse("search-counts") + "?" + params.urlencode(),
        "counts_wait_url": _with(params, counts="wait"),
        "pages": _pages(params, response),
        "sort_links": [(name, label, _with(params, sort=name, page=None)) for name, label in
                       (("relevance", _("Relevance")), ("date-asc", _("Oldest first")), ("date-desc", _("Newest first")))],
        "exact_link": _with(params, exact=None if wanted.exact_script else "1", page=None),
        "clear_dates": _with(params, **{"from": None, "to": None, "page": None}),
        "suggestion_url": _with(params, q=response.suggestion, page=None) if response.suggestion else None,
        "views": explore_views(params),
        # The date form resubmits everything else of the search as hidden fields.
        "kept_params": [(k, v) for k in params for v in params.getlist(k) if k not in ("from", "to", "page")],
        "feed_url": reverse("feed-search") + "?" + urlencode([(k, v) for k in params for v in params.getlist(k)
                                                              if k not in ("page", "sort")]),
    })
    page.partial = counted is None  # its counts follow: not a page to keep (fonds.web.pagestore)
    return page


def counts_fragment(request: HttpRequest) -> HttpResponse:
    """GET /search/counts: the facet panels and histogram of a search, as HTML for the search page's
    script to put in place once they are counted."""
    params = request.GET
    return render(request, "fonds/_search_counts.html",
                  _counts_context(params, _counted(counts(search_request(params)), None)))


def _counted(counting: Future, within: float | None) -> SearchResponse | None:
    """A search's counts if they are ready within `within` seconds (None: however long they take)."""
    try:
        return counting.result(timeout=within)
    except TimeoutError:
        return None


def _counts_context(params, counted: SearchResponse | None) -> dict:
    """The facet panels and histogram; without counts yet, panels with only the values selected."""
    if counted is None:
        return {"facets": _facet_panels(params, None), "histogram": None}
    return {"facets": _facet_panels(params, counted), "histogram": _histogram(params, counted)}


def in_language(messages: list[str]) -> list[str]:
    """The search's messages in the visitor's language: a Note by its translated template."""
    return [gettext(m.template) % m.values if isinstance(m, Note) else m for m in messages]


def _date_message(label: str, value: str) -> str:
    """What the page says of a date bound it ignored (`date_problem` says it in English for the API)."""
    return _("%(label)s “%(value)s” is not a date, so it was ignored: write a year (1955), a month (1955-03) "
             "or a day (1955-03-01).") % {"label": label, "value": value.strip()[:40]}


def explore_views(params) -> dict:
    """Links to the same search as results, timeline, map and network (without the result page:
    the views take the whole search)."""
    query = urlencode([(k, v) for k in params for v in params.getlist(k) if k != "page"])
    return {name: reverse(name) + (f"?{query}" if query else "") for name in ("search", "timeline", "map", "network")}


def help_page(request: HttpRequest) -> HttpResponse:
    return render(request, "fonds/search_help.html")


def _with(params, **changes) -> str:
    """The current search URL with some parameters replaced (None removes them)."""
    pairs = [(k, v) for k in params for v in params.getlist(k) if k not in changes]
    pairs += [(k, v) for k, v in changes.items() if v is not None]
    return _search_path(get_script_prefix()) + "?" + urlencode(pairs)


@lru_cache(maxsize=8)
def _search_path(script_prefix: str) -> str:
    """The search page's path under this script prefix: a page has some 200 links to it, and
    resolving the URL each time was a tenth of rendering a search page."""
    return reverse("search")


def _toggle(params, facet: str, value: str) -> str:
    selected = params.getlist(facet)
    values = [v for v in selected if v != value] if value in selected else [*selected, value]
    pairs = [(k, v) for k in params for v in params.getlist(k) if k not in (facet, "page")]
    pairs += [(facet, v) for v in values]
    return _search_path(get_script_prefix()) + "?" + urlencode(pairs)


def _facet_panels(params, response: SearchResponse | None) -> list[dict]:
    """Each facet's values with their counts and links; without a response (counts not ready), the
    values selected, without counts."""
    panels = []
    for facet in FACETS:
        selected = params.getlist(facet)
        buckets = response.facets.get(facet, []) if response else []
        shown = {b["value"] for b in buckets}
        # A selected value stays visible (with 0) even when the query leaves it no documents.
        buckets = buckets + [{"value": v, "count": 0 if response else None} for v in selected if v not in shown]
        if buckets:
            items = [(b, b["value"] in selected, _toggle(params, facet, b["value"])) for b in buckets]
            panels.append({"name": facet, "label": FACET_LABELS[facet], "items": _facet_items(facet, items)})
    return panels


# The facet values and histogram bars of a search page (some 90 and 80 of them) are written here
# rather than by template loops, which were most of the page's rendering; the HTML is the same.
_FACET_ITEM = ('\n        <li><a href="{url}" class="facet-value{selected}" {current}data-facet="{facet}">\n'
               '          <span class="box" aria-hidden="true">{box}</span> {value}{count}</a></li>\n        ')
_BAR = ('<a href="{url}" class="bar" data-year="{year}"><title>{title}</title><rect x="{x}" y="0" width="{width}" '
        'height="30" class="hit"/><rect x="{x}" y="{y}" width="{width}" height="{h}" class="v"/></a>')


def _facet_items(facet: str, items: list[tuple[dict, bool, str]]) -> str:
    """A facet's values as list items: (bucket, selected, url) each."""
    return mark_safe("".join(_FACET_ITEM.format(
        url=escape(url), selected=" selected" if chosen else "", current='aria-current="true" ' if chosen else " ",
        facet=facet, box="☑" if chosen else "☐", value=escape(bucket["value"]),
        count="" if bucket["count"] is None else f' <span class="n">{bucket["count"]}</span>')
        for bucket, chosen, url in items))


def _bars(bars: list[dict]) -> str:
    """The histogram's bars as SVG links."""
    return mark_safe("".join(_BAR.format(**{**bar, "url": escape(bar["url"]), "title": escape(bar["title"])})
                             for bar in bars))


def _histogram(params, response: SearchResponse) -> dict | None:
    """Bars for the SVG histogram: one per year between the first and last year with documents."""
    counts = {b["year"]: b["count"] for b in response.histogram}
    if not counts:
        return None
    first, last = min(counts), max(counts)
    peak = max(counts.values())
    width = 100.0 / (last - first + 1)
    base_url = _with(params, **{"from": None, "to": None, "page": None})
    # Each bar's link is the search without dates or page, plus its year: the same URL `_with`
    # would make, without encoding the whole search again for every year.
    joined = "&" if base_url[-1] != "?" else ""
    bars = []
    for year in range(first, last + 1):
        count = counts.get(year, 0)
        height = round(HISTOGRAM_HEIGHT * count / peak, 3)
        # The bar's title is made here, not by {% blocktranslate %} in the template: for some 80
        # bars a page that was a seventh of its rendering.
        title = ngettext("%(year)s: %(counter)s document", "%(year)s: %(counter)s documents", count) % {
            "year": year, "counter": count}
        bars.append({"year": year, "count": count, "title": title, "x": round((year - first) * width, 3),
                     "width": round(width, 3),
                     "y": round(HISTOGRAM_HEIGHT - height, 3), "h": height,
                     "url": f"{base_url}{joined}from={year}&to={year}"})
    return {"first": first, "last": last, "bars": _bars(bars), "base_url": base_url}


def _pages(params, response: SearchResponse) -> dict:
    last = max(1, -(-response.total // response.page_size))
    page = response.page
    return {"number": page, "last": last, "start": (page - 1) * response.page_size + 1,
            "previous": _with(params, page=str(page - 1)) if page > 1 else None,
            "next": _with(params, page=str(page + 1)) if page < last else None}
