"""A record as a CSL-JSON item: the one mapping every citation format here starts from.

CSL-JSON (https://citeproc-js.readthedocs.io/en/latest/csl-json/markup.html) is what citeproc-py
renders, what `cite.json` serves and what the BibTeX and RIS writers read, so the choices about
archival material are made once, here:

- type "manuscript": unpublished archival material (Zotero maps its "manuscript" item type to it;
  "document" would lose the archive fields in most styles);
- genre = the document type (Memorandum, Telegram, ...), Zotero's "Type" field;
- archive = the repository holding the original, archive_location = the archival reference
  without the repository's name repeated in front of it, publisher = the digital archive that
  publishes it (the site name), URL = the document's stable URL, accessed = the day of citing;
- a document printed in an edition (a FRUS volume: `source.parts` volume_title and document) cites
  the edition: container-title = the volume, number = "Document 7", and archive_location = the
  archival source as the edition's source note gives it (the styles then print neither the type
  nor `archive`, which the source note already names);
- author / recipient / translator from the record's links and text layers;
- issued from the EDTF date (day, month-only, year, season, approximate, uncertain, intervals);
  an undated record has no `issued`, and the styles print "n.d." themselves.

Nothing here imports Django.
"""

from __future__ import annotations

import re
from datetime import date

from fonds.records import Record

# One EDTF endpoint: year, optional month (or season 21-24) and day, optional time (FRUS
# telegrams carry one; citations name the day), optional qualifier.
_EDTF_POINT = re.compile(r"^(?P<year>-?\d{4})(?:-(?P<month>\d{2}))?(?:-(?P<day>\d{2}))?"
                         r"(?:T\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?(?P<q>[?~%]?)$")
_SEASONS = {21: 1, 22: 2, 23: 3, 24: 4}  # EDTF spring..winter -> CSL season 1..4
_NAME_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}


def to_csl(record: Record, *, url: str | None = None, publisher: str | None = None,
           accessed: date | None = None) -> dict:
    """The CSL-JSON item of a record; `url`, `publisher` and `accessed` come from where it is cited."""
    item: dict = {"id": record.id, "type": "manuscript", "title": record.title}
    names = {"author": record.authors, "recipient": record.recipients}
    for variable, links in names.items():
        if links:
            item[variable] = [csl_name(link.name) for link in links]
    translators = _translators(record)
    if translators:
        item["translator"] = [csl_name(name) for name in translators]
    issued = csl_date(record.date.edtf if record.date else None, record.date.display if record.date else None)
    if issued:
        item["issued"] = issued
    item.update(_archival_fields(record))
    _set(item, "genre", record.type)
    _set(item, "publisher", publisher)
    _set(item, "URL", url)
    if accessed:
        item["accessed"] = {"date-parts": [[accessed.year, accessed.month, accessed.day]]}
    _set(item, "language", _language(record))
    _set(item, "abstract", record.summary or record.teaser)
    if record.subjects:
        item["keyword"] = ", ".join(record.subjects)
    return item


def _set(item: dict, key: str, value: str | None) -> None:
    if value:
        item[key] = value


def _archival_fields(record: Record) -> dict:
    """archive, archive_location and (for documents printed in a volume) the volume and number."""
    source = record.source
    if source is None:
        return {}
    fields: dict = edition_fields(source.parts)
    repository = source.repository
    if repository:
        fields["archive"] = repository.name
    if fields.get("container-title") and source.citation:
        # An edition's source note names the archive in its own words ("Eisenhower Library, Whitman
        # File"): the location is cited as the edition gives it (and the styles leave `archive` out).
        fields["archive_location"] = source.citation.strip()
        return fields
    location = archive_location(source.citation, repository.name if repository else None,
                                repository.abbreviation if repository else None)
    if location:
        fields["archive_location"] = location
    return fields


def edition_fields(parts: dict[str, str]) -> dict:
    """A document printed in an edition (a FRUS volume): the volume as `container-title` and
    "Document 58" as `number`, so every style cites the edition and its document number before the
    archival source the edition gives."""
    volume, number = parts.get("volume_title"), parts.get("document")
    if not volume:
        return {}
    return {"container-title": volume, **({"number": f"Document {number}"} if number else {})}


