"""/api/documents: public lists with filters, the full record of one document, and staff edits.

Edits go through `fonds.archive.changes` like every other road: the token's user needs a role
(contributor for drafts, editor for the rest and for status and embargo), and each change is kept
as a curated value, logged and kept in the history (road "api").
"""

from __future__ import annotations

from datetime import date, datetime, timezone

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.http import HttpRequest
from ninja import Query, Router
from ninja.errors import HttpError

from fonds.api import paging
from fonds.api.schemas import DocumentPage, DocumentPatch, DocumentPut, ErrorOut
from fonds.api.tokens import StaffToken
from fonds.archive import changes as archive_changes
from fonds.archive.urls import absolute, api_document_path
from fonds.archive.visibility import published_mentions, visible_to
from fonds.catalog import models as m
from fonds.catalog.store import documents_with_details, to_record
from fonds.curation import CurationError
from fonds.records import Record

router = Router(tags=["documents"])
SORTS = {"id": ("id",), "date": ("date_min", "id"), "updated": ("updated", "id")}
# ISO 639 codes: checking the shape keeps the JSON text match below exact.
LANGUAGE = r"^[a-z]{2,3}$"
ERRORS = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
# The status a PATCH asks for -> the workflow action that leads there.
ACTION_TO = {"review": "submit", "draft": "return", "published": "publish", "withdrawn": "withdraw"}


def summary(request: HttpRequest, doc: m.Document) -> dict:
    """One list item: enough to choose, with links to the page and the full record."""
    return {
        "id": doc.id, "title": doc.title,
        "date": {"edtf": doc.date_edtf, "display": doc.date_display or None, "min": _iso(doc.date_min),
                 "max": _iso(doc.date_max)} if doc.date_edtf else None,
        "type": doc.type or None, "languages": doc.languages, "updated": doc.updated,
        "url": absolute(request, doc.get_absolute_url()),
        "api_url": absolute(request, api_document_path(doc.id)),
    }


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def filtered(request: HttpRequest, *, type=None, language=None, date_from=None, date_to=None, topic=None,
             person=None, organization=None, place=None, repository=None, updated_since=None) -> QuerySet:
    """The visible documents that pass every given filter (each filter narrows the set)."""
    docs = visible_to(request.user)
    if type:
        docs = docs.filter(type=type)
    if language:
        # JSONField "contains" is not available on SQLite; the list's JSON text is, on both engines.
        docs = docs.annotate(_languages=Cast("languages", TextField())).filter(_languages__contains=f'"{language}"')
    if date_from:
        # A document's date is a span [date_min, date_max]; it matches when it overlaps the range.
        docs = docs.filter(Q(date_max__gte=date_from) | Q(date_max__isnull=True, date_min__gte=date_from))
    if date_to:
        docs = docs.filter(date_min__lte=date_to)
    if topic:
        docs = docs.filter(topic_links__topic__slug=topic)
    for kind, key in (("person", person), ("organization", organization), ("place", place)):
        if key:
            mentioned = published_mentions().filter(authority__kind=kind, authority__key=key).values("document_id")
            docs = docs.filter(id__in=mentioned)
    if repository:
        docs = docs.filter(repository__kind="repository", repository__key=repository)
    if updated_since:
        # A time without a zone means UTC, the zone the catalog stores.
        if updated_since.tzinfo is None:
            updated_since = updated_since.replace(tzinfo=timezone.utc)
        docs = docs.filter(updated__gte=updated_since)
    return docs


