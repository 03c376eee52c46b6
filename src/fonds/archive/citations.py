"""Citing documents: the CSL item of a catalog document and everything a page embeds for citing.

The reading room (its Cite panel, meta tags, JSON-LD, COinS) and the citation downloads of
`fonds.cite.views` share these; the formats themselves are the plain modules of `fonds.cite`.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date

from django.core.cache import caches
from django.db.models import Max
from django.http import HttpRequest
from django.urls import reverse
from redis.exceptions import RedisError

from fonds.archive.urls import absolute
from fonds.archive.visibility import visible_among
from fonds.catalog import models as m
from fonds.catalog.store import RecordParts, record_parts, to_record
from fonds.cite.csl import to_csl
from fonds.cite.embed import about_entry, coins, document_json_ld, json_ld_script, meta_tags, schema_links
from fonds.cite.embed import authority_json_ld as authority_ld
from fonds.cite.styles import Rendered, dated, render_all, render_undated
from fonds.settings import get_settings


def csl_item(request: HttpRequest, doc: m.Document, parts: RecordParts | None = None) -> dict:
    """The CSL item of a catalog document as cited today from this site (its `parts` read by
    `record_parts`, else by `documents_with_details`)."""
    return to_csl(to_record(doc, parts), url=absolute(request, doc.get_absolute_url()),
                  publisher=get_settings().site_name, accessed=date.today())


def document_citations(request: HttpRequest, doc: m.Document) -> dict:
    """Everything the document page shows or embeds for citing, computed once per request."""
    cache = request.__dict__.setdefault("_fonds_citations", {})
    if doc.id not in cache:
        cache[doc.id] = _document_citations(request, doc)
    return cache[doc.id]


def _document_citations(request: HttpRequest, doc: m.Document) -> dict:
    item = csl_item(request, doc)
    repository_url = absolute(request, doc.repository.get_absolute_url()) if doc.repository else None
    ld = document_json_ld(item, description=doc.summary or doc.teaser or None, repository_url=repository_url,
                          about=_about(request, doc), part_of=_part_of(doc))
    return {
        "item": item, "styles": rendered_styles(item), "meta": meta_tags(item), "links": schema_links(),
        "coins": coins(item), "json_ld": json_ld_script(ld),
        "downloads": [(label, reverse("document-citation", kwargs={"doc_id": doc.id, "fmt": fmt}))
                      for label, fmt in (("BibTeX", "bib"), ("RIS", "ris"), ("CSL-JSON", "json"))],
    }


def rendered_styles(item: dict) -> list[Rendered]:
    """Every style's citation of `item`. Rendering (citeproc-py) is most of a document page's first
    view, so it is done once per version of the record: the citations are rendered with a
    placeholder access day and cached under a digest of the rest of the item (a new version of the
    record or another URL is another key, so nothing stale is served), and today's date is written
    in on every view. The cache is `citations` (Redis when `redis_url` is set, so every process and
    node shares it; else this process's memory)."""
    seconds = get_settings().citation_cache_seconds
    if not seconds:
        return render_all(item)
    accessed = _accessed(item)
    undated = {key: value for key, value in item.items() if key != "accessed"}
    key = "fonds:citations:" + hashlib.sha256(json.dumps(undated, sort_keys=True).encode()).hexdigest()
    styles = _cached_many([key]).get(key)
    if styles is None:
        styles = render_undated(item)
        if styles is None:  # a style wrote the placeholder in a form it cannot be found in: render today's
            return render_all(item)
        _keep_many({key: styles}, seconds)
    return dated(styles, accessed)


# A shared cache that does not answer (Redis down) costs a rendering, never the page.
def _cached_many(keys: list[str]) -> dict:
    try:
        return caches["citations"].get_many(keys)
    except RedisError:
        return {}


def _keep_many(values: dict, seconds: int) -> None:
    try:
        caches["citations"].set_many(values, seconds)
    except RedisError:
        pass


def _accessed(item: dict) -> date | None:
    parts = (item.get("accessed") or {}).get("date-parts") or [[]]
    return date(*parts[0]) if len(parts[0]) == 3 else None


def _about(request: HttpRequest, doc: m.Document) -> list[dict]:
    """The people, organizations and places a document is about, once each, with their pages."""
    seen, about = set(), []
    for mention in doc.mentions.all():
        authority = mention.authority
        if mention.role in ("people", "organizations", "places") and authority.pk not in seen:
            seen.add(authority.pk)
            about.append(about_entry(authority.kind, authority.name, absolute(request, authority.get_absolute_url())))
    return about


def _part_of(doc: m.Document) -> dict | None:
    """The published volume a document appears in (FRUS volumes), as a schema.org Book."""
    title = (doc.source_parts or {}).get("volume_title")
    return {"@type": "Book", "name": title} if title else None


def search_hit_coins(request: HttpRequest, hits: list) -> None:
    """Set `hit.coins` on search hits. Loading the hits' whole records was half of a search page, so
    each document's COinS are kept in the `citations` cache under its id and its last change-log
    position (every write that changes what its record says, its links or an authority it names
    logs one): a page loads, in one batch of queries, only the documents changed since last shown."""
    ids = [hit.id for hit in hits]
    settings = get_settings()
    seconds = settings.citation_cache_seconds
    versions = dict(m.Change.objects.filter(document_id__in=ids).order_by().values_list("document_id")
                    .annotate(last=Max("seq")))
    site = f"{settings.site_name}|{absolute(request, '/')}"
    keys = {doc_id: "fonds:coins:" + hashlib.sha256(f"{site}|{doc_id}|{versions.get(doc_id)}".encode()).hexdigest()
            for doc_id in ids}
    found = _cached_many(list(keys.values())) if seconds else {}
    missing = [doc_id for doc_id in ids if keys[doc_id] not in found]
    if missing:
        docs = visible_among(request.user, missing, m.Document.objects.select_related("repository"))
        parts = record_parts([doc.id for doc in docs])  # plain values: a third of the ORM's cost
        made = {keys[doc.id]: coins(csl_item(request, doc, parts[doc.id])) for doc in docs}
        if seconds:
            _keep_many(made, seconds)
        found.update(made)
    for hit in hits:
        hit.coins = found.get(keys[hit.id], "")


def authority_json_ld(request: HttpRequest, authority: m.Authority) -> str:
    """The JSON-LD of an authority page, escaped for a script element."""
    data = authority_ld(authority.kind, authority.name, absolute(request, authority.get_absolute_url()),
                        description=authority.description or None, variants=[v.name for v in authority.variants.all()],
                        dates=authority.dates or None, external_ids=authority.external_ids or {})
    return json_ld_script(data)
