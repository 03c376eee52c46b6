"""Runs the enrichers over a reader's batch, in a configured order, filling only what is missing.

Every enricher is a module of `fonds.enrich` with `NAME` and `enrich(record, context) -> list[Finding]`.
`ORDER` is the default order (references first: a parsed citation may help the others; languages,
dates, type, declassification and classification next; names last). `enrich_with_findings` returns what each enricher found,
from where and how sure; `enrich` keeps the batch-in, batch-out form that ingest calls.

Known authorities to link against are, in this order: the batch's own (a FRUS volume's List of
Persons, an archive page's panels), those the caller passes, then the packaged lists
(data/people.json, organizations.json, repositories.json). Earlier ones win a shared name.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from types import ModuleType

from fonds.enrich import (classification, dates, declassification, doctype, languages, organizations, people, places,
                          references)
from fonds.enrich.authorities import AuthorityIndex, packaged
from fonds.enrich.findings import Context, Finding, marked_up
from fonds.records import Authority, Batch

ENRICHERS: dict[str, ModuleType] = {
    module.NAME: module for module in (references, languages, dates, doctype, declassification, classification, people,
                                       organizations, places)
}
# The identification form's marking (declassification) goes before the marking found in the text.
ORDER: tuple[str, ...] = ("references", "languages", "dates", "doctype", "declassification", "classification", "people",
                          "organizations", "places")
PACKAGED = ("people.json", "organizations.json", "repositories.json")


def known_authorities(batch: Batch, known: Iterable[Authority] = ()) -> AuthorityIndex:
    """The index enrichers link against: the batch's authorities, then `known`, then the packaged lists."""
    index = AuthorityIndex(batch.authorities)
    for authority in known:
        index.add(authority)
    for filename in PACKAGED:
        for authority in packaged(filename):
            index.add(authority)
    return index


def _modules(order: Sequence[str] | None) -> list[ModuleType]:
    names = ORDER if order is None else order
    unknown = [name for name in names if name not in ENRICHERS]
    if unknown:
        raise ValueError(f"unknown enrichers {unknown}; known: {sorted(ENRICHERS)}")
    return [ENRICHERS[name] for name in names]


def enrich_with_findings(batch: Batch, known: Iterable[Authority] = (),
                         order: Sequence[str] | None = None) -> tuple[Batch, list[Finding]]:
    """Enrich every record of the batch in place; returns the batch and every finding, in order.

    Authorities that records now link to and the batch lacked are appended to `batch.authorities`,
    and the findings to `batch.findings`.
    """
    modules = _modules(order)
    context = Context(batch=batch, known=known_authorities(batch, known))
    findings: list[Finding] = []
    for record in batch.records:
        context.names_from_reader = marked_up(record)
        for module in modules:
            findings += module.enrich(record, context)
    batch.authorities.extend(context.added.values())
    batch.findings.extend(findings)
    return batch, findings


def enrich(batch: Batch, known: Iterable[Authority] = (), order: Sequence[str] | None = None) -> Batch:
    """Enrich every record of the batch in place; returns the batch."""
    return enrich_with_findings(batch, known, order)[0]
