"""Organizations named in a document's text, linked to organization authority records.

Names and abbreviations of the known organizations (the batch's own first, then the packaged
list data/organizations.json: CC CPSU, Presidium, Politburo, Ministry of Defense, NSC, CIA, UN,
NATO... in English and Russian) are matched folded, so "ЦК КПСС" and "CC CPSU" are one body.
"""

from __future__ import annotations

from fonds.enrich.authorities import AuthorityIndex, packaged
from fonds.enrich.findings import Context, Finding, spans
from fonds.enrich.gazetteer import PhraseMatcher
from fonds.records import Link, Record

NAME = "organizations"
ORGANIZATIONS = "organizations.json"

_MATCHERS: dict[int, list] = {}


def matcher(known: AuthorityIndex) -> PhraseMatcher:
    """A phrase matcher over the known organizations, rebuilt when authorities were added."""
    cached = _MATCHERS.get(id(known))
    if cached is None or cached[1] is not known:
        authorities = known.of_kind("organization")
        cached = [known.version, known, PhraseMatcher(authorities), len(authorities)]
        _MATCHERS.clear()  # one live matcher at a time: a batch is enriched at a time
        _MATCHERS[id(known)] = cached
    elif cached[0] != known.version:  # authorities were added: index only the new ones
        for authority in known.of_kind("organization", skip=cached[3]):
            cached[2].add(authority)
            cached[3] += 1
        cached[0] = known.version
    return cached[2]


def enrich(record: Record, context: Context) -> list[Finding]:
    """Add the organizations a record's text names when the source linked none."""
    if context.names_from_reader:
        return []
    findings: list[Finding] = []
    for span in spans(record, citation=False):
        for hit in matcher(context.known).find(span.text):
            if any(link.id == hit.authority.id for link in record.organizations):
                continue
            authority = context.adopt(hit.authority)
            record.organizations.append(Link(id=authority.id, name=authority.name))
            findings.append(Finding(record.id, "organizations", {"id": authority.id, "name": authority.name},
                                    span.source(hit.start, hit.end), 0.8, NAME, hit.text))
    return findings


def packaged_organizations():
    return packaged(ORGANIZATIONS)
