"""Reading-room pages: home, document, people/organizations/places/archives, topics."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import linebreaks_filter
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language_info

from fonds.archive import visibility
from fonds.archive.pages import page_images_for
from fonds.archive.urls import absolute, safe_link
from fonds.catalog import models as m
from fonds.catalog.store import documents_with_details
from fonds.search.query import parse, terms
from fonds.search.snippets import Highlighter
from fonds.settings import get_settings

KIND_LABELS = {"person": "Person", "organization": "Organization", "place": "Place", "repository": "Archive"}


def site_context(request: HttpRequest) -> dict:
    """Template context for every page."""
    return {"site_name": get_settings().site_name, "query": request.GET.get("q", "")}


def _page(request: HttpRequest, queryset: QuerySet):
    return Paginator(queryset, get_settings().page_size).get_page(request.GET.get("page"))


def home(request: HttpRequest) -> HttpResponse:
    """Recent documents; a query (old /?q= links) goes to the search page."""
    if request.GET.get("q"):
        return redirect(f"{reverse('search')}?{request.GET.urlencode()}")
    documents = visibility.visible_to(request.user).select_related("repository").order_by("-created", "id")
    return render(request, "fonds/home.html", {"page": _page(request, documents[: get_settings().recent_documents])})


def document(request: HttpRequest, doc_id: str, slug: str | None = None) -> HttpResponse:
    """The reading page of one document, at its canonical /documents/<id>/<slug> URL; a withdrawn
    document keeps its URL and answers 410 with a notice."""
    found = visibility.visible_among(request.user, [doc_id], documents_with_details(m.Document.objects.all()))
    doc = found[0] if found else None
    if doc is None:
        gone = visibility.withdrawn().filter(id=doc_id).first()
        if gone is None:
            return not_found(request)
        return render(request, "fonds/withdrawn.html", {"doc_id": gone.id, "when": gone.updated}, status=410)
    if slug != doc.slug:
        return redirect(doc.get_absolute_url(), permanent=True)
    mentions = {role: [] for role in m.Mention.Role.values}
    for mention in doc.mentions.all():
        mentions[mention.role].append(mention)
    return render(request, "fonds/document.html", {
        "doc": doc,
        "canonical": absolute(request, doc.get_absolute_url()),
        "texts": _highlighted(doc.texts.all(), request.GET.get("q", "")),
        "mentions": mentions,
        "associated": mentions["people"] + mentions["organizations"],
        "topics": [link.topic for link in doc.topic_links.all()],
        "subjects": [link.subject for link in doc.subject_links.all()],
        "related": _related(request, doc),
        "languages": [_language_name(code) for code in doc.languages],
        "page_images": page_images_for(doc.id),
        "rights_link": safe_link(doc.rights_uri),
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
    """Related documents: linked when the visitor may read the target (found by id, else by exact
    title); a target the visitor may not read is listed by the title the relation gives, as for a
    document not in the catalog, so nothing of a hidden document shows."""
    relations = list(doc.relations.all())
    visible = visibility.visible_to(request.user)
    by_id = {d.id: d for d in visibility.visible_among(request.user, [r.target_id for r in relations if r.target_id])}
    by_title = {d.title: d for d in visible.filter(title__in=[r.target_title for r in relations if not r.target_id and r.target_title])}
    return [{"relation": r, "document": by_id.get(r.target_id) or by_title.get(r.target_title)} for r in relations]


def _language_name(code: str) -> str:
    try:
        return get_language_info(code)["name"]
    except KeyError:
        return code


def authority(request: HttpRequest, kind: str, key: str) -> HttpResponse:
    """A person, organization, place or archive with the documents linked to it; 404 when the
    visitor may read none of them."""
    row = get_object_or_404(visibility.authorities_for(request.user, kind).prefetch_related("variants"), key=key)
    documents = visibility.authority_documents(request.user, row)
    return render(request, "fonds/authority.html", {
        "authority": row, "kind_label": KIND_LABELS[kind],
        "page": _page(request, documents.order_by("date_min", "id")),
    })


def topic(request: HttpRequest, slug: str) -> HttpResponse:
    """A topic and its documents; 404 when the visitor may read none of them."""
    row = get_object_or_404(visibility.topics_for(request.user), slug=slug)
    documents = visibility.topic_documents(request.user, row).order_by("date_min", "id")
    return render(request, "fonds/topic.html", {"topic": row, "page": _page(request, documents)})


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "fonds/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "fonds/500.html", status=500)
