"""Citation downloads (the Django shell of fonds.cite; pages embed citations through fonds.archive.citations).

URLs (included at the site root):
  /documents/<id>/cite.bib | cite.ris | cite.json       one document as BibTeX, RIS or CSL-JSON
  /search/export.bib | export.ris | export.json?<search>  the search's results (up to the citation_export_limit setting)
"""

from __future__ import annotations

import json
from dataclasses import replace

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from fonds.archive.citations import csl_item
from fonds.archive.search import search, search_request
from fonds.archive.visibility import visible_among, visible_to
from fonds.catalog import models as m
from fonds.catalog.store import documents_with_details
from fonds.cite.bibtex import bibtex
from fonds.cite.ris import ris
from fonds.settings import get_settings

# The search engine returns at most this many hits per page, so an export reads several pages.
_SEARCH_PAGE = 100

FORMATS = {
    "bib": ("application/x-bibtex; charset=utf-8", "bib"),
    "ris": ("application/x-research-info-systems; charset=utf-8", "ris"),
    "json": ("application/vnd.citationstyles.csl+json; charset=utf-8", "json"),
}


def render_format(items: list[dict], subjects: dict[str, list[str]], fmt: str) -> str:
    """Items as a BibTeX, RIS or CSL-JSON file."""
    if fmt == "bib":
        return bibtex(items)
    if fmt == "ris":
        return ris(items, subjects)
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


def _download(body: str, fmt: str, stem: str) -> HttpResponse:
    content_type, extension = FORMATS[fmt]
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{stem}.{extension}"'
    return response


def document_citation(request: HttpRequest, doc_id: str, fmt: str) -> HttpResponse:
    """GET /documents/<id>/cite.<fmt>: one document (404 for documents the visitor may not read)."""
    doc = get_object_or_404(documents_with_details(visible_to(request.user)), id=doc_id)
    item = csl_item(request, doc)
    subjects = {doc.id: [link.subject.name for link in doc.subject_links.all()]}
    return _download(render_format([item], subjects, fmt), fmt, _file_stem(doc.id))


def _file_stem(doc_id: str) -> str:
    """A file name from a record id, without characters that would break the header."""
    return "".join(char if char.isalnum() or char in "-_." else "-" for char in doc_id) or "document"


def search_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """GET /search/export.<fmt>?<search parameters>: the first results (citation_export_limit), in result order."""
    items, subjects = export_items(request)
    return _download(render_format(items, subjects, fmt), fmt, "search-results")


def export_items(request: HttpRequest) -> tuple[list[dict], dict[str, list[str]]]:
    """CSL items of the current search's results (and their subjects, for RIS keywords)."""
    ids = _result_ids(search_request(request.GET))
    docs = {doc.id: doc for doc in visible_among(request.user, ids, documents_with_details(m.Document.objects.all()))}
    ordered = [docs[doc_id] for doc_id in ids if doc_id in docs]
    items = [csl_item(request, doc) for doc in ordered]
    subjects = {doc.id: [link.subject.name for link in doc.subject_links.all()] for doc in ordered}
    return items, subjects


def _result_ids(request) -> list[str]:
    """Result ids of pages 1, 2, ... until the export limit or the end of the results."""
    ids: list[str] = []
    page = 1
    limit = get_settings().citation_export_limit
    while len(ids) < limit:
        response = search(replace(request, page=page, page_size=_SEARCH_PAGE, with_facets=False))
        ids += [hit.id for hit in response.hits]
        if page * _SEARCH_PAGE >= response.total or not response.hits:
            break
        page += 1
    return ids[:limit]
