"""Reader for plain text (`.txt`) and Markdown (`.md`) documents, with optional YAML front matter.

One file is one record. The front matter, between a first line `---` and a closing `---` (or
`...`), uses the record's keys:

    ---
    id: cia-1959-0042
    title: Memorandum for the Director
    date: 14 December 1959          # EDTF (1959-12-14, 1959-12~, 1959-12-14/1959-12-18) or written
    type: Memorandum
    classification: Top Secret      # or {marking: ..., level: ...}
    languages: [en]
    kind: original                  # the text layer: original | transcription | translation
    translator: null
    authors: [Allen W. Dulles]      # names, or {id: ..., name: ...}; so are recipients, people,
    places: [{id: moscow, name: Moscow}]   # organizations and places
    topics: [Berlin Crisis]
    subjects: [Disarmament]
    summary: One paragraph.
    source: RGANI, f. 3, op. 12     # the citation, or {citation, repository, parts}
    archive: Russian State Archive of Contemporary History   # the source's repository name
    rights: Public domain           # or {statement, uri}
    ---

Title: front matter, else the first Markdown heading (`# ...`), else the first line. Id: front
matter, else the file name without suffix. The text layer is everything after the front matter,
as written. An unknown key is an error naming it, as everywhere in fonds.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import yaml
from pydantic import ValidationError

from fonds.enrich import dates
from fonds.enrich.classification import level_of
from fonds.names import authority_id
from fonds.readers import guards
from fonds.records import (Authority, Batch, Classification, DateValue, Link, Provenance, ReadError, Record,
                           Repository, Rights, Source)

FORMAT = "text"
SUFFIXES = (".txt", ".text", ".md", ".markdown")
MAX_FRONT_MATTER = 64 * 1024  # bytes; a longer header is a mistake (or an attack on the YAML parser)
LINK_KEYS = {"authors": "person", "recipients": "person", "people": "person", "organizations": "organization",
             "places": "place"}
LIST_KEYS = ("topics", "subjects", "funders", "languages")
STRING_KEYS = ("id", "title", "type", "summary", "teaser", "status", "embargo_until", "translator", "kind", "archive")
KEYS = {"date", "classification", "source", "rights", *LINK_KEYS, *LIST_KEYS, *STRING_KEYS}
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$")
_FENCE = re.compile(r"^(---|\.\.\.)\s*$")


def detect(path: Path, head: bytes) -> bool:
    """Text and Markdown files by suffix (archive pages are claimed first, by their panels)."""
    return path.suffix.lower() in SUFFIXES


def read(path: Path) -> Batch:
    """Read one text or Markdown file into a one-record batch."""
    text = decode_utf8(path, path.read_bytes())
    meta, body, body_line = split_front_matter(path, text)
    if not body.strip():
        raise ReadError(path, "the file has no text" + (" after its front matter" if meta else ""), where=f"line {body_line}")
    return record_from(path, meta, body)


def decode_utf8(path: Path, data: bytes) -> str:
    """The file's text; ReadError naming the line and the first byte that is not UTF-8."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ReadError(path, f"not UTF-8 text (byte {data[error.start]:#04x} at offset {error.start}); "
                              "save the file as UTF-8", where=f"line {line}") from None


