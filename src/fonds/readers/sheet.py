"""Reader for metadata spreadsheets (CSV, TSV, XLSX) beside a folder of files, as archives and NARA
publish releases: one row per document, the first row naming the columns.

Columns are recognised case-insensitively by the names in COLUMNS ("Doc Date", "From Name",
"Record Num", ...), or mapped explicitly by `<sheet name>.mapping.yaml` beside the sheet:

    Release Date: parts.release_date   # a record key, `parts.<name>` (kept in source.parts) ...
    Internal Note: null                # ... or null to ignore the column

A column neither recognised nor mapped fails the whole sheet ("row 1: unknown column"), so no
data is dropped silently. The `file` column names the PDF, image or text of the row, relative to
the sheet's folder; it is read with its own reader and its text becomes the record's text, while
the sheet's values override what that reader found. Cells of list keys (authors, recipients,
people, organizations, places, topics, subjects, languages) hold several values separated by ";".

A bad row (its file missing or unreadable, a date that does not parse, a duplicate id, no title)
is left out and reported as a problem of the batch ("row 7: ..."); the good rows are stored.
The files the sheet points at, and its mapping file, belong to the sheet: `companions()` lists
them so that ingesting the folder does not also ingest them on their own.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from pathlib import Path

import openpyxl
import yaml
from openpyxl.utils.exceptions import InvalidFileException
from pydantic import ValidationError

from fonds import readers
from fonds.readers import guards
from fonds.enrich.classification import level_of
from fonds.names import authority_id
from fonds.readers.page import LANGUAGES, ORGANIZATION_WORDS
from fonds.readers.text import date_value, decode_utf8
from fonds.records import Authority, Batch, Provenance, ReadError, Record

FORMAT = "metadata-sheet"
SUFFIXES = (".csv", ".tsv", ".xlsx")
MAPPING_SUFFIX = ".mapping.yaml"
# Column names as archives write them (lowercased, punctuation as spaces) and the key each fills.
COLUMNS = {
    **dict.fromkeys(("title", "document title", "doc title"), "title"),
    **dict.fromkeys(("date", "document date", "doc date"), "date"),
    **dict.fromkeys(("author", "authors", "from", "from name", "originator"), "authors"),
    **dict.fromkeys(("recipient", "recipients", "to", "to name"), "recipients"),
    **dict.fromkeys(("type", "document type", "doc type"), "type"),
    **dict.fromkeys(("classification", "classification marking", "original classification"), "classification"),
    **dict.fromkeys(("file", "filename", "file name", "file title"), "file"),
    **dict.fromkeys(("record number", "record num", "record no", "record id", "identifier", "id"), "id"),
    **dict.fromkeys(("pages", "num pages", "number of pages", "page count"), "pages"),
    **dict.fromkeys(("comments", "comment", "notes"), "comments"),
    **dict.fromkeys(("subjects", "subject", "subjects discussed", "keywords"), "subjects"),
    **dict.fromkeys(("topics", "associated topics"), "topics"),
    **dict.fromkeys(("people", "persons"), "people"),
    **dict.fromkeys(("organizations", "organisations"), "organizations"),
    **dict.fromkeys(("places", "associated places"), "places"),
    **dict.fromkeys(("summary", "description", "abstract"), "summary"),
    **dict.fromkeys(("language", "languages"), "languages"),
    **dict.fromkeys(("citation", "source"), "citation"),
    **dict.fromkeys(("archive", "repository", "original archive"), "archive"),
    "rights": "rights",
    # NARA release sheets: kept as archival reference parts.
    "agency": "parts.agency", "record series": "parts.record_series", "file num": "parts.file_number",
    "file number": "parts.file_number", "nara release date": "parts.release_date",
    "release date": "parts.release_date", "review date": "parts.review_date",
    "formerly withheld": "parts.formerly_withheld", "pages released": "parts.pages_released",
}
KEYS = set(COLUMNS.values()) - {key for key in COLUMNS.values() if key.startswith("parts.")}
LIST_KEYS = {"authors": "person", "recipients": "person", "people": "person", "organizations": "organization",
             "places": "place", "topics": None, "subjects": None, "languages": None}
UNKNOWN = "?"  # the key of a column neither recognised nor mapped
_ACRONYM = re.compile(r"^[A-Z][A-Z&/.-]{1,9}$")  # CIA, FBI, NSC, USIA: agencies, not people
# Words of US agency names that the archive page's list of organization words lacks.
_AGENCY_WORDS = re.compile(r"\b(staff|chiefs|service|administration|command|station|division|center|centre)\b",
                           re.IGNORECASE)


def detect(path: Path, head: bytes) -> bool:
    """CSV, TSV and XLSX files, by suffix (a damaged XLSX is claimed too, to be reported as such)."""
    return path.suffix.lower() in SUFFIXES


def read(path: Path) -> Batch:
    """One record per good row; bad rows become `problems` of the batch."""
    header, rows = _table(path)
    columns = _columns(path, header, _mapping(path, header))
    batch, seen = Batch(), set()
    for number, cells in rows:
        values = _values(columns, cells)
        if not values:
            continue  # a blank row
        try:
            record, authorities, scans = _row_record(path, number, values, seen)
        except ReadError as error:
            batch.problems.append(f"row {number}: {error.reason}")
            continue
        if scans:
            batch.scans[record.id] = scans
        seen.add(record.id)
        batch.records.append(record)
        batch.authorities.extend(authorities)
    if not batch.records and not batch.problems:
        raise ReadError(path, "the sheet has no rows below its header", where="row 2")
    return batch


def companions(path: Path) -> set[Path]:
    """The files this sheet claims (resolved): its mapping file and the file of every row."""
    header, rows = _table(path)
    columns = _columns(path, header, _mapping(path, header))
    claimed = {_mapping_file(path).resolve()}
    for _number, cells in rows:
        name = _values(columns, cells).get("file")
        if name:
            claimed.add(_file_path(path, name))
    return claimed


# ---------------------------------------------------------------- the table


def _table(path: Path) -> tuple[list[str], list[tuple[int, list]]]:
    """The header row and the numbered data rows (numbered as a spreadsheet shows them: header = 1)."""
    rows = _xlsx_rows(path) if path.suffix.lower() == ".xlsx" else _csv_rows(path)
    if not rows or not any(_cell(value) for value in rows[0]):
        raise ReadError(path, "the first row must name the columns", where="row 1")
    return [_cell(value) for value in rows[0]], list(enumerate(rows[1:], start=2))


def _csv_rows(path: Path) -> list[list[str]]:
    text = decode_utf8(path, path.read_bytes())
    if path.suffix.lower() == ".tsv":
        dialect = csv.excel_tab
    else:
        try:
            dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
        except csv.Error:  # one column, or too little text to tell: plain commas
            dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        return guards.rows(path, reader)
    except csv.Error as error:
        raise ReadError(path, f"not a valid CSV file: {error}", where=f"line {reader.line_num}") from None


def _xlsx_rows(path: Path) -> list[list]:
    """The cells of the first worksheet. openpyxl parses the XML with defusedxml when it is
    installed (fonds depends on it), so entity tricks in a crafted workbook are refused."""
    guards.check_workbook(path)
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as error:
        raise ReadError(path, f"not a readable XLSX workbook: {error or type(error).__name__}") from None
    try:
        return guards.rows(path, workbook.worksheets[0].iter_rows(values_only=True))
    finally:
        workbook.close()


def _cell(value) -> str:
    """A cell as text: dates as ISO days, whole numbers without ".0", whitespace collapsed."""
    if value is None:
        return ""
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()[:10]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def _normal(name: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", name.lower()).split())


def _mapping_file(path: Path) -> Path:
    return path.with_name(path.stem + MAPPING_SUFFIX)


def _mapping(path: Path, header: list[str]) -> dict[str, str | None]:
    """The mapping file's {normalised column: key or None}; ReadError for a bad key or column."""
    file = _mapping_file(path)
    if not file.exists():
        return {}
    try:
        data = yaml.safe_load(decode_utf8(file, file.read_bytes()))
    except yaml.YAMLError as error:
        raise ReadError(file, f"not valid YAML: {error}") from None
    if not isinstance(data, dict):
        raise ReadError(file, "expected `column name: record key` lines")
    present = {_normal(name) for name in header}
    mapping = {}
    for column, key in data.items():
        if key is not None and (not isinstance(key, str) or (key not in KEYS and not re.fullmatch(r"parts\.\w+", key))):
            raise ReadError(file, f"column {column!r}: unknown record key {key!r} (known: {', '.join(sorted(KEYS))}, "
                                  "parts.<name>, or null to ignore the column)")
        if _normal(str(column)) not in present:
            raise ReadError(file, f"maps column {column!r}, which {path.name} does not have")
        mapping[_normal(str(column))] = key
    return mapping


