"""Exports of the catalog: JSON Lines (lossless, re-ingestable) and CSV (one row per document).

Documents are streamed in chunks with their details prefetched, so memory stays flat whatever
the size of the archive.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import TextIO

from fonds.catalog import models as m
from fonds.catalog.store import documents_with_details, to_authority, to_record
from fonds.records import Record

CHUNK = 500
CSV_COLUMNS = ["id", "title", "date", "type", "classification", "languages", "authors", "recipients", "people",
               "organizations", "places", "topics", "subjects", "source", "repository", "summary", "status"]


def records(published_only: bool = False) -> Iterator[Record]:
    """Every document as a plain record, in id order."""
    queryset = m.Document.objects.order_by("id")
    if published_only:
        queryset = queryset.filter(status=m.Document.Status.PUBLISHED)
    for doc in documents_with_details(queryset).iterator(chunk_size=CHUNK):
        yield to_record(doc)


def write(fmt: str, out: TextIO, published_only: bool = False) -> int:
    """Write the catalog to `out` in `fmt` ("jsonl" or "csv"); returns the number of documents."""
    return {"jsonl": write_jsonl, "csv": write_csv}[fmt](out, published_only)


def write_jsonl(out: TextIO, published_only: bool = False) -> int:
    """Authorities first (as {"authority": ...} lines), then one record per line."""
    authorities = m.Authority.objects.order_by("kind", "key").prefetch_related("variants")
    for row in authorities.iterator(chunk_size=CHUNK):
        out.write(json.dumps({"authority": to_authority(row).to_json()}, ensure_ascii=False) + "\n")
    count = 0
    for record in records(published_only):
        out.write(json.dumps(record.to_json(), ensure_ascii=False) + "\n")
        count += 1
    return count


def _names(links) -> str:
    return "; ".join(link.name for link in links)


def write_csv(out: TextIO, published_only: bool = False) -> int:
    """A spreadsheet-friendly summary; JSON Lines is the lossless format."""
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    count = 0
    for rec in records(published_only):
        source = rec.source
        writer.writerow([
            rec.id, rec.title, rec.date.edtf if rec.date else "", rec.type or "",
            rec.classification.marking if rec.classification else "", "; ".join(rec.languages),
            _names(rec.authors), _names(rec.recipients), _names(rec.people), _names(rec.organizations), _names(rec.places),
            "; ".join(rec.topics), "; ".join(rec.subjects), (source and source.citation) or "",
            (source and source.repository and source.repository.name) or "", rec.summary or "", rec.status,
        ])
        count += 1
    return count
