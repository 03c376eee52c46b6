"""Runs the enrichers over a reader's batch, in a configured order, filling only what is missing.

Every enricher is a module of `fonds.enrich` with `NAME` and `enrich(record, context) -> list[Finding]`.
`ORDER` is the default order (references first: a parsed citation may help the others; languages,
dates, type, declassification and classification next; names last). `enrich_with_findings` returns what each enricher found,
from where and how sure; `enrich` keeps the batch-in, batch-out form that ingest calls.

Known authorities to link against are, in this order: the batch's own (a FRUS volume's List of
Persons, an archive page's panels), those the caller passes, then a base index (`base`): the
archive's own authorities with every variant (`fonds ingest`, `harvest` and `enrich` build it once
per process from a catalog snapshot) over the packaged lists (data/people-frus.json,
organizations.json, repositories.json). Earlier ones win a shared name.

Before the enrichers run, the batch is reconciled with the base (`authorities.reconcile`): a
person the batch declares or links by name only ("Kennedy, John F." in a List of Persons, "Allen
W. Dulles" in front matter, "CIA" in a sheet's From column) is linked to the authority the archive
already has for them, and names that are organizations' become organizations, so new authority
records are made only for names that match nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from types import ModuleType

from fonds.enrich import (classification, dates, declassification, doctype, languages, organizations, people, places,
                          reconcile, references)
from fonds.enrich.authorities import AuthorityIndex, packaged
from fonds.enrich.findings import Context, Finding, marked_up
from fonds.records import Authority, Batch, Record

ENRICHERS: dict[str, ModuleType] = {
    module.NAME: module for module in (references, languages, dates, doctype, declassification, classification, people,
                                       organizations, places)
}
# The identification form's marking (declassification) goes before the marking found in the text.
ORDER: tuple[str, ...] = ("references", "languages", "dates", "doctype", "declassification", "classification", "people",
                          "organizations", "places")
PACKAGED = ("people-frus.json", "organizations.json", "repositories.json")


def base_index(archive: Iterable[Authority] = ()) -> AuthorityIndex:
    """The index every batch links against below its own authorities: the archive's authorities
    (a catalog snapshot, in the catalog's order) over the packaged lists. Build it once per process."""
    archive = list(archive)
    index = AuthorityIndex(archive, base=packaged_index(), catalog=[(a.kind, a.id) for a in archive])
    return index


@lru_cache(maxsize=1)
def packaged_index() -> AuthorityIndex:
    """The packaged lists as an index, built once per process."""
    return AuthorityIndex(a for filename in PACKAGED for a in packaged(filename))


def known_authorities(batch: Batch, known: Iterable[Authority] = (), base: AuthorityIndex | None = None) -> AuthorityIndex:
    """The index enrichers link against: the batch's authorities and `known` over `base`."""
    index = AuthorityIndex(batch.authorities, base=base if base is not None else packaged_index())
    for authority in known:
        index.add(authority)
    return index


def unenriched(record: Record, findings: Iterable[Finding]) -> Record:
    """The record without the values the enrichers set on it (as their findings say), so that
    enriching it again starts from what the source gave: the links they added are removed, the
    dates, types, markings and source parts they set are emptied. Links the reconciliation pointed
    at an existing authority are the source's and stay."""
    data = record.to_json()
    for finding in findings:
        if finding.enricher not in ENRICHERS:
            continue
        if finding.field in ("people", "organizations", "places") and isinstance(finding.value, dict):
            data[finding.field] = [link for link in data[finding.field] if link["id"] != finding.value.get("id")]
        elif finding.field in ("date", "type", "classification"):
            data[finding.field] = None
        elif finding.field.startswith("source.") and data.get("source"):
            key = finding.field.split(".", 2)[1:]
            if key[0] == "parts" and len(key) == 2:
                data["source"]["parts"].pop(key[1], None)
            else:
                data["source"][key[0]] = None
    return Record.from_json(data)


def _modules(order: Sequence[str] | None) -> list[ModuleType]:
    names = ORDER if order is None else order
    unknown = [name for name in names if name not in ENRICHERS]
    if unknown:
        raise ValueError(f"unknown enrichers {unknown}; known: {sorted(ENRICHERS)}")
    return [ENRICHERS[name] for name in names]


def enrich_with_findings(batch: Batch, known: Iterable[Authority] = (), order: Sequence[str] | None = None,
                         base: AuthorityIndex | None = None, linked: bool = False) -> tuple[Batch, list[Finding]]:
    """Enrich every record of the batch in place; returns the batch and every finding, in order.

    Authorities that records now link to and the batch lacked are appended to `batch.authorities`
    (except those the archive already has), and the findings to `batch.findings`. `linked` says
    the batch's declared authorities and the links to them are to be kept as they are (JSON Lines,
    the lossless interchange): only links given by a name alone are reconciled.
    """
    modules = _modules(order)
    base = base if base is not None else packaged_index()
    findings = reconcile.reconcile(batch, base, keep_declared=linked)
    context = Context(batch=batch, known=known_authorities(batch, known, base))
    for record in batch.records:
        context.names_from_reader = marked_up(record)
        for module in modules:
            findings += module.enrich(record, context)
    batch.authorities.extend(context.added.values())
    batch.findings.extend(findings)
    return batch, findings


def enrich(batch: Batch, known: Iterable[Authority] = (), order: Sequence[str] | None = None,
           base: AuthorityIndex | None = None, linked: bool = False) -> Batch:
    """Enrich every record of the batch in place; returns the batch."""
    return enrich_with_findings(batch, known, order, base, linked)[0]
