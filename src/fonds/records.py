"""The plain record types of fonds: one document record and the authority records it links to.

These are the interchange format of DESIGN.md ("The record"). Readers produce them, enrichers
refine them, the catalog stores them and `fonds export` writes them back out. They are pydantic
models so that JSON read from outside is validated with messages that name the offending key,
and so that `to_json()` / `from_json()` round-trip exactly. Nothing here imports Django.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

import edtf
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

STATUSES = ("draft", "review", "published", "withdrawn")
TEXT_KINDS = ("original", "transcription", "translation")
AUTHORITY_KINDS = ("person", "organization", "place", "repository")


# Ids appear in URLs, in keys of the catalog and in folder names of the media: letters and digits of
# any script and punctuation that is safe in a URL path. Never a path separator, a URL delimiter
# (? # %), a control character, or only dots; anything else is refused at the door rather than
# stored unreachable.
ID_CHARACTERS = r"\w.\-:~+()\[\],;@!$'*= "
_ID = re.compile(rf"[{ID_CHARACTERS}]+")


def _safe_id(value: str) -> str:
    if not _ID.fullmatch(value) or not value.strip("."):
        bad = sorted({ch for ch in value if not _ID.fullmatch(ch)})
        reason = f"characters {' '.join(map(repr, bad))} are not allowed" if bad else "it is only dots"
        raise ValueError(f"{value!r} is not a usable id: {reason} "
                         "(ids are letters, digits, spaces and . _ - : ~ + ( ) [ ] , ; @ ! $ ' * =)")
    return value


Id = Annotated[str, StringConstraints(min_length=1, max_length=160, strip_whitespace=True), AfterValidator(_safe_id)]


class _Strict(BaseModel):
    """Base: unknown keys are an error, so a typo in an input file is reported, not dropped."""

    model_config = ConfigDict(extra="forbid")


class Link(_Strict):
    """A reference from a document to an authority record."""

    id: Id
    name: str


class DateValue(_Strict):
    """A document date: EDTF plus the display form and the earliest/latest day it can mean.

    `edtf` must be a valid EDTF string and `min`/`max` real days (YYYY-MM-DD), `min` not after `max`.
    """

    edtf: str
    display: str | None = None
    min: str | None = None
    max: str | None = None

    @field_validator("edtf")
    @classmethod
    def _valid_edtf(cls, value: str) -> str:
        problem = edtf_problem(value)
        if problem:
            raise ValueError(f"{value!r} is not an EDTF date: {problem}")
        return value

    @field_validator("min", "max")
    @classmethod
    def _valid_day(cls, value: str | None) -> str | None:
        return None if value is None else iso_day(value)

    @model_validator(mode="after")
    def _ordered(self) -> "DateValue":
        if self.min and self.max and self.min > self.max:
            raise ValueError(f"min {self.min} is after max {self.max}")
        return self


_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
# Plain ISO forms (year, month, day, day and time, with an EDTF qualifier) are checked here; the
# edtf library's grammar costs ~15 ms a call, too slow for every date of a 30,000-document ingest.
_PLAIN = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2})"
                    r"(?:T([01]\d|2[0-3]):[0-5]\d(?::[0-5]\d)?(?:Z|[+-]\d{2}:?\d{2})?)?)?)?[?~%]?")


def iso_day(value: str) -> str:
    """`value` if it is a real day written YYYY-MM-DD, else ValueError saying why."""
    if not _DAY.fullmatch(value):
        raise ValueError(f"{value!r} is not a day written YYYY-MM-DD")
    try:
        date.fromisoformat(value)
    except ValueError as error:
        raise ValueError(f"{value!r} is not a real day ({error})") from None
    return value


def edtf_problem(value: str) -> str | None:
    """Why `value` is not valid EDTF (level 0-2), or None when it is."""
    ends = value.split("/")
    if len(ends) == 2 and all(end == ".." or _plain_bounds(end) for end in ends) and ends != ["..", ".."]:
        low, high = (_plain_bounds(end) for end in ends)
        if low and high and low[0] > high[1]:
            return "the interval ends before it starts"
        return None
    if len(ends) == 1 and _plain_bounds(value):
        return None
    return None if _library_accepts(value) else "write 1959, 1959-12, 1959-12-14, 1959-12~ or 1959-12-14/1959-12-18"


def _plain_bounds(value: str) -> tuple[date, date] | None:
    """First and last day of a plain ISO form, or None when `value` is not one (or not a real date)."""
    match = _PLAIN.fullmatch(value)
    if not match:
        return None
    year, month, day = int(match.group(1)), match.group(2), match.group(3)
    try:
        if day:
            return date(year, int(month), int(day)), date(year, int(month), int(day))
        if month:
            last = calendar.monthrange(year, int(month))[1]
            return date(year, int(month), 1), date(year, int(month), last)
        return date(year, 1, 1), date(year, 12, 31)
    except ValueError:
        return None


@lru_cache(maxsize=4096)
def _library_accepts(value: str) -> bool:
    try:
        edtf.parse_edtf(value)
    except Exception:  # the library raises its own exception types, and others on odd input
        return False
    return True


class Classification(_Strict):
    """The classification marking as written on the original, and its normalised level."""

    marking: str
    level: str | None = None


class Note(_Strict):
    """A footnote of a text layer: its number as printed, where its mark stands in the body (a
    character offset, so the body stays the plain text that is searched) and its text."""

    n: str
    at: int = Field(ge=0)
    body: str


class Text(_Strict):
    """One text layer of a document: the original, a transcription or a translation."""

    kind: Literal["original", "transcription", "translation"]
    language: str | None = None
    body: str
    translator: str | None = None
    notes: list[Note] = Field(default_factory=list)

    @model_validator(mode="after")
    def _notes_inside(self) -> "Text":
        for note in self.notes:
            if note.at > len(self.body):
                raise ValueError(f"note {note.n!r} is placed at character {note.at}, after the end of the body "
                                 f"({len(self.body)} characters)")
        return self


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
    """Where the original is held: the citation as written and its parsed parts.

    `parts["page_images"]` lists the document's page images relative to the archive's media
    folder; a path that could leave that folder (absolute, or with a `..` step) is refused, since
    nothing read from a file may name a file elsewhere.
    """

    citation: str | None = None
    repository: Repository | None = None
    parts: dict[str, str] = Field(default_factory=dict)

    @field_validator("parts")
    @classmethod
    def _media_relative(cls, parts: dict[str, str]) -> dict[str, str]:
        for name in filter(None, parts.get("page_images", "").split(",")):
            steps = name.replace("\\", "/").split("/")
            if name.startswith(("/", "\\")) or ":" in steps[0] or ".." in steps:
                raise ValueError(f"page_images: {name!r} is not a path inside the media folder")
        return parts


class Rights(_Strict):
    """The rights statement and its URI (http or https only, so it is safe as a link)."""

    statement: str | None = None
    uri: str | None = None

    @field_validator("uri")
    @classmethod
    def _web_uri(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parts = urlsplit(value.strip())
        if parts.scheme.lower() not in ("http", "https") or not parts.netloc or any(ch.isspace() for ch in value.strip()):
            raise ValueError(f"{value!r} is not an http or https URI")
        return value.strip()


# A day, month or year as ISO 8601 writes it (review and release dates of declassification).
def _real_iso(value: str) -> str:
    if _plain_bounds(value) is None:
        raise ValueError(f"{value!r} is not a real day, month or year")
    return value


IsoDay = Annotated[str, StringConstraints(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$"), AfterValidator(_real_iso)]
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
    # None: the source does not say; the catalog keeps a document's status, and gives a new one the
    # `ingest_status` setting.
    status: Literal["draft", "review", "published", "withdrawn"] | None = None
    embargo_until: str | None = None
    provenance: Provenance | None = None

    @field_validator("embargo_until")
    @classmethod
    def _embargo_day(cls, value: str | None) -> str | None:
        # A value that is not a day would otherwise be dropped and the document published at once.
        return None if value is None or not value.strip() else iso_day(value.strip())

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
    # Authority ids a reader made from a name alone where its format can also give ids (JSON Lines):
    # only these links are looked up among the archive's authorities, the others are kept as given.
    named: list[str] = Field(default_factory=list)
    # What the enrichers set on the records, in order (filled by `enrich.pipeline`).
    findings: list[Finding] = Field(default_factory=list)
    # Page images a reader made (scans rendered or decoded for OCR), by record id: files in a
    # temporary folder of the reader's own, which ingest moves into the media folder once the
    # record is stored. Only readers fill this; nothing read from a file can name a path here.
    scans: dict[str, list[str]] = Field(default_factory=dict)


class ReadError(Exception):
    """A file that cannot be read. `where` is a line, element or row, when known."""

    def __init__(self, path: str, reason: str, where: str | None = None):
        self.path, self.reason, self.where = str(path), reason, where
        location = f"{self.path}:{where}" if where else self.path
        super().__init__(f"{location}: {reason}")
