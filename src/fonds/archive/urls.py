"""Absolute URLs of this archive, built from the configured `site_url` when there is one.

Paths come from `reverse()` and `get_absolute_url()` only. The host part comes from the setting
`site_url`; without it, from the request, whose Host header Django has checked against
`allowed_hosts` (loopback names unless configured). A forged Host header therefore never reaches
an API URL, an OAI identifier, a feed or a canonical link.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.http import HttpRequest
from django.urls import reverse

from fonds.settings import get_settings


def absolute(request: HttpRequest | None, path: str) -> str:
    """`path` (starting with /) as an absolute URL of this archive."""
    site = get_settings().site_url
    if site:
        return site.rstrip("/") + path
    if request is None:
        return path
    return request.build_absolute_uri(path)


def host_name(request: HttpRequest) -> str:
    """This archive's host name, without port (OAI repository ids)."""
    site = get_settings().site_url
    if site:
        return urlsplit(site).hostname or ""
    return request.get_host().rsplit(":", 1)[0].strip("[]")


def document_path(doc_id: str, slug: str) -> str:
    return reverse("document", kwargs={"doc_id": doc_id, "slug": slug}) if slug else reverse(
        "document-short", kwargs={"doc_id": doc_id})


def api_document_path(doc_id: str) -> str:
    return reverse("api:get_document", kwargs={"doc_id": doc_id})


def api_documents_path(**filters: str) -> str:
    from urllib.parse import urlencode

    return reverse("api:list_documents") + ("?" + urlencode(filters) if filters else "")


def safe_link(uri: str | None) -> str | None:
    """`uri` when it may become a link (http or https), else None: a record's `rights.uri` of
    "javascript:..." is shown as text, never as a live link."""
    if not uri:
        return None
    scheme = urlsplit(uri.strip()).scheme.lower()
    return uri.strip() if scheme in ("http", "https") else None


class SiteRequest:
    """A request whose host and scheme are `site_url`'s when it is set, for code that builds
    absolute URLs from the request itself (Django's feeds and sitemaps)."""

    def __init__(self, request: HttpRequest):
        self._request = request

    def __getattr__(self, name: str):
        return getattr(self._request, name)

    def get_host(self) -> str:
        site = get_settings().site_url
        return urlsplit(site).netloc if site else self._request.get_host()

    def is_secure(self) -> bool:
        site = get_settings().site_url
        return site.startswith("https://") if site else self._request.is_secure()

    @property
    def scheme(self) -> str:
        return "https" if self.is_secure() else "http"
