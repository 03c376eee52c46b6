"""Reader for metadata spreadsheets (CSV, TSV, XLSX) beside a folder of files, as archives and NARA
publish releases: one row per document, the first row naming the columns.

Columns are recognised case-insensitively by the names in COLUMNS ("Doc Date", "From Name",
"Record Num", ...), or mapped explicitly by `<sheet name>.mapping.yaml` beside the sheet:

    Release Date: declassification.release_date   # a record key, `parts.<name>` (kept in source.parts) ...
    Internal Note: null                           # ... or null to ignore the column

A column neither recognised nor mapped fails the whole sheet ("row 1: unknown column"), so no
data is dropped silently.

The `file` column names the PDF, image or text of the row. It is found relative to the sheet's
folder (or the folder given as `files`, `fonds ingest --files DIR`), else by its name anywhere
below that folder, case-insensitively and with any extension when only one file fits (NARA lists
`2023/104-10004-10143.pdf` where a text export has `files/2023/104-10004-10143.txt`); the folders
the row names must be the last folders of the file's path, so a re-release in `2023/08/` is never
taken for the first release in `2023/`. The file is read with its own reader and its text becomes
the record's text, while the sheet's values override what that reader found. Cells of list keys
(authors, recipients, people, organizations, places, topics, subjects, languages) hold several
values separated by ";". Senders and recipients are read by `fonds.readers.parties`: offices and
codes become organizations, withheld names withheld passages, placeholders nothing; the values
as written are kept in `source.parts` (`from`, `to`). A type column that gives a physical form
("PAPER - TEXTUAL DOCUMENT") fills `source.parts.physical_form`, not the type; a type on the
controlled list is written as the list names it ("NOTES" -> Note, "Письмо" -> Letter), any other
is kept as written in `source.parts.document_type` and the type is left to enrichment.

Ids come from the id column, else the file name. When several rows give the same id (NARA
re-released 13 records of 2023 in `2023/08/`, and lists two versions of 3 others), each of those
rows is stored under its file's path without the extension, as a slug (`2023-08-104-10105-10271`),
which stays the same on every ingest of the sheet; the number is kept in `source.parts.record_number`.

A bad row (its file missing or ambiguous, a date that does not parse, a duplicate id, no title)
is left out and reported as a problem of the batch ("row 7: ..."); the good rows are stored.
A placeholder date (01/01/0000, 00/00/1963) is read for what it can mean and reported as a
finding. The files the sheet points at, and its mapping file, belong to the sheet: `companions()`
lists them so that ingesting the folder does not also ingest them on their own.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from pathlib import Path, PurePosixPath

import openpyxl
import yaml
from openpyxl.utils.exceptions import InvalidFileException
from pydantic import ValidationError

from fonds import readers
from fonds.readers import guards
from fonds.enrich import dates, doctype
from fonds.enrich.classification import level_of
from fonds.names import authority_id, slug
from fonds.readers.page import LANGUAGES
from fonds.readers.parties import party
from fonds.readers.text import decode_utf8
from fonds.records import Authority, Batch, Finding, Provenance, ReadError, Record

FORMAT = "metadata-sheet"
SUFFIXES = (".csv", ".tsv", ".xlsx")
MAPPING_SUFFIX = ".mapping.yaml"
# Column names as archives write them (lowercased, punctuation as spaces) and the key each fills.
COLUMNS = {
    **dict.fromkeys(("title", "document title", "doc title"), "title"),
    **dict.fromkeys(("date", "document date", "doc date", "year"), "date"),
    **dict.fromkeys(("author", "authors", "from", "from name"), "authors"),
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
    **dict.fromkeys(("organizations", "organisations", "originator", "originating agency"), "organizations"),
    **dict.fromkeys(("places", "associated places"), "places"),
    **dict.fromkeys(("summary", "description", "abstract"), "summary"),
    **dict.fromkeys(("language", "languages"), "languages"),
    **dict.fromkeys(("citation", "source"), "citation"),
    **dict.fromkeys(("archive", "repository", "original archive"), "archive"),
    **dict.fromkeys(("translation", "translated"), "translation"),
    "rights": "rights",
    # Declassification (NARA release sheets).
    **dict.fromkeys(("nara release date", "release date"), "declassification.release_date"),
    **dict.fromkeys(("review date", "date of last review"), "declassification.review_date"),
    **dict.fromkeys(("formerly withheld", "release status", "current status"), "declassification.status"),
    "restrictions": "declassification.restrictions",
    # Kept as archival reference parts.
    "agency": "parts.agency", "record series": "parts.record_series", "file num": "parts.file_number",
    "file number": "parts.file_number", "pages released": "parts.pages_released", "volume": "parts.volume",
    "item": "parts.item", "physical form": "parts.physical_form",
}
KEYS = {key for key in COLUMNS.values() if not key.startswith("parts.")}
LIST_KEYS = {"authors": "person", "recipients": "person", "people": "person", "organizations": "organization",
             "places": "place", "topics": None, "subjects": None, "languages": None,
             "declassification.restrictions": None}
UNKNOWN = "?"  # the key of a column neither recognised nor mapped
# NARA's "Doc Type" mostly names the physical form, in four spellings ("PAPER - TEXTUAL DOCUMENT").
PHYSICAL_FORM = re.compile(r"^(?:paper|printed form|photo\w*|audio\w*|film|microfilm|video\w*|electronic)\b"
                           r"|textual document", re.IGNORECASE)
# A translation column's values.
YES, NO = {"1", "yes", "y", "true", "translation", "translated"}, {"0", "no", "n", "false", "original", ""}
MAX_CANDIDATES = 5  # candidate files named in an "ambiguous file" message


def detect(path: Path, head: bytes) -> bool:
    """CSV, TSV and XLSX files, by suffix (a damaged XLSX is claimed too, to be reported as such)."""
    return path.suffix.lower() in SUFFIXES


def read(path: Path, files: Path | None = None) -> Batch:
    """One record per good row; bad rows become `problems` of the batch. `files` is the folder the
    rows' files are in (default: the sheet's folder)."""
    header, rows = _table(path)
    columns = _columns(path, header, _mapping(path, header))
    found = _Files(path, files)
    table = [(number, values) for number, cells in rows if (values := _values(columns, cells))]
    versions = _versions(table)
    batch, seen = Batch(), set()
    for number, values in table:
        try:
            record, authorities, findings, scans = _row_record(path, number, values, found, versions)
            if record.id in seen:
                raise ReadError(path, f"record id {record.id!r} was already used by an earlier row")
        except ReadError as error:
            batch.problems.append(f"row {number}: {error.reason}")
            continue
        if scans:
            batch.scans[record.id] = scans
        seen.add(record.id)
        batch.records.append(record)
        batch.authorities.extend(authorities)
        batch.findings.extend(findings)
    if not batch.records and not batch.problems:
        raise ReadError(path, "the sheet has no rows below its header", where="row 2")
    return batch


def _versions(table: list[tuple[int, dict[str, str]]]) -> set[str]:
    """Ids that several rows give, each with a file of its own (versions of one record)."""
    files: dict[str, list[str | None]] = {}
    for _, values in table:
        if values.get("id"):
            files.setdefault(values["id"], []).append(values.get("file"))
    return {given for given, names in files.items()
            if len(names) > 1 and all(names) and len(set(names)) == len(names)}


def companions(path: Path, files: Path | None = None) -> set[Path]:
    """The files this sheet claims (resolved): its mapping file and the file of every row (every
    candidate of a row whose file is ambiguous, which the sheet's error names)."""
    header, rows = _table(path)
    columns = _columns(path, header, _mapping(path, header))
    found = _Files(path, files)
    claimed = {_mapping_file(path).resolve()}
    for _number, cells in rows:
        name = _values(columns, cells).get("file")
        if name:
            claimed.update(found.candidates(name))
    return claimed


def same_rows(first: Path, second: Path) -> bool:
    """Whether two sheets hold the same cells (a release published as .xlsx and as .csv)."""
    try:
        return _cells(first) == _cells(second)
    except ReadError:
        return False


def _cells(path: Path) -> list[list[str]]:
    header, rows = _table(path)
    table = [[_cell(value) for value in row] for row in [header, *(cells for _, cells in rows)]]
    for row in table:
        while row and not row[-1]:
            row.pop()
    return [row for row in table if row]


# ---------------------------------------------------------------- the table


def _table(path: Path) -> tuple[list[str], list[tuple[int, list]]]:
    """The header row and the numbered data rows (numbered as a spreadsheet shows them: header = 1)."""
    rows = _xlsx_rows(path) if path.suffix.lower() == ".xlsx" else _csv_rows(path)
    if not rows or not any(_cell(value) for value in rows[0]):
        raise ReadError(path, "the first row must name the columns", where="row 1")
    return [_cell(value) for value in rows[0]], list(enumerate(rows[1:], start=2))


def _csv_rows(path: Path) -> list[list[str]]:
    """The rows of a CSV (RFC 4180: commas, quotes doubled inside quoted fields) or TSV file. A
    CSV whose first line has semicolons and no commas is read with semicolons, as European
    spreadsheets write it; nothing else is guessed (sniffing misreads doubled quotes)."""
    text = decode_utf8(path, path.read_bytes())
    first_line = text.split("\n", 1)[0]
    if path.suffix.lower() == ".tsv":
        dialect = csv.excel_tab
    elif ";" in first_line and "," not in first_line:
        dialect = _Semicolons
    else:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        return guards.rows(path, reader)
    except csv.Error as error:
        raise ReadError(path, f"not a valid CSV file: {error}", where=f"line {reader.line_num}") from None


class _Semicolons(csv.excel):
    delimiter = ";"


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


# ---------------------------------------------------------------- the rows' files


class _Files:
    """Finds the file a row names: relative to the root (the sheet's folder, or `files`), else by
    its name (or its stem, any extension) anywhere below the root, the row's folders last."""

    def __init__(self, sheet: Path, files: Path | None = None):
        self.sheet = sheet
        self.root = (files or sheet.parent).resolve()
        self._names: dict[str, list[Path]] | None = None
        self._stems: dict[str, list[Path]] = {}

    def find(self, name: str) -> Path:
        """The row's file; ReadError (its reason for the row) when it is missing or ambiguous."""
        wanted = PurePosixPath(name.replace("\\", "/"))
        direct = (self.root / wanted).resolve()
        if not direct.is_relative_to(self.root):
            raise ReadError(self.sheet, f"file {name!r} is outside the sheet's folder")
        if direct.is_file():
            return direct
        matches = self._matches(wanted)
        if len(matches) == 1:
            return matches[0]
        where = str(self.root)
        if matches:
            shown = ", ".join(self._shown(path) for path in matches[:MAX_CANDIDATES])
            raise ReadError(self.sheet, f"file {name!r} is ambiguous: {len(matches)} files below {where} fit it "
                                        f"({shown}); give its path relative to the sheet")
        elsewhere = self._by_name(wanted)
        hint = (f"; a file of that name is at {', '.join(self._shown(path) for path in elsewhere[:MAX_CANDIDATES])}, "
                f"not in a folder {wanted.parent.as_posix()}/") if elsewhere else ""
        raise ReadError(self.sheet, f"file {name!r} not found in {where} (nor a file named "
                                    f"{wanted.stem}.* below it){hint}")

    def candidates(self, name: str) -> list[Path]:
        """Every file the row's name may mean (what a folder walk must leave to the sheet)."""
        try:
            return [self.find(name)]
        except ReadError:
            return self._matches(PurePosixPath(name.replace("\\", "/")))

    def _matches(self, wanted: PurePosixPath) -> list[Path]:
        """Files named like `wanted` (its name, else its stem) whose folders end with its folders."""
        folders = [part.lower() for part in wanted.parent.parts if part not in ("", ".")]
        return [path for path in self._by_name(wanted)
                if [part.lower() for part in path.relative_to(self.root).parent.parts][-len(folders):] == folders
                or not folders]

    def _by_name(self, wanted: PurePosixPath) -> list[Path]:
        self._index()
        return self._names.get(wanted.name.lower()) or self._stems.get(wanted.stem.lower(), [])

    def _index(self) -> None:
        if self._names is not None:
            return
        self._names = {}
        for path in sorted(self.root.rglob("*")):
            if path.name.startswith(".") or not path.is_file() or path.suffix.lower() in SUFFIXES \
                    or path.name.endswith(MAPPING_SUFFIX) or not path.resolve().is_relative_to(self.root):
                continue  # hidden, not a document, or a link to a file outside the folder
            self._names.setdefault(path.name.lower(), []).append(path)
            self._stems.setdefault(path.stem.lower(), []).append(path)

    def _shown(self, path: Path) -> str:
        base = self.sheet.parent.resolve()
        return path.relative_to(base).as_posix() or "." if path.is_relative_to(base) else str(path)


# ---------------------------------------------------------------- one row


def _row_record(path: Path, number: int, values: dict[str, str], files: _Files,
                versions: set[str]) -> tuple[Record, list[Authority], list[Finding], list[str]]:
    """The record of one row: its file's record (if any) with the sheet's values over it, and the
    page images its file's reader made."""
    target = files.find(values["file"]) if values.get("file") else None
    base, scans = _file_record(path, values["file"], target) if target else (None, [])
    data = base.to_json() if base else {}
    authorities: list[Authority] = []
    data["id"] = _row_id(path, number, values, versions)
    fields, findings = _fields(path, data["id"], number, values, authorities)
    data.update(fields)
    if not data.get("title"):
        raise ReadError(path, "no title: give a title column or a file to read it from")
    if "translation" in values:
        _mark_translation(path, data, values["translation"])
    data["source"] = _source(base, values, data["id"])
    data["provenance"] = Provenance(format=FORMAT, file=str(path)).model_dump()
    try:
        return Record.model_validate(data), authorities, findings, scans
    except ValidationError as error:
        problem = error.errors()[0]
        raise ReadError(path, f"{'.'.join(map(str, problem['loc']))}: {problem['msg']}") from None


def _row_id(path: Path, number: int, values: dict[str, str], versions: set[str]) -> str:
    """The id column's value, else the file's name; a value several rows give, each with a file of
    its own, is made the file's path (as a slug) in each of them, so every version keeps an id."""
    given = values.get("id")
    if given in versions:
        return slug(str(PurePosixPath(values["file"].replace("\\", "/")).with_suffix("")), max_length=160)
    if given:
        return given
    return PurePosixPath(values["file"].replace("\\", "/")).stem if values.get("file") else f"{path.stem}-row-{number}"


def _file_record(path: Path, name: str, target: Path) -> tuple[Record, list[str]]:
    """The one record the row's file yields, read by the reader its content calls for, and its scans."""
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


def _fields(path: Path, record_id: str, number: int, values: dict[str, str],
            authorities: list[Authority]) -> tuple[dict, list[Finding]]:
    """The record keys the row's cells give, as JSON-shaped values, and findings about them."""
    fields: dict = {key: values[key] for key in ("title", "summary") if key in values}
    findings: list[Finding] = []
    if "date" in values:
        fields["date"], findings = _date(path, record_id, number, values["date"])
    if "type" in values:
        fields.update(_type(values["type"]))
    if "classification" in values:
        fields["classification"] = {"marking": values["classification"], "level": level_of(values["classification"])}
    if "rights" in values:
        fields["rights"] = {"statement": values["rights"], "uri": None}
    withheld: list[dict] = []
    for key, kind in LIST_KEYS.items():
        if key in values:
            items = [item.strip() for item in re.split(r"[;\n]", values[key]) if item.strip()]
            if key in ("authors", "recipients"):
                fields[key] = _parties(key, items, authorities, fields, withheld)
            elif kind:
                fields[key] = _links(items, kind, authorities, fields.get(key, []))
            elif key != "declassification.restrictions":
                fields[key] = _list_values(key, items)
    declassification = _declassification(path, values, withheld)
    if declassification:
        fields["declassification"] = declassification
    return fields, findings


def _date(path: Path, record_id: str, number: int, text: str) -> tuple[dict | None, list[Finding]]:
    """A date cell as the record's date, and a finding when it was a placeholder (01/01/0000)."""
    try:
        read_date = dates.from_field(text)
    except ValueError as error:
        raise ReadError(path, f"date: {error}") from None
    value = read_date.value.model_dump() if read_date.value else None
    if not read_date.note:
        return value, []
    return value, [Finding(record_id, "date", value, f"row {number}:date", 0.5, "sheet", f"{text}: {read_date.note}")]


def _type(value: str) -> dict:
    """A type cell naming a type on the controlled list, as the list names it; a physical form or
    a type not on the list is kept in source.parts (see `_source`) and the type left to enrichment."""
    found = None if PHYSICAL_FORM.search(value) else doctype.from_title(value)
    return {"type": found} if found else {}


def _parties(key: str, names: list[str], authorities: list[Authority], fields: dict, withheld: list[dict]) -> list[dict]:
    """Authors or recipients: people and organizations (also listed among the record's
    organizations); withheld names become withheld passages; placeholders are left out."""
    links = []
    for name in names:
        found = party(name)
        if found.kind == "withheld":
            withheld.append({"marker": f"{'From' if key == 'authors' else 'To'}: {name}", "unit": "name", "count": 1})
        elif found.kind in ("person", "organization"):
            link = _link(found.name, found.kind, authorities)
            links.append(link)
            if found.kind == "organization" and link not in fields.setdefault("organizations", []):
                fields["organizations"].append(link)
    return links


def _links(names: list[str], kind: str, authorities: list[Authority], present: list[dict]) -> list[dict]:
    """Links to authorities of `kind`, after the links already there (organizations from From/To)."""
    links = list(present)
    for name in names:
        link = _link(name, kind, authorities)
        if link not in links:
            links.append(link)
    return links


def _link(name: str, kind: str, authorities: list[Authority]) -> dict:
    authorities.append(Authority(id=authority_id(name), kind=kind, name=name))
    return {"id": authority_id(name), "name": name}


def _list_values(key: str, items: list[str]) -> list[str]:
    """Topics and subjects as written; language names ("Russian") as ISO 639-1 codes."""
    return [LANGUAGES.get(item.lower(), item.lower()) for item in items] if key == "languages" else items


def _declassification(path: Path, values: dict[str, str], withheld: list[dict]) -> dict | None:
    """Release status, review and release dates, restrictions and withheld names of a row."""
    found: dict = {"withheld": withheld} if withheld else {}
    if "declassification.status" in values:
        found["status"] = values["declassification.status"]
    for key in ("review_date", "release_date"):
        text = values.get(f"declassification.{key}")
        if text:
            try:
                day = dates.from_field(text).value
            except ValueError as error:
                raise ReadError(path, f"{key.replace('_', ' ')}: {error}") from None
            if day:
                found[key] = day.edtf
    if "declassification.restrictions" in values:
        found["restrictions"] = [item.strip() for item in values["declassification.restrictions"].split(";") if item.strip()]
    return found or None


def _mark_translation(path: Path, data: dict, flag: str) -> None:
    """A translation column: 1/yes marks the row's text a translation, 0/no an original."""
    word = flag.strip().lower()
    if word not in YES | NO:
        raise ReadError(path, f"translation: expected 1 or 0 (yes or no), found {flag!r}")
    for text in data.get("texts", []):
        text["kind"] = "translation" if word in YES else "original"


def _source(base: Record | None, values: dict[str, str], record_id: str) -> dict | None:
    """The file reader's source (page count, OCR confidence, page images) with the sheet's over it."""
    source = base.source.model_dump() if base and base.source else {"citation": None, "repository": None, "parts": {}}
    parts = source["parts"]
    parts.update({key[len("parts."):]: value for key, value in values.items() if key.startswith("parts.")})
    parts.update({key: values[key] for key in ("file", "pages", "comments") if key in values})
    parts.update({part: values[key] for key, part in (("authors", "from"), ("recipients", "to")) if key in values})
    if "type" in values and PHYSICAL_FORM.search(values["type"]):
        parts["physical_form"] = values["type"]
    elif "type" in values and not doctype.from_title(values["type"]):
        parts["document_type"] = values["type"]  # as written: not a type of the controlled list
    if values.get("id") and values["id"] != record_id:
        parts["record_number"] = values["id"]
    if "citation" in values:
        source["citation"] = values["citation"]
    if "archive" in values:
        source["repository"] = {"id": None, "name": values["archive"], "abbreviation": None}
    return source if parts or source["citation"] or source["repository"] else None
