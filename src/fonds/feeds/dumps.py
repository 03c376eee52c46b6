"""Downloadable dumps of the published archive, streamed as they are read from the catalog."""

from __future__ import annotations

import zlib
from collections.abc import Iterator

from django.http import Http404, HttpRequest, StreamingHttpResponse

from fonds.archive.visibility import public, public_authorities
from fonds.catalog import export

# file name -> (export format, content type, gzip?)
DUMPS = {
    "fonds.jsonl.gz": ("jsonl", "application/gzip", True),
    "documents.jsonl": ("jsonl", "application/x-ndjson; charset=utf-8", False),
    "documents.csv": ("csv", "text/csv; charset=utf-8", False),
    "documents.tei.xml": ("tei", "application/tei+xml; charset=utf-8", False),
}


def _encoded(chunks: Iterator[str]) -> Iterator[bytes]:
    for chunk in chunks:
        if chunk:
            yield chunk.encode("utf-8")


def _gzipped(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """A gzip stream made as the data comes (wbits=31 writes the gzip header and trailer)."""
    compressor = zlib.compressobj(6, zlib.DEFLATED, 31)
    for chunk in chunks:
        data = compressor.compress(chunk)
        if data:
            yield data
    yield compressor.flush()


def dump(request: HttpRequest, name: str) -> StreamingHttpResponse:
    """GET /dumps/<name>: every public document, in constant memory whatever the archive's size."""
    if name not in DUMPS:
        raise Http404(f"no dump {name}")
    fmt, content_type, gzipped = DUMPS[name]
    body = _encoded(export.stream(fmt, export.records(public()), public_authorities()))
    response = StreamingHttpResponse(_gzipped(body) if gzipped else body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
