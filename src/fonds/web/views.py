"""Reading-room pages: home, document, people/organizations/places/archives, topics."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language_info
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from fonds.archive import related, visibility
from fonds.archive.editions import edition_of
from fonds.archive.pages import page_images_for
from fonds.archive.urls import absolute, safe_link
from fonds.catalog import models as m
from fonds.catalog.store import with_details
from fonds.settings import get_settings
from fonds.web.reading import linked_html, reading_layers, text_page_id


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
    # The row alone decides between the page, a redirect and a notice; the rest is read for the page.
    found = visibility.visible_among(request.user, [doc_id], m.Document.objects.select_related("repository"))
    doc = found[0] if found else None
    if doc is None:
        gone = visibility.withdrawn().filter(id=doc_id).first()
        if gone is None:
            return not_found(request)
        return render(request, "fonds/withdrawn.html", {"doc_id": gone.id, "when": gone.updated}, status=410)
    if slug != doc.slug:  # the query string (?q= for hits) goes along to the canonical URL
        query = request.META.get("QUERY_STRING", "")
        return redirect(doc.get_absolute_url() + (f"?{query}" if query else ""), permanent=True)
    with_details([doc])
    mentions = {role: [] for role in m.Mention.Role.values}
    for mention in doc.mentions.all():
        mentions[mention.role].append(mention)
    page_images = page_images_for(doc.id)
    references = _cross_references(request, doc)
    layers, hits = reading_layers(doc.texts.all(), request.GET.get("q", ""),
                                  {image["text_page"]: image["position"] for image in page_images}, references.links)
    _link_images_to_text(page_images, layers)
    edition = edition_of(request.user, doc)
    return render(request, "fonds/document.html", {
        "doc": doc,
        "canonical": absolute(request, doc.get_absolute_url()),
        "texts": layers,
        "hits": hits,
        "edition": edition,
        "source_note": linked_html(edition.source_note, references.links) if edition else "",
        "mentions": mentions,
        "associated": mentions["people"] + mentions["organizations"],
        "topics": [link.topic for link in doc.topic_links.all()],
        "subjects": [link.subject for link in doc.subject_links.all()],
        **_related(request, doc, references),
        "languages": [_language_name(code) for code in _languages(doc)],
        "page_images": page_images,
        "rights_link": safe_link(doc.rights_uri),
    })


def _link_images_to_text(page_images: list[dict], layers: list) -> None:
    """Give each page image the anchor of its page in the first paged text layer (`text_anchor`),
    so the viewer shows, and a reader without JavaScript reaches, the text of the page."""
    paged = next((position for position, layer in enumerate(layers, start=1) if layer.pages), None)
    for image in page_images:
        if paged is not None and image["text_page"] <= layers[paged - 1].pages:
            image["text_anchor"] = text_page_id(paged, image["text_page"])


def _languages(doc: m.Document) -> list[str]:
    """The original's languages as recorded, else those of the text layers (a text labelled
    English is not of unknown language)."""
    if doc.languages:
        return doc.languages
    return list(dict.fromkeys(text.language for text in doc.texts.all() if text.language))


def _cross_references(request: HttpRequest, doc: m.Document) -> related.CrossReferences:
    """The document's references to others of its edition volume, in its text layers and their
    notes, resolved for this visitor: linked in the text and listed under "Cited in this document"."""
    texts = doc.texts.all()
    notes = [str(note.get("body", "")) for text in texts for note in text.notes or []]
    return related.CrossReferences(request.user, doc, [text.body for text in texts] + notes)


def _related(request: HttpRequest, doc: m.Document, references: related.CrossReferences) -> dict:
    """The related documents in groups (`_related.html` shows them), and the curated ones alone."""
    groups = related.related_documents(request.user, doc, [t.body for t in doc.texts.all()],
                                       get_settings().similar_documents, references)
    curated = next((g.items for g in groups if g.name == "curated"), [])
    return {"related_groups": groups, "related": curated}


def _language_name(code: str) -> str:
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


def topic(request: HttpRequest, slug: str) -> HttpResponse:
    """A topic and its documents; 404 when the visitor may read none of them."""
    row = get_object_or_404(visibility.topics_for(request.user), slug=slug)
    documents = visibility.topic_documents(request.user, row).order_by("date_min", "id")
    return render(request, "fonds/topic.html", {"topic": row, "page": _page(request, documents)})


# The switcher on every page posts here. It carries no CSRF token: a token would set a cookie on
# every page and so make every page uncacheable, and the worst a forged request can do is change the
# interface language (Django's set_language redirects only to this site).
language = csrf_exempt(set_language)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "fonds/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "fonds/500.html", status=500)
