"""What an enricher reports: a `Finding` per value it set, and the `Context` every enricher gets.

The record format has no key for provenance of derived values, so findings travel beside the
records in `Batch.findings` and the catalog stores them for curators (`catalog.models.Finding`).
Every enricher module exposes `NAME` and `enrich(record, context) -> list[Finding]`
and must only fill what is missing: a value a reader or curator set is never overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fonds.enrich import forms
from fonds.enrich.authorities import AuthorityIndex
from fonds.records import Authority, Batch, Finding, Record

__all__ = ["Context", "Finding", "Span", "marked_up", "spans"]


@dataclass
class Context:
    """What an enricher may use besides the record: the batch and the known authorities.

    `known` indexes the authorities to link against (the batch's own, plus any the caller
    passes, plus the packaged lists); `added` collects authorities created for names found,
    which the pipeline appends to the batch once.
    """

    batch: Batch
    known: AuthorityIndex
    added: dict[tuple[str, str], Authority] = field(default_factory=dict)
    in_batch: set[tuple[str, str]] = field(default_factory=set)
    # Whether the record being enriched came with names linked by its reader (see `marked_up`);
    # set by the pipeline before the first enricher runs, since the people enricher adds some.
    names_from_reader: bool = False
    # Authorities an enricher made in this batch from names nothing knew, with the confidence of the
    # link that made them (see `surety`).
    made: dict[tuple[str, str], float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.in_batch = {(a.kind, a.id) for a in self.batch.authorities}

    def surety(self, authority: Authority, confidence: float) -> float:
        """The confidence a link to `authority` may claim. For an authority made in this batch from a
        name nothing knew, no more than the link that made it: a later mention of the same name in
        the batch is the same doubt, not new evidence, so a person the curator queue holds back is
        not published by the batch's next document that names him."""
        key = (authority.kind, authority.id)
        if key in self.made:
            return min(confidence, self.made[key])
        if not self.known.has(authority):
            self.made[key] = confidence
        return confidence

    def adopt(self, authority: Authority) -> Authority:
        """Make sure the batch carries an authority a record now links to (once); returns it.

        Packaged authorities (Khrushchev with his Cyrillic variants) are copied into the batch
        the first time a record links to them, so the catalog stores them with their variants;
        authorities the archive already has are linked without being carried again.
        """
        key = (authority.kind, authority.id)
        if key not in self.in_batch:
            self.in_batch.add(key)
            if not self.known.in_catalog(authority):
                self.added[key] = authority
            if not self.known.has(authority):
                self.known.add(authority)
        return authority


@dataclass(frozen=True)
class Span:
    """Where in a record a piece of text sits: the field name and its offset in that field."""

    field: str
    text: str
    offset: int = 0

    def source(self, start: int, end: int) -> str:
        return f"{self.field}:{self.offset + start}-{self.offset + end}"


def spans(record: Record, *, title: bool = True, citation: bool = True) -> list[Span]:
    """The text fields of a record that enrichers read, in reading order. A text that opens with an
    archive's identification form (`fonds.enrich.forms`) is read from after the form: the form
    describes the record, and its stamp and review dates are not the document's."""
    found = [Span("title", record.title)] if title and record.title else []
    for i, text in enumerate(record.texts):
        form = forms.find(text.body) if text.body else None
        start = form.end if form else 0
        if text.body[start:].strip():
            found.append(Span(f"texts[{i}]", text.body[start:], start))
    if citation and record.source and record.source.citation:
        found.append(Span("source.citation", record.source.citation))
    return found


def marked_up(record: Record) -> bool:
    """True when the reader already linked names (people, organizations or places).

    A source that marks names up (TEI persName/placeName/gloss, an archive page's panels) is taken
    as the names layer: text-mined organizations and places are not mixed into it. This also keeps
    ingest of marked-up volumes fast, since their bodies are not scanned again.
    """
    return bool(record.people or record.organizations or record.places)
