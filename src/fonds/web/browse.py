"""Browsing pages: the indexes of people, organizations, places, archives, topics, subjects and dates
(decade -> year -> month), each with document counts, and the page of one entity."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _, gettext_lazy

from fonds.archive import browse, visibility
from fonds.web import charts
from fonds.settings import get_settings

KIND_LABELS = {"person": gettext_lazy("Person"), "organization": gettext_lazy("Organization"),
               "place": gettext_lazy("Place"), "repository": gettext_lazy("Archive")}
INDEXES = {  # index name -> (title, authority kind or None)
    "people": (gettext_lazy("People"), "person"), "organizations": (gettext_lazy("Organizations"), "organization"),
    "places": (gettext_lazy("Places"), "place"), "archives": (gettext_lazy("Archives"), "repository"),
    "topics": (gettext_lazy("Topics"), None), "subjects": (gettext_lazy("Subjects"), None),
}
SORTS = {"name": gettext_lazy("By name"), "count": gettext_lazy("Most documents first")}


def browse_home(request: HttpRequest) -> HttpResponse:
    """GET /browse: every index, with how many entries each has."""
    indexes = [{"title": title, "url": reverse(f"{name}-index"), "size": _size(request, name)}
               for name, (title, _) in INDEXES.items()]
    decades = browse.date_index(visibility.visible_to(request.user), None)
    return render(request, "fonds/browse.html", {"indexes": indexes, "decades": decades})


def _size(request: HttpRequest, name: str) -> int:
    """How many entries an index has (counted in the catalog, not listed)."""
    kind = INDEXES[name][1]
    if kind:
        return visibility.authorities_for(request.user, kind).count()
    return (visibility.topics_for if name == "topics" else visibility.subjects_for)(request.user).count()


def _entries(request: HttpRequest, name: str) -> list[browse.Entry]:
    kind = INDEXES[name][1]
    if kind:
        return browse.authority_index(request.user, kind)
    if name == "topics":
        return browse.topic_index(request.user)
    return browse.subject_index(request.user, lambda subject: reverse("subject", kwargs={"name": subject}))


def index(request: HttpRequest, name: str) -> HttpResponse:
    """GET /people/, /places/, ...: names with their document counts, by name or by count."""
    entries = _entries(request, name)
    sort = request.GET.get("sort") if request.GET.get("sort") in SORTS else "name"
    entries.sort(key=(lambda e: (-e.count, e.name.casefold())) if sort == "count" else (lambda e: e.name.casefold()))
    page = Paginator(entries, get_settings().browse_page_size).get_page(request.GET.get("page"))
    return render(request, "fonds/browse_index.html", {
        "title": INDEXES[name][0], "page": page, "sort": sort, "sorts": SORTS.items(), "sort_query": f"sort={sort}",
    })


def dates(request: HttpRequest, label: str = "") -> HttpResponse:
    """GET /dates/ (decades), /dates/1950s (years), /dates/1959 (months), /dates/1959-12: counts of
    the period's parts and, for a year or a month, its documents."""
    span = browse.period(label) if label else None
    if label and span is None:
        return render(request, "fonds/dates.html", {"error": _("No period “%(label)s”: a period is a decade (1950s), "
                                                                "a year (1959) or a month (1959-12).") % {"label": label[:40]}},
                      status=404)
    documents = visibility.visible_to(request.user)
    context = {"span": span, "parts": browse.date_index(documents, span), "trail": _trail(span)}
    if span is None:
        context["undated"] = browse.undated_count(documents)
    elif span.level != "decade":
        listed = browse.period_documents(documents, span).select_related("repository").order_by("date_min", "id")
        context["page"] = Paginator(listed, get_settings().page_size).get_page(request.GET.get("page"))
    return render(request, "fonds/dates.html", context)


def _trail(span: browse.Period | None) -> list[browse.Period]:
    """The periods above `span`, outermost first."""
    trail = []
    while span is not None and span.parent is not None:
        span = span.parent
        trail.insert(0, span)
    return trail


def subject(request: HttpRequest, name: str) -> HttpResponse:
    """A subject heading and its documents; 404 when the visitor may read none of them."""
    row = get_object_or_404(visibility.subjects_for(request.user), name=name)
    documents = browse.subject_documents(request.user, row.name).select_related("repository").order_by("date_min", "id")
    page = Paginator(documents, get_settings().page_size).get_page(request.GET.get("page"))
    return render(request, "fonds/subject.html", {"subject": row, "page": page})


def authority(request: HttpRequest, kind: str, key: str) -> HttpResponse:
    """A person, organization, place or archive: names in every script, life dates and roles, a
    timeline of its documents (a year of it narrows the list), the people named with it, its
    correspondence and feed; 404 when the visitor may read none of its documents. The address of an
    authority merged into another redirects there for good (301), so links and bookmarks keep working."""
    merged = visibility.merged_into(kind, key)
    if merged is not None:
        return redirect(merged.get_absolute_url(), permanent=True)
    row = get_object_or_404(visibility.authorities_for(request.user, kind).prefetch_related("variants"), key=key)
    documents = visibility.authority_documents(request.user, row)
    year = request.GET.get("year", "")
    listed = documents
    if year:
        span = browse.period(year)
        listed = browse.period_documents(documents, span) if span else documents.none()
    page = Paginator(listed.select_related("repository").order_by("date_min", "id"),
                     get_settings().page_size).get_page(request.GET.get("page"))
    return render(request, "fonds/authority.html", {
        "authority": row, "kind_label": KIND_LABELS[kind], "page": page, "year": year,
        "total": documents.count(), "page_query": urlencode({"year": year}) if year else "",
        "timeline": charts.bars([(str(b["year"]), b["count"], f"?year={b['year']}#documents") for b in browse.timeline(documents)]),
        "companions": browse.companions(request.user, row, get_settings().companions),
        "feed": reverse(f"feed-{row.kind}", kwargs={"key": row.key}),
        "network": reverse("network-person", kwargs={"key": row.key}) if kind == "person" else None,
    })
