"""Runs the enrichers over a reader's batch, in a fixed order, filling only what is missing."""

from __future__ import annotations

from fonds.enrich import classification, doctype, people
from fonds.records import Batch, Record


def _classification(record: Record, batch: Batch) -> None:
    if not record.classification:
        record.classification = classification.find_in_text(record.texts[0].body) if record.texts else None


ENRICHERS = (doctype.enrich, _classification, people.enrich)


def enrich(batch: Batch) -> Batch:
    """Enrich every record of the batch in place; returns the batch."""
    for record in batch.records:
        for enricher in ENRICHERS:
            enricher(record, batch)
    return batch
