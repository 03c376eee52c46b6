"""The JSON shapes of the REST API (they become the OpenAPI 3 components)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from ninja import Schema
from pydantic import ConfigDict, Field

from fonds.records import DateValue


class ErrorOut(Schema):
    """Every 4xx answer: `detail` is a message, or (422) a list naming each bad parameter."""

    detail: Any


class PageMeta(Schema):
    total: int = Field(description="Items matching the filters, over all pages.")
    limit: int
    offset: int
    next: str | None = Field(description="URL of the next page, null on the last one.")
    previous: str | None = Field(description="URL of the previous page, null on the first one.")


class DocumentSummary(Schema):
    id: str
    title: str
    date: DateValue | None
    type: str | None
    languages: list[str]
    updated: datetime
    url: str = Field(description="The reading-room page.")
    api_url: str = Field(description="The full record in this API.")


class DocumentPage(PageMeta):
    items: list[DocumentSummary]


class AuthorityOut(Schema):
    id: str
    kind: Literal["person", "organization", "place", "repository"]
    name: str
    abbreviation: str | None
    variants: list[str]
    dates: str | None
    description: str | None
    external_ids: dict[str, str]
    url: str = Field(description="The reading-room page.")
    documents: str = Field(description="API URL listing this authority's documents.")


class AuthorityPage(PageMeta):
    items: list[AuthorityOut]


class TopicOut(Schema):
    slug: str
    name: str
    document_count: int = Field(description="Public documents under this topic.")
    url: str
    documents: str = Field(description="API URL listing this topic's documents.")


class TopicPage(PageMeta):
    items: list[TopicOut]


class DocumentPatch(Schema):
    """Editable metadata; PATCH sends any subset, PUT sends every field."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(default=None, min_length=1, max_length=10000)
    summary: str | None = Field(default=None, max_length=100000)
    teaser: str | None = Field(default=None, max_length=10000)
    type: str | None = Field(default=None, max_length=200)
    status: Literal["draft", "review", "published", "withdrawn"] | None = None
    embargo_until: date | None = None


class DocumentPut(DocumentPatch):
    """PUT replaces all editable metadata, so every field must be given (embargo_until may be null)."""

    title: str = Field(min_length=1, max_length=10000)
    summary: str = Field(max_length=100000)
    teaser: str = Field(max_length=10000)
    type: str = Field(max_length=200)
    status: Literal["draft", "review", "published", "withdrawn"]
    embargo_until: date | None


class SearchHit(Schema):
    id: str
    title: str
    date: str | None
    type: str | None
    archive: str | None
    snippet: str
    score: float | None
    url: str


class FacetValue(Schema):
    value: str
    count: int


class YearCount(Schema):
    year: int
    count: int


class SearchOut(Schema):
    query: str
    total: int
    hits: list[SearchHit]
    facets: dict[str, list[FacetValue]]
    histogram: list[YearCount]
    messages: list[str]
    page: int
    page_size: int
    suggestion: str | None = Field(None, description="\"Did you mean\": when the search finds nothing, the query with "
                                   "its unknown words spelled as documents of the archive write them (null otherwise).")
    suggestion_url: str | None = Field(None, description="This search with `q` replaced by the suggestion (null without one).")
    index_behind: int = Field(description="Change-log positions the index searched was behind the catalog (0: current); "
                                          "the latest changes may be missing from the results.")
    index_lag_seconds: float = Field(description="Age in seconds of the oldest catalog change the index lacked (0: current).")
