"""Reading-room pages: home, document, people/organizations/places/archives, topics."""

from __future__ import annotations

from datetime import date

from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import linebreaks_filter
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language_info

from fonds.catalog import models as m
from fonds.catalog.store import documents_with_details
from fonds.iiif.pages import page_images_for
from fonds.search.query import parse, terms
from fonds.search.snippets import Highlighter
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
    """Recent documents; a query (old /?q= links) goes to the search page."""
    if request.GET.get("q"):
        return redirect(f"/search?{request.GET.urlencode()}")
    documents = visible_documents(request).select_related("repository").order_by("-created", "id")
    return render(request, "fonds/home.html", {"page": _page(request, documents[: get_settings().recent_documents])})


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
        "texts": _highlighted(doc.texts.all(), request.GET.get("q", "")),
        "mentions": mentions,
        "associated": mentions["people"] + mentions["organizations"],
        "topics": [link.topic for link in doc.topic_links.all()],
        "subjects": [link.subject for link in doc.subject_links.all()],
        "related": _related(request, doc),
        "languages": [_language_name(code) for code in doc.languages],
        "page_images": page_images_for(doc.id),
    })


def _highlighted(texts, query: str) -> list[dict]:
    """Text layers as HTML, with the words of `query` marked and the first mark anchored."""
    highlighter = Highlighter(terms(parse(query[:2000]).node)) if query.strip() else None
    out, anchored = [], False
    for text in texts:
        body = highlighter.mark(text.body) if highlighter else escape(text.body)
        if not anchored and "<mark>" in body:
            body, anchored = body.replace("<mark>", '<mark id="first-match">', 1), True
        out.append({"text": text, "html": mark_safe(linebreaks_filter(body, autoescape=False))})
    return out


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

