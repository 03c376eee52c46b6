"""The plain record types of fonds: one document record and the authority records it links to.

These are the interchange format of DESIGN.md ("The record"). Readers produce them, enrichers
refine them, the catalog stores them and `fonds export` writes them back out. They are pydantic
models so that JSON read from outside is validated with messages that name the offending key,
and so that `to_json()` / `from_json()` round-trip exactly. Nothing here imports Django.
"""

from __future__ import annotations

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
    # None: the source does not say; the catalog keeps a document's status, and gives a new one the
    # `ingest_status` setting.
    status: Literal["draft", "review", "published", "withdrawn"] | None = None
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
    # What the enrichers set on the records, in order (filled by `enrich.pipeline`).
    findings: list[Finding] = Field(default_factory=list)


class ReadError(Exception):
    """A file that cannot be read. `where` is a line, element or row, when known."""

    def __init__(self, path: str, reason: str, where: str | None = None):
        self.path, self.reason, self.where = str(path), reason, where
        location = f"{self.path}:{where}" if where else self.path
        super().__init__(f"{location}: {reason}")