def source_text(item: dict, archive_first: bool = False) -> str:
    """The edition (volume, document number) and the archival source of an item as one line, for
    formats with a single free-text field (BibTeX note, Dublin Core source, COinS)."""
    archival = ("archive", "archive_location") if archive_first else ("archive_location", "archive")
    if item.get("container-title"):
        archival = ("archive_location",)  # the edition's source names the archive itself
    return ", ".join(item[v] for v in ("container-title", "number", *archival) if item.get(v))


def archive_location(citation: str | None, name: str | None, abbreviation: str | None) -> str | None:
    """The archival reference without a leading repository name ("RGANI, f. 3" -> "f. 3").

    Styles print `archive` next to `archive_location`; a citation that starts with the repository's
    name would print it twice.
    """
    if not citation:
        return None
    text = citation.strip()
    for prefix in (name, abbreviation):
        if prefix and text.lower().startswith(prefix.lower()):
            rest = text[len(prefix):].lstrip(" ,;:.")
            if rest:
                return rest
    return text


def _translators(record: Record) -> list[str]:
    seen: list[str] = []
    for text in record.texts:
        if text.translator and text.translator not in seen:
            seen.append(text.translator)
    return seen


def _language(record: Record) -> str | None:
    """The original's language, else the language of the first text layer."""
    if record.languages:
        return record.languages[0]
    return next((text.language for text in record.texts if text.language), None)


def csl_name(name: str) -> dict:
    """A CSL name from an authority's sort form: "Hoover, Herbert C., Jr." -> family/given/suffix.

    A name without a comma ("Department of State", "Mao Zedong") is kept whole as a literal, since
    splitting it would guess wrong for institutions and for names written family name first.
    """
    parts = [part.strip() for part in name.split(",") if part.strip()]
    if len(parts) < 2:
        return {"literal": name.strip()}
    result = {"family": parts[0], "given": parts[1]}
    if len(parts) > 2 and parts[2].lower() in _NAME_SUFFIXES:
        result["suffix"] = parts[2]
    elif len(parts) > 2:
        result["given"] = ", ".join(parts[1:])
    return result


def csl_date(edtf: str | None, display: str | None = None) -> dict | None:
    """A CSL date from EDTF: "1959-12" -> [[1959, 12]]; "1959~" -> circa; "a/b" -> a range.

    Open interval ends ("1959/..") keep the known end; anything else EDTF can say (sets, masked
    digits) becomes a literal with the display form, so it is printed as the archive wrote it.
    """
    if not edtf:
        return None
    ends = edtf.split("/")
    if len(ends) > 2:
        return {"literal": display or edtf}
    points, qualifiers = [], set()
    for end in ends:
        if end in ("", "..") and len(ends) == 2:
            continue
        match = _EDTF_POINT.match(end)
        if not match:
            return {"literal": display or edtf}
        point, qualifier = _date_parts(match)
        points.append(point)
        qualifiers.add(qualifier)
    if not points:
        return {"literal": display or edtf}
    return _with_qualifiers({"date-parts": points}, qualifiers)


def _date_parts(match: re.Match) -> tuple[list, str]:
    parts = [int(match["year"])]
    month = int(match["month"]) if match["month"] else None
    if month in _SEASONS:
        return parts + [{"season": _SEASONS[month]}], match["q"]
    if month:
        parts.append(month)
        if match["day"]:
            parts.append(int(match["day"]))
    return parts, match["q"]


def _with_qualifiers(value: dict, qualifiers: set[str]) -> dict:
    """Seasons move to CSL's `season` key; "~" and "%" (approximate) become `circa`."""
    points = value["date-parts"]
    for point in points:
        if point and isinstance(point[-1], dict):
            value["season"] = point.pop()["season"]
    if qualifiers & {"~", "%"}:
        value["circa"] = True
    return value
