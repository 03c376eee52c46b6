"""Limit/offset pages with totals and next/previous links, shared by every API list."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query

from fonds.archive.urls import absolute
from fonds.settings import get_settings

MAX_OFFSET = 10_000_000  # far beyond any archive; bounds the SQL OFFSET a client can ask for

# Query parameters of every list operation (the bounds are read once, when the API is built).
Limit = Query(None, ge=1, le=get_settings().api_max_limit,
              description=f"Items per page, at most {get_settings().api_max_limit} (the api_max_limit setting; "
                          "more is refused with 422); default: the page_size setting, within that maximum.")
Offset = Query(0, ge=0, le=MAX_OFFSET, description="Items to skip.")


def page(request: HttpRequest, queryset: QuerySet, limit: int | None, offset: int, render) -> dict:
    """One page of `queryset`: {"total", "limit", "offset", "next", "previous", "items"}."""
    limit = limit or min(get_settings().page_size, get_settings().api_max_limit)
    total = queryset.count()
    rows = queryset[offset:offset + limit]
    return {
        "total": total, "limit": limit, "offset": offset,
        "next": _link(request, offset + limit, limit) if offset + limit < total else None,
        "previous": _link(request, max(0, offset - limit), limit) if offset > 0 else None,
        "items": [render(request, row) for row in rows],
    }


def _link(request: HttpRequest, offset: int, limit: int) -> str:
    params = request.GET.copy()
    params["offset"], params["limit"] = str(offset), str(limit)
    return absolute(request, f"{request.path}?{params.urlencode()}")
