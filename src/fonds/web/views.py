"""Reading-room pages: home, document, people/organizations/places/archives, topics."""

from __future__ import annotations

from datetime import date

from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language_info

from fonds.catalog import models as m
from fonds.catalog.store import documents_with_details
from fonds.settings import get_settings

KIND_LABELS = {"person": "Person", "organization": "Organization", "place": "Place", "repository": "Archive"}


def site_context(request: HttpRequest) -> dict:
    """Template context for every page."""
    return {"site_name": get_settings().site_name, "query": request.GET.get("q", "")}


def visible_documents(request: HttpRequest) -> QuerySet:
    """Documents this visitor may read: published and out of embargo, or anything for staff."""
    documents = m.Document.objects.all()
    if request.user.is_authenticated and request.user.is_staff:
        return documents
    return documents.filter(status=m.Document.Status.PUBLISHED).filter(
        Q(embargo_until__isnull=True) | Q(embargo_until__lte=date.today()))


def _page(request: HttpRequest, queryset: QuerySet):
    return Paginator(queryset, get_settings().page_size).get_page(request.GET.get("page"))


def home(request: HttpRequest) -> HttpResponse:
    """Recent documents, or those whose title or text contains the query."""
    documents = visible_documents(request).select_related("repository")
    query = request.GET.get("q", "").strip()
    if query:
        documents = documents.filter(Q(title__icontains=query) | Q(summary__icontains=query) | Q(texts__body__icontains=query)).distinct()
        documents = documents.order_by("date_min", "id")
    else:
        documents = documents.order_by("-created", "id")[: get_settings().recent_documents]
    return render(request, "fonds/home.html", {"page": _page(request, documents), "searched": bool(query)})


def document(request: HttpRequest, doc_id: str, slug: str | None = None) -> HttpResponse:
    """The reading page of one document, at its canonical /documents/<id>/<slug> URL."""
    doc = get_object_or_404(documents_with_details(visible_documents(request)), id=doc_id)
    if slug != doc.slug:
        return redirect(doc.get_absolute_url(), permanent=True)
    mentions = {role: [] for role in m.Mention.Role.values}
    for mention in doc.mentions.all():
        mentions[mention.role].append(mention)
    return render(request, "fonds/document.html", {
        "doc": doc,
        "texts": list(doc.texts.all()),
        "mentions": mentions,
        "associated": mentions["people"] + mentions["organizations"],
        "topics": [link.topic for link in doc.topic_links.all()],
        "subjects": [link.subject for link in doc.subject_links.all()],
        "related": _related(request, doc),
        "languages": [_language_name(code) for code in doc.languages],
    })


def _related(request: HttpRequest, doc: m.Document) -> list[dict]:
    """Related documents, linked when the target is in the catalog (by id, else by exact title)."""
    relations = list(doc.relations.all())
    visible = visible_documents(request)
    by_id = {d.id: d for d in visible.filter(id__in=[r.target_id for r in relations if r.target_id])}
    by_title = {d.title: d for d in visible.filter(title__in=[r.target_title for r in relations if not r.target_id and r.target_title])}
    return [{"relation": r, "document": by_id.get(r.target_id) or by_title.get(r.target_title)} for r in relations]


def _language_name(code: str) -> str:
    try:
        return get_language_info(code)["name"]
    except KeyError:
        return code


def authority(request: HttpRequest, kind: str, key: str) -> HttpResponse:
    """A person, organization, place or archive, with the documents linked to it."""
    row = get_object_or_404(m.Authority.objects.prefetch_related("variants"), kind=kind, key=key)
    visible = visible_documents(request)
    if kind == "repository":
        documents = visible.filter(repository=row)
    else:
        documents = visible.filter(mentions__authority=row).distinct()
    return render(request, "fonds/authority.html", {
        "authority": row, "kind_label": KIND_LABELS[kind],
        "page": _page(request, documents.order_by("date_min", "id")),
    })


def topic(request: HttpRequest, slug: str) -> HttpResponse:
    """A topic and its documents."""
    row = get_object_or_404(m.Topic, slug=slug)
    documents = visible_documents(request).filter(topic_links__topic=row).order_by("date_min", "id")
    return render(request, "fonds/topic.html", {"topic": row, "page": _page(request, documents)})


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "fonds/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "fonds/500.html", status=500)