def split_front_matter(path: Path, text: str) -> tuple[dict, str, int]:
    """(front matter mapping, body, the body's first line number); no front matter gives {}."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return {}, text, 1
    end = next((i for i, line in enumerate(lines[1:], start=1) if _FENCE.match(line)), None)
    if end is None:
        raise ReadError(path, "front matter opened with --- is never closed (--- or ...)", where="line 1")
    header = "\n".join(lines[1:end])
    if len(header.encode()) > MAX_FRONT_MATTER:
        raise ReadError(path, f"front matter longer than {MAX_FRONT_MATTER // 1024} KB", where="line 1")
    try:
        guards.check_yaml_nesting(path, header, first_line=2)
        meta = yaml.safe_load(header) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 2}" if mark else "line 1"  # +1 for 0-based, +1 for the opening ---
        raise ReadError(path, f"front matter is not valid YAML: {getattr(error, 'problem', None) or error}", where=where) from None
    if not isinstance(meta, dict):
        raise ReadError(path, "front matter must be key: value lines", where="line 2")
    _check_keys(path, meta, lines[1:end])
    return meta, "\n".join(lines[end + 1:]), end + 2


def _check_keys(path: Path, meta: dict, header_lines: list[str]) -> None:
    for key in meta:
        if key not in KEYS:
            line = next((n for n, text in enumerate(header_lines, start=2) if text.startswith(f"{key}:")), 2)
            raise ReadError(path, f"unknown front matter key {key!r} (known: {', '.join(sorted(KEYS))})", where=f"line {line}")


def record_from(path: Path, meta: dict, body: str) -> Batch:
    """The record of one text: front matter values over the defaults (title from the text, id
    from the file name). Values of the wrong shape raise ReadError naming the key."""
    authorities: list[Authority] = []
    fields: dict = {key: _string(path, meta, key) for key in ("type", "summary", "teaser", "status", "embargo_until")
                    if meta.get(key) is not None}
    for key, kind in LINK_KEYS.items():
        fields[key] = links(path, meta, key, kind, authorities)
    for key in LIST_KEYS:
        fields[key] = _strings(path, meta, key)
    language = fields["languages"][0] if fields["languages"] else None
    text = {"kind": _string(path, meta, "kind") or "original", "language": language, "body": body.strip("\n"),
            "translator": _string(path, meta, "translator")}
    record = _model(path, "front matter", Record, dict(
        id=_string(path, meta, "id") or path.stem,
        title=_string(path, meta, "title") or title_of(body) or path.stem,
        date=date_value(path, meta.get("date")), classification=_classification(path, meta.get("classification")),
        texts=[text], source=_source(path, meta), rights=_rights(path, meta.get("rights")),
        provenance=Provenance(format=FORMAT, file=str(path)), **fields))
    return Batch(records=[record], authorities=authorities)


def title_of(body: str) -> str | None:
    """The first Markdown heading, else the first non-blank line."""
    lines = [line.strip() for line in body.splitlines() if line.strip()]
    headings = (match.group(1) for line in lines if (match := _HEADING.match(line)))
    title = next(headings, None) or (lines[0] if lines else None)
    return title[:300] if title else None


def date_value(path: Path, value, label: str = "date") -> DateValue | None:
    """A front matter date: EDTF, a written or numeric date ("14 December 1959", "12/14/1959") or a
    YAML date; a placeholder ("00/00/1963") is read for what it can mean (`dates.from_field`)."""
    if value is None or value == "":
        return None
    if isinstance(value, (datetime.date, datetime.datetime)):
        value = value.isoformat()[:10]
    try:
        return dates.from_field(str(value)).value
    except ValueError as error:
        raise ReadError(path, f"{label}: {error}") from None


def links(path: Path, meta: dict, key: str, kind: str, authorities: list[Authority]) -> list[Link]:
    """Links for names or {id, name} mappings; each also becomes an authority of `kind`."""
    out = []
    for item in _list(meta.get(key)):
        if isinstance(item, dict) and isinstance(item.get("name"), str) and set(item) <= {"id", "name"}:
            name, ident = item["name"].strip(), str(item.get("id") or authority_id(item["name"]))
        elif isinstance(item, str) and item.strip():
            name, ident = item.strip(), authority_id(item)
        else:
            raise ReadError(path, f"{key}: each entry must be a name or {{id, name}}, found {item!r}")
        authorities.append(Authority(id=ident, kind=kind, name=name))
        out.append(Link(id=ident, name=name))
    return out


def _list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _string(path: Path, meta: dict, key: str) -> str | None:
    value = meta.get(key)
    if value is None:
        return None
    if isinstance(value, (dict, list)):
        raise ReadError(path, f"{key}: expected a single value, found {value!r}")
    return str(value).strip() or None


def _strings(path: Path, meta: dict, key: str) -> list[str]:
    values = _list(meta.get(key))
    if any(isinstance(value, (dict, list)) for value in values):
        raise ReadError(path, f"{key}: expected a list of words or names, found {meta[key]!r}")
    return [str(value).strip() for value in values if str(value).strip()]


def _classification(path: Path, value) -> Classification | None:
    if value is None:
        return None
    if isinstance(value, dict):
        return _model(path, "classification", Classification, value)
    return Classification(marking=str(value), level=level_of(str(value)))


def _rights(path: Path, value) -> Rights | None:
    if value is None:
        return None
    return _model(path, "rights", Rights, value) if isinstance(value, dict) else Rights(statement=str(value))


def _source(path: Path, meta: dict) -> Source | None:
    value, archive = meta.get("source"), _string(path, meta, "archive")
    if value is None and archive is None:
        return None
    source = _model(path, "source", Source, value) if isinstance(value, dict) else Source(citation=_string(path, meta, "source"))
    if archive:
        source.repository = Repository(name=archive)
    return source


def _model(path: Path, key: str, model, value: dict):
    """Validate a nested mapping, turning pydantic's error into a ReadError naming the key."""
    try:
        return model.model_validate(value)
    except ValidationError as error:
        problem = error.errors()[0]
        raise ReadError(path, f"{key}: {'.'.join(map(str, problem['loc']))}: {problem['msg']}") from None