def _columns(path: Path, header: list[str], mapping: dict[str, str | None]) -> list[str | None]:
    """The key each column fills (None: ignored); ReadError naming unknown or doubled columns."""
    keys = [_key_of(name, mapping) for name in header]
    unknown = [name for name, key in zip(header, keys) if key == UNKNOWN]
    if unknown:
        raise ReadError(path, f"unknown column{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))}: "
                              f"map {'them' if len(unknown) > 1 else 'it'} to a record key (or null to ignore) in "
                              f"{_mapping_file(path).name}", where="row 1")
    single = [key for key in keys if key and key not in LIST_KEYS]
    doubled = sorted({key for key in single if single.count(key) > 1})
    if doubled:
        raise ReadError(path, f"several columns give {', '.join(doubled)}; map all but one to null in "
                              f"{_mapping_file(path).name}", where="row 1")
    return keys


def _key_of(name: str, mapping: dict[str, str | None]) -> str | None:
    """The key a column fills: the mapping file's, else the recognised name's; a column without
    a heading is ignored, and one neither mapped nor recognised is UNKNOWN."""
    if not name:
        return None
    normal = _normal(name)
    return mapping[normal] if normal in mapping else COLUMNS.get(normal, UNKNOWN)


def _values(columns: list[str | None], cells: list) -> dict[str, str]:
    """The row's non-blank values by key; list keys from several columns are joined with ";"."""
    values: dict[str, str] = {}
    for key, cell in zip(columns, cells):
        text = _cell(cell)
        if key and text:
            values[key] = f"{values[key]}; {text}" if key in values else text
    return values


