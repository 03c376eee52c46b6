"""Organizations named in a document's text, linked to organization authority records.

Names and abbreviations of the known organizations (the batch's own first, then the packaged
list data/organizations.json: CC CPSU, Presidium, Politburo, Ministry of Defense, NSC, CIA, UN,
NATO... in English and Russian) are matched folded, so "ЦК КПСС" and "CC CPSU" are one body.
"""

from __future__ import annotations

from fonds.enrich.findings import Context, Finding, spans
from fonds.enrich.gazetteer import known_hits
from fonds.records import Link, Record

NAME = "organizations"


def enrich(record: Record, context: Context) -> list[Finding]:
    """Add the organizations a record's text names when the source linked none."""
    if context.names_from_reader:
        return []
    findings: list[Finding] = []
    for span in spans(record, citation=False):
        for hit in known_hits(context.known, "organization", span.text):
            if any(link.id == hit.authority.id for link in record.organizations):
                continue
            authority = context.adopt(hit.authority)
            record.organizations.append(Link(id=authority.id, name=authority.name))
            findings.append(Finding(record.id, "organizations", {"id": authority.id, "name": authority.name},
                                    span.source(hit.start, hit.end), 0.8, NAME, hit.text))
    return findings

