"""The archive page layout: a document page of a digital archive saved as plain text.

Layout (see ../shared/corpus/seed/): a one-line teaser, the date, the title, an optional funder
credit ("This document was made possible with support from ..."), the document text, a one-line
summary, then metadata panels, each a heading followed by its values one per line, and last the
rights statement. The summary is the last line before the first panel heading; everything
between the credit (or the title) and the summary is the text.
"""

from __future__ import annotations

import re
from pathlib import Path

from fonds.enrich import dates
from fonds.enrich.classification import level_of
from fonds.names import authority_id, clean
from fonds.records import (Authority, Batch, Classification, Link, Provenance, ReadError, Record, Relation, Repository,
                           Rights, Source, Text)

FORMAT = "archive-page"
SUFFIXES = (".txt", ".text")
FUNDER_PREFIX = "This document was made possible with support from"
# Headings that make a .txt an archive page: two, since a plain letter may have one line
# that happens to read "Source" or "Rights".
MIN_PANELS = 2

# Panel headings as the page prints them, and the record key each fills. "Document Information"
# only groups the panels after it; "Rights" is last and followed by the rights statement.
PANELS = {
    "author(s)": "authors",
    "authors": "authors",
    "associated people & organizations": "associated",
    "associated people and organizations": "associated",
    "associated places": "places",
    "associated topics": "topics",
    "subjects discussed": "subjects",
    "related documents": "related",
    "document information": None,
    "source": "source",
    "original archive": "archive",
    "original classification": "classification",
    "language": "language",
    "languages": "language",
    "record id": "record_id",
    "rights": "rights",
}
LANGUAGES = {"english": "en", "russian": "ru", "german": "de", "french": "fr", "chinese": "zh", "polish": "pl",
             "czech": "cs", "hungarian": "hu", "romanian": "ro", "bulgarian": "bg", "spanish": "es", "korean": "ko",
             "japanese": "ja", "vietnamese": "vi", "mongolian": "mn", "ukrainian": "uk", "serbian": "sr", "italian": "it",
             "portuguese": "pt", "arabic": "ar", "persian": "fa", "hebrew": "he", "albanian": "sq", "slovak": "sk"}
# Words that make an "Associated People & Organizations" value an organization, not a person.
ORGANIZATION_WORDS = re.compile(
    r"\b(committee|ministry|party|council|department|presidium|agency|embassy|government|union|office|bureau|"
    r"commission|army|navy|institute|organization|organisation|politburo|secretariat|nations|front|league|congress)\b",
    re.IGNORECASE)


def _heading(line: str) -> str | None:
    """The panel key of a heading line, or None if the line is not a heading."""
    key = line.strip().rstrip(":").strip().lower()
    return key if key in PANELS else None


def detect(path: Path, head: bytes) -> bool:
    """Text files with at least MIN_PANELS panel headings; other text files are plain text
    (`fonds.readers.text`). The panels end a page, so the whole file is looked at, not `head`."""
    if path.suffix.lower() not in SUFFIXES:
        return False
    lines = path.read_bytes().decode("utf-8", "replace").splitlines()
    return len({_heading(line) for line in lines} - {None}) >= MIN_PANELS


def read(path: Path) -> Batch:
    """Read one archive page into a one-record batch."""
    lines = _lines(path)
    first_panel = next((i for i, line in enumerate(lines) if _heading(line)), None)
    if first_panel is None:
        raise ReadError(path, "no metadata panel headings (Author(s), Associated Places, ..., Rights) found: "
                              "not an archive page")
    if first_panel < 4:
        raise ReadError(path, "expected a teaser, a date, a title and the text before the panels", where=f"line {first_panel + 1}")
    teaser, date_line, title = lines[0], lines[1], lines[2]
    date = dates.from_text(date_line) or _undated(path, date_line)
    body_start = 3
    funders = []
    if lines[3].startswith(FUNDER_PREFIX):
        funders = [_funder(lines[3])]
        body_start = 4
    body, summary = lines[body_start:first_panel - 1], lines[first_panel - 1]
    if not body:
        raise ReadError(path, "the page has no document text between the title and the summary", where=f"line {body_start + 1}")
    panels = _panels(lines[first_panel:])
    return _record(path, teaser=teaser, date=date, title=title, funders=funders, body="\n".join(body), summary=summary, panels=panels)


def _lines(path: Path) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        line = path.read_bytes()[: error.start].count(b"\n") + 1
        raise ReadError(path, f"not UTF-8 text (byte {error.object[error.start]:#04x} at offset {error.start})", where=f"line {line}") from None
    return [clean(line) for line in text.splitlines() if line.strip()]


def _undated(path: Path, line: str):
    if line.strip().lower() in ("undated", "n.d.", "no date"):
        return None
    raise ReadError(path, f"the second line should be the document date, found {line[:60]!r}", where="line 2")


def _funder(line: str) -> str:
    return line[len(FUNDER_PREFIX):].strip().rstrip(".")


def _panels(lines: list[str]) -> dict[str, list[str]]:
    """Values under each panel heading; everything after "Rights" is the rights statement."""
    panels: dict[str, list[str]] = {}
    current = None
    for line in lines:
        key = _heading(line) if current != "rights" else None
        if key:
            current = PANELS[key]
            if current:
                panels.setdefault(current, [])
        elif current:
            panels[current].append(line)
    return panels


def _record(path: Path, *, teaser, date, title, funders, body, summary, panels) -> Batch:
    authorities: list[Authority] = []

    def links(names: list[str], kind: str) -> list[Link]:
        out = []
        for name in names:
            authorities.append(Authority(id=authority_id(name), kind=kind, name=name))
            out.append(Link(id=authority_id(name), name=name))
        return out

    associated = panels.get("associated", [])
    orgs = [n for n in associated if ORGANIZATION_WORDS.search(n)]
    people = [n for n in associated if n not in orgs]
    record_id = (panels.get("record_id") or [path.stem])[0]
    record = Record(
        id=record_id, title=title, date=date, teaser=teaser, summary=summary,
        texts=[Text(kind="translation", language="en", body=body)],
        authors=links(panels.get("authors", []), "person"),
        people=links(people, "person"), organizations=links(orgs, "organization"),
        places=links(panels.get("places", []), "place"),
        topics=panels.get("topics", []), subjects=panels.get("subjects", []),
        related=[Relation(title=t, relation="related", source="curated") for t in panels.get("related", [])],
        languages=[LANGUAGES.get(v.lower(), v.lower()) for v in panels.get("language", [])],
        classification=_classification(panels.get("classification")),
        source=_source(panels),
        rights=Rights(statement="\n".join(panels["rights"])) if panels.get("rights") else None,
        funders=funders,
        provenance=Provenance(format=FORMAT, file=str(path)),
    )
    return Batch(records=[record], authorities=authorities)


def _classification(values: list[str] | None) -> Classification | None:
    if not values:
        return None
    return Classification(marking=values[0], level=level_of(values[0]))


def _source(panels: dict[str, list[str]]) -> Source | None:
    citation = " ".join(panels.get("source", [])) or None
    archive = panels.get("archive", [])
    if not citation and not archive:
        return None
    return Source(citation=citation, repository=Repository(name=archive[0]) if archive else None)
