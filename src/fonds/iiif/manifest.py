"""IIIF Presentation 3 manifests of documents with page images, built with iiif-prezi3."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from iiif_prezi3 import Annotation, AnnotationBody, AnnotationPage, Canvas, Manifest, ServiceV3

from django.urls import reverse

from fonds.archive.pages import image_base, image_path
from fonds.archive.urls import absolute
from fonds.archive.visibility import visible_to
from fonds.catalog import models as m
from fonds.catalog.models import PageImage
from fonds.iiif.service import allow_any_origin, cache_for
from fonds.settings import get_settings

PRESENTATION_CONTEXT = "http://iiif.io/api/presentation/3/context.json"
# Presentation 3 allows only these in `rights`; other statements go into requiredStatement.
RIGHTS_HOSTS = ("http://creativecommons.org/", "http://rightsstatements.org/")


def build(request: HttpRequest, doc: m.Document, pages: list[PageImage]) -> Manifest:
    """The manifest: one canvas per page, each painted by its image with a level-0 service."""
    def url(path: str) -> str:
        return absolute(request, path)

    manifest_id = url(reverse("iiif-manifest", kwargs={"doc_id": doc.id}))
    manifest = Manifest(
        id=manifest_id, label={"en": [doc.title]},
        summary={"en": [doc.summary]} if doc.summary else None,
        metadata=_metadata(doc) or None,
        homepage=[{"id": url(doc.get_absolute_url()), "type": "Text", "label": {"en": [doc.title]},
                   "format": "text/html"}],
        provider=[{"id": url(reverse("home")), "type": "Agent", "label": {"en": [get_settings().site_name]}}],
        items=[_canvas(url, manifest_id, page) for page in pages],
    )
    if doc.rights_uri.startswith(RIGHTS_HOSTS):
        manifest.rights = doc.rights_uri
    if doc.rights_statement:
        manifest.requiredStatement = {"label": {"en": ["Rights"]}, "value": {"en": [doc.rights_statement]}}
    return manifest


def _metadata(doc: m.Document) -> list[dict]:
    pairs = [("Date", doc.date_display or doc.date_edtf), ("Type", doc.type),
             ("Archival reference", doc.source_citation),
             ("Classification", doc.classification_marking), ("Record ID", doc.id)]
    return [{"label": {"en": [label]}, "value": {"none": [value]}} for label, value in pairs if value]


def _canvas(url, manifest_id: str, page: PageImage) -> Canvas:
    canvas_id = f"{manifest_id.removesuffix('/manifest.json')}/canvas/{page.position}"
    service = url(image_base(page))
    body = AnnotationBody(id=url(image_path(page)), type="Image", format="image/jpeg",
                          width=page.width, height=page.height,
                          service=[ServiceV3(id=service, type="ImageService3", profile="level0")])
    painting = Annotation(id=f"{canvas_id}/painting", motivation="painting", body=body, target=canvas_id)
    return Canvas(id=canvas_id, label={"none": [page.label or f"p. {page.position}"]},
                  width=page.width, height=page.height,
                  items=[AnnotationPage(id=f"{canvas_id}/page", items=[painting])])


def manifest(request: HttpRequest, doc_id: str) -> HttpResponse:
    """GET /iiif/<id>/manifest.json for a document with page images that the visitor may read."""
    doc = visible_to(request.user).filter(id=doc_id).first()
    pages = list(PageImage.objects.filter(document_id=doc_id).order_by("position")) if doc else []
    if not pages:
        raise Http404(f"no public document {doc_id} with page images")
    # jsonld() is iiif-prezi3's own serialisation: URLs as strings, nulls left out, @context first.
    response = HttpResponse(build(request, doc, pages).jsonld(),
                            content_type=f'application/ld+json;profile="{PRESENTATION_CONTEXT}"')
    allow_any_origin(response)
    cache_for(response, doc)
    return response
