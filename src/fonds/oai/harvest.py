"""`fonds harvest`: import another OAI-PMH repository's Dublin Core records into the catalog.

Each response page is mapped (`fonds.oai.dc`), enriched against the archive's own authorities
(`fonds.enrich.pipeline`, as `fonds ingest` does) and written through `catalog.store.write_batch` in
one transaction, so a failure leaves every earlier page whole and nothing of the failed one.
Records deleted at the source are withdrawn here, never deleted. The source's position (the
responseDate of the first response) is saved only after the whole list has arrived, so a run
that fails is simply repeated from the same point by the next one; pages it had stored are then
recognised as unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import DatabaseError, transaction
from pydantic import ValidationError

from fonds import records as r
from fonds.catalog import models as m
from fonds.catalog.store import Origin, authority_snapshot, documents_with_details, to_record, write_batch
from fonds.enrich import pipeline
from fonds.oai import dc
from fonds.oai.client import Client, HarvestError, Item, Page
from fonds.oai.models import HarvestSource
from fonds.settings import get_settings

PROVENANCE_FORMAT = "oai-pmh"
PREFIX = "oai_dc"
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_SECOND = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")


@dataclass
class HarvestReport:
    """What one harvest run did."""

    url: str
    since: str | None = None
    pages: int = 0
    received: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    withdrawn: int = 0
    deleted_unknown: int = 0  # deletions of records never harvested here: nothing to withdraw

    def summary(self) -> str:
        since = f" changed from {self.since}" if self.since else ""
        return (f"{self.received} records{since} in {self.pages} pages: {self.created} created, "
                f"{self.updated} updated, {self.unchanged} unchanged, {self.withdrawn} withdrawn")


def harvest(url: str, set_spec: str | None = None, since: str | None = None,
            progress: Callable[[HarvestReport], None] | None = None, user: str = "") -> HarvestReport:
    """Harvest `url` (a base URL) incrementally; raises HarvestError, having stored whole pages only.
    `user` is who asked for it (kept in the history of each record it changes)."""
    origin = Origin(m.Revision.Road.HARVEST, user)
    if since is not None and not (_DAY.fullmatch(since) or _SECOND.fullmatch(since)):
        raise HarvestError(url, f"--from must be YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ, not {since!r}")
    client = Client(url, timeout=get_settings().harvest_timeout)
    source = HarvestSource.objects.filter(url=url, set_spec=set_spec or "").first()
    granularity = client.identify().get("granularity", "YYYY-MM-DD")
    since = since or (source.last_response_date if source and source.last_response_date else None)
    report = HarvestReport(url=url, since=_as_granularity(since, granularity))
    first_response_date = None
    known = pipeline.base_index(authority_snapshot())  # the archive's authorities, linked against once per run
    for page in client.list_records(PREFIX, set_spec=set_spec, since=report.since):
        first_response_date = first_response_date or page.response_date
        _store(page, report, origin, known)
        if progress:
            progress(report)
    HarvestSource.objects.update_or_create(
        url=url, set_spec=set_spec or "",
        defaults=dict(metadata_prefix=PREFIX, last_response_date=first_response_date or "", granularity=granularity,
                      last_harvest=datetime.now(UTC), records=report.received))
    return report


def _as_granularity(since: str | None, granularity: str) -> str | None:
    """A `from` the repository accepts: day granularity repositories reject seconds."""
    if since and granularity == "YYYY-MM-DD":
        return since[:10]
    return since


def _store(page: Page, report: HarvestReport, origin: Origin, known) -> None:
    """Enrich one page's records (linking their names to the archive's authorities) and write the
    page in one transaction."""
    report.pages += 1
    report.received += len(page.items)
    latest = {item.identifier: item for item in page.items}  # a page may carry an item twice
    provenance = r.Provenance(format=PROVENANCE_FORMAT, file=page.url,
                              ingested_at=datetime.now(UTC).isoformat(timespec="seconds"))
    try:
        with transaction.atomic():
            batch = pipeline.enrich(r.Batch(records=[_record(item, provenance) for item in latest.values() if not item.deleted]),
                                    base=known)
            withdrawn = _withdrawn([i for i in latest.values() if i.deleted], provenance, report)
            batch.records += withdrawn
            result = write_batch(batch, origin)
    except ValidationError as error:
        raise HarvestError(page.url, f"a record cannot be stored: {error}") from None
    except (DatabaseError, ValueError) as error:
        raise HarvestError(page.url, f"not stored: {error}") from None
    withdrawn_ids = {rec.id for rec in withdrawn}
    report.created += len(result.created)
    report.updated += len([i for i in result.updated if i not in withdrawn_ids])
    report.unchanged += len(result.unchanged)
    report.withdrawn += len([i for i in result.updated if i in withdrawn_ids])


def _record(item: Item, provenance: r.Provenance) -> r.Record:
    return dc.dc_to_record(item.identifier, item.metadata, provenance=provenance)


def _withdrawn(items: list[Item], provenance: r.Provenance, report: HarvestReport) -> list[r.Record]:
    """The local records of deleted items, unchanged but withdrawn."""
    ids = {dc.record_id(item.identifier) for item in items}
    docs = documents_with_details(m.Document.objects.filter(id__in=ids), with_pending=True)
    records = [to_record(doc).model_copy(update={"status": "withdrawn", "provenance": provenance}) for doc in docs]
    report.deleted_unknown += len(ids) - len(records)
    return records
