"""Citation downloads and the citation context of reading-room pages (the Django shell of fonds.cite).

URLs (included at the site root):
  /documents/<id>/cite.bib | cite.ris | cite.json       one document as BibTeX, RIS or CSL-JSON
  /search/export.bib | export.ris | export.json?<search>  the search's results (up to the citation_export_limit setting)
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from fonds.catalog import models as m
from fonds.catalog.store import documents_with_details, to_record
from fonds.cite.bibtex import bibtex
from fonds.cite.csl import to_csl
from fonds.cite.ris import ris
from fonds.settings import get_settings

# The search engine returns at most this many hits per page, so an export reads several pages.
_SEARCH_PAGE = 100

FORMATS = {
    "bib": ("application/x-bibtex; charset=utf-8", "bib"),
    "ris": ("application/x-research-info-systems; charset=utf-8", "ris"),
    "json": ("application/vnd.citationstyles.csl+json; charset=utf-8", "json"),
}


def csl_item(request: HttpRequest, doc: m.Document) -> dict:
    """The CSL item of a catalog document as cited today from this site."""
    return to_csl(to_record(doc), url=request.build_absolute_uri(doc.get_absolute_url()),
                  publisher=get_settings().site_name, accessed=date.today())


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
    from fonds.web.views import visible_documents

    doc = get_object_or_404(documents_with_details(visible_documents(request)), id=doc_id)
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
    from fonds.web.search import run, search_request
    from fonds.web.views import visible_documents

    ids = _result_ids(request, run, search_request(request.GET))
    docs = {doc.id: doc for doc in documents_with_details(visible_documents(request)).filter(id__in=ids)}
    ordered = [docs[doc_id] for doc_id in ids if doc_id in docs]
    items = [csl_item(request, doc) for doc in ordered]
    subjects = {doc.id: [link.subject.name for link in doc.subject_links.all()] for doc in ordered}
    return items, subjects


def _result_ids(request: HttpRequest, run, search) -> list[str]:
    """Result ids of pages 1, 2, ... until the export limit or the end of the results."""
    ids: list[str] = []
    page = 1
    limit = get_settings().citation_export_limit
    while len(ids) < limit:
        response = run(request, replace(search, page=page, page_size=_SEARCH_PAGE, with_facets=False))
        ids += [hit.id for hit in response.hits]
        if page * _SEARCH_PAGE >= response.total or not response.hits:
            break
        page += 1
    return ids[:limit]


def document_citations(request: HttpRequest, doc: m.Document) -> dict:
    """Everything the document page shows or embeds for citing, computed once per request."""
    cache = request.__dict__.setdefault("_fonds_citations", {})
    if doc.id not in cache:
        cache[doc.id] = _document_citations(request, doc)
    return cache[doc.id]


def _document_citations(request: HttpRequest, doc: m.Document) -> dict:
    from fonds.cite.embed import coins, document_json_ld, json_ld_script, meta_tags, schema_links
    from fonds.cite.styles import render_all

    item = csl_item(request, doc)
    base = doc.get_absolute_url().rsplit("/", 1)[0]
    repository_url = request.build_absolute_uri(doc.repository.get_absolute_url()) if doc.repository else None
    ld = document_json_ld(item, description=doc.summary or doc.teaser or None, repository_url=repository_url,
                          about=_about(request, doc), part_of=_part_of(doc))
    return {
        "item": item, "styles": render_all(item), "meta": meta_tags(item), "links": schema_links(),
        "coins": coins(item), "json_ld": json_ld_script(ld),
        "downloads": [("BibTeX", f"{base}/cite.bib"), ("RIS", f"{base}/cite.ris"), ("CSL-JSON", f"{base}/cite.json")],
    }


def _about(request: HttpRequest, doc: m.Document) -> list[dict]:
    """The people, organizations and places a document is about, once each, with their pages."""
    from fonds.cite.embed import about_entry

    seen, about = set(), []
    for mention in doc.mentions.all():
        authority = mention.authority
        if mention.role in ("people", "organizations", "places") and authority.pk not in seen:
            seen.add(authority.pk)
            url = request.build_absolute_uri(authority.get_absolute_url())
            about.append(about_entry(authority.kind, authority.name, url))
    return about


def _part_of(doc: m.Document) -> dict | None:
    """The published volume a document appears in (FRUS volumes), as a schema.org Book."""
    title = (doc.source_parts or {}).get("volume_title")
    return {"@type": "Book", "name": title} if title else None


def search_hit_coins(request: HttpRequest, hits: list) -> None:
    """Set `hit.coins` on search hits, loading their records in one batch of queries."""
    from fonds.cite.embed import coins
    from fonds.web.views import visible_documents

    docs = documents_with_details(visible_documents(request)).filter(id__in=[hit.id for hit in hits])
    by_id = {doc.id: doc for doc in docs}
    for hit in hits:
        doc = by_id.get(hit.id)
        hit.coins = coins(csl_item(request, doc)) if doc else ""


def authority_json_ld(request: HttpRequest, authority: m.Authority) -> str:
    """The JSON-LD of an authority page, escaped for a script element."""
    from fonds.cite.embed import authority_json_ld as build, json_ld_script

    data = build(authority.kind, authority.name, request.build_absolute_uri(authority.get_absolute_url()),
                 description=authority.description or None, variants=[v.name for v in authority.variants.all()],
                 dates=authority.dates or None, external_ids=authority.external_ids or {})
    return json_ld_script(data)
