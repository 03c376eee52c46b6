"""The plain record types of fonds: one document record and the authority records it links to.

These are the interchange format of DESIGN.md ("The record"). Readers produce them, enrichers
refine them, the catalog stores them and `fonds export` writes them back out. They are pydantic
models so that JSON read from outside is validated with messages that name the offending key,
and so that `to_json()` / `from_json()` round-trip exactly. Nothing here imports Django.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

STATUSES = ("draft", "review", "published", "withdrawn")
TEXT_KINDS = ("original", "transcription", "translation")
AUTHORITY_KINDS = ("person", "organization", "place", "repository")


# Ids appear in URLs and keys of the catalog; this bounds them for every database.
Id = Annotated[str, StringConstraints(min_length=1, max_length=160, strip_whitespace=True)]


class _Strict(BaseModel):
    """Base: unknown keys are an error, so a typo in an input file is reported, not dropped."""

    model_config = ConfigDict(extra="forbid")


class Link(_Strict):
    """A reference from a document to an authority record."""

    id: Id
    name: str


class DateValue(_Strict):
    """A document date: EDTF plus the display form and the earliest/latest day it can mean."""

    edtf: str
    display: str | None = None
    min: str | None = None
    max: str | None = None


class Classification(_Strict):
    """The classification marking as written on the original, and its normalised level."""

    marking: str
    level: str | None = None


class Text(_Strict):
    """One text layer of a document: the original, a transcription or a translation."""

    kind: Literal["original", "transcription", "translation"]
    language: str | None = None
    body: str
    translator: str | None = None


class Relation(_Strict):
    """A typed link to another document. `id` is None when only the title is known."""

    id: Id | None = None
    title: str | None = None
    relation: str = "related"
    source: Literal["curated", "computed"] = "curated"
    score: float | None = None


class Repository(_Strict):
    """The archive holding the original."""

    id: Id | None = None
    name: str
    abbreviation: str | None = None


class Source(_Strict):
    """Where the original is held: the citation as written and its parsed parts."""

    citation: str | None = None
    repository: Repository | None = None
    parts: dict[str, str] = Field(default_factory=dict)


class Rights(_Strict):
    statement: str | None = None
    uri: str | None = None


# A day, month or year as ISO 8601 writes it (review and release dates of declassification).
IsoDay = Annotated[str, StringConstraints(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")]
# Release statuses that mean part of the document is still withheld ("Redact", "Released in Part",
# "RELEASED WITH DELETIONS", "Postponed in Part", NARA's one-letter "P" for postponed).
_WITHHOLDING_STATUS = re.compile(r"redact|in part|deletion|postpone|withh[eo]l|denied|saniti[sz]|excis|^p$", re.IGNORECASE)


class Withheld(_Strict):
    """One passage left out of the released text, as the source marks it."""

    marker: str  # as printed: "[1 paragraph (3 lines of source text) not declassified]"
    unit: str | None = None  # what was withheld: "line", "paragraph", "page", "name", "place", "text", ...
    count: float | None = None  # how many of them ("2 names": 2); None when the marker gives no number
    lines: float | None = None  # extent in lines of source text, when the marker states it


class Declassification(_Strict):
    """How the document was reviewed for release and what was withheld from it."""

    status: str | None = None  # the release status as the source writes it ("Redact", "Released in Part")
    review_date: IsoDay | None = None  # the last declassification review
    release_date: IsoDay | None = None  # when this version was released
    restrictions: list[str] = Field(default_factory=list)  # exemption codes as written: "1B", "JFK Act 6 (1)(B)"
    withheld: list[Withheld] = Field(default_factory=list)

    def has_withheld_text(self) -> bool:
        """Whether part of the text is known to be withheld: marked passages, or a status that says so."""
        return bool(self.withheld) or bool(self.status and _WITHHOLDING_STATUS.search(self.status.strip()))

    def withheld_lines(self) -> float:
        """The extent of the withheld passages that state it, in lines of source text."""
        return sum(item.lines or 0 for item in self.withheld)


class Provenance(_Strict):
    """Which file (and format) a record came from, so re-ingest can recognise it."""

    format: str
    file: str | None = None
    sha256: str | None = None
    ingested_at: str | None = None


class Record(_Strict):
    """One document."""

    id: Id
    title: str
    date: DateValue | None = None
    summary: str | None = None
    teaser: str | None = None
    type: str | None = None
    classification: Classification | None = None
    languages: list[str] = Field(default_factory=list)
    texts: list[Text] = Field(default_factory=list)
    authors: list[Link] = Field(default_factory=list)
    recipients: list[Link] = Field(default_factory=list)
    people: list[Link] = Field(default_factory=list)
    organizations: list[Link] = Field(default_factory=list)
    places: list[Link] = Field(default_factory=list)
    topics: list[str] = Field(default_factory=list)
    subjects: list[str] = Field(default_factory=list)
    related: list[Relation] = Field(default_factory=list)
    source: Source | None = None
    rights: Rights | None = None
    funders: list[str] = Field(default_factory=list)
    declassification: Declassification | None = None
    status: Literal["draft", "review", "published", "withdrawn"] = "published"
    embargo_until: str | None = None
    provenance: Provenance | None = None

    def to_json(self) -> dict:
        """The record as a JSON-ready dict with every key present (DESIGN.md's record)."""
        return self.model_dump(mode="json")

    @classmethod
    def from_json(cls, data: dict) -> "Record":
        """Validate a decoded JSON object; raises pydantic.ValidationError naming the bad key."""
        return cls.model_validate(data)


class Authority(_Strict):
    """A person, organization, place or repository, with its names in any script."""

    id: Id
    kind: Literal["person", "organization", "place", "repository"]
    name: str
    abbreviation: str | None = None
    variants: list[str] = Field(default_factory=list)
    dates: str | None = None
    description: str | None = None
    external_ids: dict[str, str] = Field(default_factory=dict)

    def to_json(self) -> dict:
        return self.model_dump(mode="json")


@dataclass(frozen=True)
class Finding:
    """One value an enricher set: on which record and field, from where, and how sure it is.

    `field` is the record key (dotted below it: "source.parts.fond"); `source` names the field the
    value was read from and the character span in it, e.g. "texts[0]:120-138" or "title:0-34";
    `evidence` is the text of that span. Findings are not part of the record format: the catalog
    keeps them beside the document for curators to review (see `fonds.curation`).
    """

    record: str
    field: str
    value: Any
    source: str
    confidence: float
    enricher: str
    evidence: str = ""


class Batch(_Strict):
    """What a reader makes of one file: its documents and the authorities they link to."""

    records: list[Record] = Field(default_factory=list)
    authorities: list[Authority] = Field(default_factory=list)
    # Problems with parts of the file that were left out (a sheet's bad rows, "row 5: ..."): the
    # rest is stored, and ingest reports each problem as an error of the file.
    problems: list[str] = Field(default_factory=list)
    # What the reader read but could not map (an unknown TEI element, ...): reported once per file
    # as a warning; the records are stored all the same.
    warnings: list[str] = Field(default_factory=list)
    # What the enrichers set on the records, in order (filled by `enrich.pipeline`).
    findings: list[Finding] = Field(default_factory=list)


class ReadError(Exception):
    """A file that cannot be read. `where` is a line, element or row, when known."""

    def __init__(self, path: str, reason: str, where: str | None = None):
        self.path, self.reason, self.where = str(path), reason, where
        location = f"{self.path}:{where}" if where else self.path
        super().__init__(f"{location}: {reason}")
