"""The archive page layout: a document page of a digital archive saved as plain text.

Layout (see ../shared/corpus/seed/): a teaser (one paragraph or several), the date, the title, an
optional funder credit ("This document was made possible with support from ..."), the document
text, a one-line summary, then metadata panels, each a heading followed by its values one per
line, and last the rights statement. The date line is the first line that is a date (or
"Undated"); the teaser is everything before it and the title the line after it. The summary is
the last line before the first panel heading; everything between the credit (or the title) and
the summary is the text.

A file is an archive page only when at least two panel headings stand on lines of their own,
spelled as the page prints them and in the page's order; a text that merely has a line "SOURCE"
or "Rights" somewhere (an OCR'd memorandum) is plain text. The text is an original in the
language it is written in, unless the Language panel names other languages: then it is a
translation of them. Panel values are taken as given; enrichers do not replace them.
"""

from __future__ import annotations

import re
from pathlib import Path

from fonds.enrich import dates
from fonds.enrich.classification import level_of
from fonds.enrich.languages import detected_language
from fonds.names import authority_id, clean
from fonds.records import (Authority, Batch, Classification, Link, Provenance, ReadError, Record, Relation, Repository,
                           Rights, Source, Text)

FORMAT = "archive-page"
SUFFIXES = (".txt", ".text")
FUNDER_PREFIX = "This document was made possible with support from"
# Headings that make a .txt an archive page: two, since a plain letter may have one line
# that happens to read "Source" or "Rights".
MIN_PANELS = 2
MAX_PANEL_LINES = 60  # lines of values a panel may have; headings further apart are not a page's panels

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
# The headings as pages print them (case matters: an OCR'd "SOURCE" or "source" is no heading).
PRINTED = {"Author(s)", "Authors", "Associated People & Organizations", "Associated People and Organizations",
           "Associated Places", "Associated Topics", "Subjects Discussed", "Related Documents", "Document Information",
           "Source", "Original Archive", "Original Classification", "Language", "Languages", "Record ID", "Rights"}
UNDATED = ("undated", "n.d.", "no date")
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
    """The panel key of a heading line as the page prints it ("Associated Places", "Author(s):"), or None."""
    key = line.strip().rstrip(":").strip()
    return key.lower() if key in PRINTED else None


def _first_panel(lines: list[str]) -> int | None:
    """Where the panels begin: the first of at least MIN_PANELS headings on lines of their own, each
    once, in the page's order and close together (up to "Rights", after which the rights statement
    follows), with the panels last on the page."""
    order = list(PANELS)
    found: list[tuple[int, int]] = []  # (line number, place in the page's order)
    for number, line in enumerate(lines):
        key = _heading(line)
        if key is None:
            continue
        place = order.index(key)
        if found and (place <= found[-1][1] or number - found[-1][0] > MAX_PANEL_LINES):
            return None  # out of order, repeated or far apart: not the panels of a page
        found.append((number, place))
        if PANELS[key] == "rights":
            break
    if len(found) < MIN_PANELS or (PANELS[order[found[-1][1]]] != "rights" and len(lines) - found[-1][0] > MAX_PANEL_LINES):
        return None
    return found[0][0]


def _date_line(lines: list[str], first_panel: int) -> int | None:
    """The line that is the document's date (or "Undated"), with a title, text and summary after it."""
    return next((i for i, line in enumerate(lines[:first_panel - 3]) if _date_or_undated(line)), None)


def detect(path: Path, head: bytes) -> bool:
    """Text files whose panel headings stand on their own lines in the page's order; other text
    files are plain text (`fonds.readers.text`). The panels end a page, so the whole file is looked at."""
    if path.suffix.lower() not in SUFFIXES:
        return False
    lines = [line.strip() for line in path.read_bytes().decode("utf-8", "replace").splitlines() if line.strip()]
    first_panel = _first_panel(lines)
    return first_panel is not None and _date_line(lines, first_panel) is not None


def read(path: Path) -> Batch:
    """Read one archive page into a one-record batch."""
    lines = _lines(path)
    first_panel = _first_panel(lines)
    if first_panel is None:
        raise ReadError(path, "no metadata panel headings (Author(s), Associated Places, ..., Rights, on lines of their "
                              "own and in that order) found: not an archive page")
    date_line = _date_line(lines, first_panel)
    if date_line is None:
        raise ReadError(path, "no date line: expected a line that is the document's date (or 'Undated') after the "
                              "teaser, followed by the title, the text and a summary", where="line 2")
    teaser, title = "\n\n".join(lines[:date_line]) or None, lines[date_line + 1]
    date = dates.from_text(lines[date_line])
    body_start = date_line + 2
    funders = []
    if lines[body_start].startswith(FUNDER_PREFIX):
        funders = [_funder(lines[body_start])]
        body_start += 1
    body, summary = lines[body_start:first_panel - 1], lines[first_panel - 1]
    if not body:
        raise ReadError(path, "the page has no document text between the title and the summary", where=f"line {body_start + 1}")
    panels = _panels(lines[first_panel:])
    return _record(path, teaser=teaser, date=date, title=title, funders=funders, body="\n".join(body), summary=summary, panels=panels)


def _date_or_undated(line: str) -> bool:
    return line.strip().lower() in UNDATED or dates.from_text(line) is not None


def _lines(path: Path) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        line = path.read_bytes()[: error.start].count(b"\n") + 1
        raise ReadError(path, f"not UTF-8 text (byte {error.object[error.start]:#04x} at offset {error.start})", where=f"line {line}") from None
    return [clean(line) for line in text.splitlines() if line.strip()]


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
    languages = [LANGUAGES.get(v.lower(), v.lower()) for v in panels.get("language", [])]
    language = detected_language(body)
    kind = "translation" if languages and language and language not in languages else "original"
    record = Record(
        id=record_id, title=title, date=date, teaser=teaser, summary=summary,
        texts=[Text(kind=kind, language=language, body=body)],
        authors=links(panels.get("authors", []), "person"),
        people=links(people, "person"), organizations=links(orgs, "organization"),
        places=links(panels.get("places", []), "place"),
        topics=panels.get("topics", []), subjects=panels.get("subjects", []),
        related=[Relation(title=t, relation="related", source="curated") for t in panels.get("related", [])],
        languages=languages,
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
