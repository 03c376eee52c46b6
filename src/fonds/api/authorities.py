"""/api/people, /api/organizations, /api/places, /api/repositories and /api/topics."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.urls import reverse
from ninja import Query, Router
from ninja.errors import HttpError

from fonds.api import paging
from fonds.api.schemas import AuthorityOut, AuthorityPage, ErrorOut, TopicOut, TopicPage
from fonds.archive import visibility
from fonds.archive.urls import absolute, api_documents_path
from fonds.catalog import models as m

router = Router(tags=["authorities"])
# kind -> (URL segment, the documents filter that lists its documents, singular for operation ids)
KINDS = {"person": ("people", "person"), "organization": ("organizations", "organization"),
         "place": ("places", "place"), "repository": ("repositories", "repository")}


def authority_out(request: HttpRequest, row: m.Authority) -> dict:
    """An authority record with links to its page and to its documents in this API."""
    segment, parameter = KINDS[row.kind]
    return {
        "id": row.key, "kind": row.kind, "name": row.name, "abbreviation": row.abbreviation or None,
        "variants": [v.name for v in row.variants.all()], "dates": row.dates or None,
        "description": row.description or None, "external_ids": row.external_ids,
        "url": absolute(request, row.get_absolute_url()),
        "documents": absolute(request, api_documents_path(**{parameter: row.key})),
    }


def _register(kind: str) -> None:
    """Add the list and detail operations of one authority kind to the router."""
    segment, singular = KINDS[kind]

    def list_authorities(request: HttpRequest,
                         name: str | None = Query(None, max_length=200, description="Part of the preferred name."),
                         limit: int | None = paging.Limit, offset: int = paging.Offset):
        rows = visibility.authorities_for(request.user, kind).prefetch_related("variants").order_by("name", "key")
        if name:
            rows = rows.filter(name__icontains=name)
        return paging.page(request, rows, limit, offset, authority_out)

    def get_authority(request: HttpRequest, key: str):
        merged = visibility.merged_into(kind, key)
        if merged is not None:  # a record merged into another: its address moved for good
            return HttpResponsePermanentRedirect(reverse(f"api:api-{singular}", kwargs={"key": merged.key}))
        row = visibility.authorities_for(request.user, kind).filter(key=key).prefetch_related("variants").first()
        if row is None:
            raise HttpError(404, f"no {kind} with id {key!r}")
        return authority_out(request, row)

    router.get(f"/{segment}", response={200: AuthorityPage, 422: ErrorOut}, operation_id=f"list_{segment}",
               url_name=f"api-{segment}", summary=f"List {segment}")(list_authorities)
    router.get(f"/{segment}/{{key}}", response={200: AuthorityOut, 301: None, 404: ErrorOut}, operation_id=f"get_{singular}",
               url_name=f"api-{singular}", summary=f"One {kind} record")(get_authority)


for _kind in KINDS:
    _register(_kind)


def topic_out(request: HttpRequest, row: m.Topic) -> dict:
    return {"slug": row.slug, "name": row.name, "document_count": row.document_count,
            "url": absolute(request, row.get_absolute_url()),
            "documents": absolute(request, api_documents_path(topic=row.slug))}


def _topics(request: HttpRequest):
    """Topics this visitor may read documents under, with the number of them."""
    visible = visibility.visible_to(request.user).values("id")
    return visibility.topics_for(request.user).annotate(
        document_count=Count("documents", filter=Q(documents__in=visible), distinct=True))


@router.get("/topics", response={200: TopicPage, 422: ErrorOut}, tags=["topics"], summary="List topics")
def list_topics(request: HttpRequest, limit: int | None = paging.Limit, offset: int = paging.Offset):
    return paging.page(request, _topics(request).order_by("name", "slug"), limit, offset, topic_out)


@router.get("/topics/{slug}", response={200: TopicOut, 404: ErrorOut}, tags=["topics"], summary="One topic")
def get_topic(request: HttpRequest, slug: str):
    row = _topics(request).filter(slug=slug).first()
    if row is None:
        raise HttpError(404, f"no topic {slug!r}")
    return topic_out(request, row)