@router.get("/documents", response={200: DocumentPage, 422: ErrorOut}, summary="List public documents")
def list_documents(
    request: HttpRequest,
    type: str | None = Query(None, max_length=200, description="Document type, exactly (Telegram, Letter, ...)."),
    language: str | None = Query(None, pattern=LANGUAGE, description="ISO 639-1 code of the original's language."),
    date_from: date | None = Query(None, alias="from", description="Documents dated on or after this day (YYYY-MM-DD)."),
    date_to: date | None = Query(None, alias="to", description="Documents dated on or before this day (YYYY-MM-DD)."),
    topic: str | None = Query(None, max_length=120, description="Topic slug."),
    person: str | None = Query(None, max_length=160, description="Person id: documents naming them in any role."),
    organization: str | None = Query(None, max_length=160, description="Organization id."),
    place: str | None = Query(None, max_length=160, description="Place id."),
    repository: str | None = Query(None, max_length=160, description="Repository (archive) id."),
    updated_since: datetime | None = Query(None, description="Only documents changed at or after this ISO 8601 time."),
    sort: str = Query("id", pattern="^(id|date|updated)$",
                      description="id, date (oldest first) or updated (oldest change first)."),
    limit: int | None = paging.Limit,
    offset: int = paging.Offset,
):
    """Published documents out of embargo, filtered, in pages with a total count."""
    if date_from and date_to and date_from > date_to:
        raise HttpError(422, "'from' is after 'to'")
    docs = filtered(request, type=type, language=language, date_from=date_from, date_to=date_to, topic=topic,
                    person=person, organization=organization, place=place, repository=repository,
                    updated_since=updated_since)
    return paging.page(request, docs.select_related(None).order_by(*SORTS[sort]), limit, offset, summary)


@router.get("/documents/{doc_id}", response={200: Record, 404: ErrorOut}, summary="One document's full record")
def get_document(request: HttpRequest, doc_id: str):
    """The full record of DESIGN.md ("The record"), as `fonds export` writes it."""
    doc = documents_with_details(visible_to(request.user)).filter(id=doc_id).first()
    if doc is None:
        raise HttpError(404, f"no public document with id {doc_id!r}")
    return to_record(doc)


@router.patch("/documents/{doc_id}", auth=StaffToken(), response={200: Record, 401: ErrorOut, **ERRORS},
              summary="Change some of a document's metadata (staff token)")
def patch_document(request: HttpRequest, doc_id: str, changes: DocumentPatch):
    """Set the given fields; the others keep their values."""
    return _save(request, doc_id, changes.model_dump(exclude_unset=True))


@router.put("/documents/{doc_id}", auth=StaffToken(), response={200: Record, 401: ErrorOut, **ERRORS},
            summary="Replace a document's editable metadata (staff token)")
def put_document(request: HttpRequest, doc_id: str, metadata: DocumentPut):
    """Set every editable field: title, summary, teaser, type, status, embargo_until."""
    return _save(request, doc_id, metadata.model_dump())


def _save(request: HttpRequest, doc_id: str, changes: dict) -> Record:
    """Apply the changes through the service layer: metadata as curated values, then the status
    through the workflow action that leads to it, then the embargo."""
    for name in ("title", "status"):
        if name in changes and changes[name] is None:
            raise HttpError(422, f"{name} cannot be null")
    if "title" in changes and not changes["title"].strip():
        raise HttpError(422, "title must not be blank")
    user = getattr(request.auth, "user", request.auth)  # roles are the token user's (auth may return the token)
    if not m.Document.objects.filter(pk=doc_id).exists():
        raise HttpError(404, f"no document with id {doc_id!r}")
    road = m.Revision.Road.API
    metadata = {key: value for key, value in changes.items() if key not in archive_changes.WORKFLOW_KEYS}
    try:
        with transaction.atomic():  # all of the request, or nothing of it
            record = archive_changes.edit(user, doc_id, metadata, road) if metadata else None
            status = changes.get("status")
            if status and status != m.Document.objects.values_list("status", flat=True).get(pk=doc_id):
                record = archive_changes.transition(user, doc_id, ACTION_TO[status], road)
            if "embargo_until" in changes:
                record = archive_changes.set_embargo(user, doc_id, changes["embargo_until"], road)
    except PermissionDenied as error:
        raise HttpError(403, str(error)) from None
    except archive_changes.ChangeError as error:
        raise HttpError(409, str(error)) from None
    except CurationError as error:
        raise HttpError(422, str(error)) from None
    return record or to_record(documents_with_details().get(pk=doc_id))
