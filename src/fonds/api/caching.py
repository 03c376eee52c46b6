"""HTTP caching for API reads: an ETag on every successful GET, 304 for a matching If-None-Match,
and Cache-Control that lets shared caches keep public answers."""

from __future__ import annotations

import hashlib

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control
from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from fonds.settings import get_settings


def etag_for(body: bytes) -> str:
    """A strong ETag: the hash of the exact body, so it changes whenever any served byte does."""
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def _matches(request: HttpRequest, etag: str) -> bool:
    header = request.headers.get("If-None-Match", "")
    # Weak comparison (RFC 9110 13.1.2): a cache may send back W/"..." for our strong tag.
    candidates = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return etag in candidates or "*" in candidates


def conditional(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Add ETag and Cache-Control to a successful GET, or answer 304 when the client has it."""
    if request.method not in ("GET", "HEAD") or response.status_code != 200 or response.streaming:
        return response
    etag = etag_for(response.content)
    if getattr(request.user, "is_staff", False):
        # Staff see drafts: their answers must never sit in a shared cache.
        cache = {"private": True, "no_cache": True}
    else:
        cache = {"public": True, "max_age": get_settings().api_cache_seconds}
    if _matches(request, etag):
        response = HttpResponseNotModified()
    response["ETag"] = etag
    patch_cache_control(response, **cache)
    return response


class UnicodeJSON(JSONRenderer):
    """JSON with names in their own script (Хрущёв, not \\u0425...), as /api/search always gave."""

    json_dumps_params = {"ensure_ascii": False}


class CachingNinjaAPI(NinjaAPI):
    """NinjaAPI whose rendered answers pass through `conditional` (one place for every read)."""

    def create_response(self, request: HttpRequest, data, *, status: int | None = None,
                        temporal_response: HttpResponse | None = None) -> HttpResponse:
        response = super().create_response(request, data, status=status, temporal_response=temporal_response)
        return conditional(request, response)