# ---------------------------------------------------------------- one row


def _row_record(path: Path, number: int, values: dict[str, str], seen: set[str]) -> tuple[Record, list[Authority], list[str]]:
    """The record of one row: its file's record (if any) with the sheet's values over it, and the
    page images its file's reader made."""
    base, scans = _file_record(path, values["file"]) if values.get("file") else (None, [])
    data = base.to_json() if base else {}
    authorities: list[Authority] = []
    data.update(_fields(path, values, authorities))
    data["id"] = values.get("id") or (Path(values["file"]).stem if values.get("file") else f"{path.stem}-row-{number}")
    if data["id"] in seen:
        raise ReadError(path, f"record id {data['id']!r} was already used by an earlier row")
    if not data.get("title"):
        raise ReadError(path, "no title: give a title column or a file to read it from")
    data["source"] = _source(base, values)
    data["provenance"] = Provenance(format=FORMAT, file=str(path)).model_dump()
    try:
        return Record.model_validate(data), authorities, scans
    except ValidationError as error:
        problem = error.errors()[0]
        raise ReadError(path, f"{'.'.join(map(str, problem['loc']))}: {problem['msg']}") from None


def _file_path(path: Path, name: str) -> Path:
    """The row's file, relative to the sheet's folder (Windows separators accepted)."""
    return (path.parent / name.replace("\\", "/")).resolve()


def _file_record(path: Path, name: str) -> tuple[Record, list[str]]:
    """The one record the row's file yields, read by the reader its content calls for, and its scans."""
    target = _file_path(path, name)
    if not target.is_relative_to(path.parent.resolve()):
        raise ReadError(path, f"file {name!r} is outside the sheet's folder")
    if not target.is_file():
        raise ReadError(path, f"file {name!r} not found in {path.parent}")
    try:
        reader = readers.reader_for(target)
        if reader.FORMAT == FORMAT:
            raise ReadError(target, "it is another sheet")
        batch = reader.read(target)
    except ReadError as error:
        raise ReadError(path, f"file {name!r}: {error.reason}" + (f" ({error.where})" if error.where else "")) from None
    if len(batch.records) != 1:
        raise ReadError(path, f"file {name!r} holds {len(batch.records)} documents; a row describes one")
    return batch.records[0], next(iter(batch.scans.values()), [])


def _fields(path: Path, values: dict[str, str], authorities: list[Authority]) -> dict:
    """The record keys the row's cells give, as JSON-shaped values."""
    fields: dict = {key: values[key] for key in ("title", "type", "summary") if key in values}
    if "date" in values:
        fields["date"] = date_value(path, values["date"], label="date").model_dump()
    if "classification" in values:
        fields["classification"] = {"marking": values["classification"], "level": level_of(values["classification"])}
    if "rights" in values:
        fields["rights"] = {"statement": values["rights"], "uri": None}
    for key, kind in LIST_KEYS.items():
        if key in values:
            items = [item.strip() for item in re.split(r"[;\n]", values[key]) if item.strip()]
            fields[key] = _links(items, kind, authorities) if kind else _list_values(key, items)
    return fields


def _list_values(key: str, items: list[str]) -> list[str]:
    """Topics and subjects as written; language names ("Russian") as ISO 639-1 codes."""
    return [LANGUAGES.get(item.lower(), item.lower()) for item in items] if key == "languages" else items


def _links(names: list[str], kind: str, authorities: list[Authority]) -> list[dict]:
    """Links to authorities; an author or recipient that looks like an agency is an organization."""
    out = []
    for name in names:
        agency = ORGANIZATION_WORDS.search(name) or _AGENCY_WORDS.search(name) or _ACRONYM.match(name)
        own_kind = "organization" if kind == "person" and agency else kind
        authorities.append(Authority(id=authority_id(name), kind=own_kind, name=name))
        out.append({"id": authority_id(name), "name": name})
    return out


def _source(base: Record | None, values: dict[str, str]) -> dict | None:
    """The file reader's source (page count, OCR confidence, page images) with the sheet's over it."""
    source = base.source.model_dump() if base and base.source else {"citation": None, "repository": None, "parts": {}}
    parts = source["parts"]
    parts.update({key[len("parts."):]: value for key, value in values.items() if key.startswith("parts.")})
    parts.update({key: values[key] for key in ("file", "pages", "comments") if key in values})
    if "citation" in values:
        source["citation"] = values["citation"]
    if "archive" in values:
        source["repository"] = {"id": None, "name": values["archive"], "abbreviation": None}
    return source if parts or source["citation"] or source["repository"] else None
