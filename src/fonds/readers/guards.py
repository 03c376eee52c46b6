"""Guards against hostile or broken input, shared by the readers.

Each limit is a setting (`max_nesting`, `max_line_bytes`, `max_sheet_rows`, `max_image_pixels`,
`ocr_file_timeout`); a file over one fails with a `ReadError` naming the limit and its setting, so
an operator can raise it for a legitimate file, and the other files of an ingest go on. XML is
parsed by a parser that never opens a DTD, an entity or any other file, and never the network.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

import yaml
from lxml import etree

from fonds.records import ReadError
from fonds.settings import get_settings

_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_JSON_BRACKET = re.compile(r"[\[\]{}]")
_YAML_OPEN = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_YAML_CLOSE = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def _too_deep(path: Path, where: str | None) -> ReadError:
    limit = get_settings().max_nesting
    return ReadError(path, f"nested deeper than {limit} levels (the max_nesting setting)", where=where)


def lines(handle: IO[str], path: Path) -> Iterator[str]:
    """The lines of a text file, refusing one longer than `max_line_bytes` before it is read whole."""
    limit = get_settings().max_line_bytes
    number = 0
    while line := handle.readline(limit + 1):
        number += 1
        content = line[:-1] if line.endswith("\n") else line
        if len(content) > limit or (len(content) * 4 > limit and len(content.encode("utf-8")) > limit):
            raise ReadError(path, f"the line is longer than {limit:,} bytes (the max_line_bytes setting)",
                            where=f"line {number}")
        yield line


def rows(path: Path, table: Iterable) -> list[list]:
    """The rows of a sheet as lists, refusing more than `max_sheet_rows` below the header (a small
    compressed XLSX can hold a million rows)."""
    limit = get_settings().max_sheet_rows
    out = []
    for row in table:
        if len(out) > limit:
            raise ReadError(path, f"more than {limit:,} rows (the max_sheet_rows setting)", where=f"row {len(out) + 1}")
        out.append(list(row))
    return out


# Generous for one row of worksheet XML (a NARA release sheet's rows take under 1 KB).
WORKSHEET_ROW_BYTES = 2048


def check_workbook(path: Path) -> None:
    """Refuse an XLSX whose worksheets and shared strings unpack to more than `max_sheet_rows`
    rows could need, before openpyxl reads them: a workbook without a <dimension> makes it parse a
    whole worksheet on opening, and zip packs repeated rows about 1000:1."""
    limit = get_settings().max_sheet_rows * WORKSHEET_ROW_BYTES
    try:
        with zipfile.ZipFile(path) as archive:
            size = sum(info.file_size for info in archive.infolist()
                       if info.filename.startswith("xl/worksheets/") or info.filename == "xl/sharedStrings.xml")
    except (zipfile.BadZipFile, OSError):
        return  # not a workbook at all: the sheet reader says so
    if size > limit:
        raise ReadError(path, f"the worksheets unpack to {size:,} bytes, more than {get_settings().max_sheet_rows:,} "
                              f"rows of {WORKSHEET_ROW_BYTES:,} bytes (the max_sheet_rows setting)")


def check_json_nesting(path: Path, text: str, where: str | None = None) -> None:
    """Refuse JSON nested deeper than `max_nesting` before a recursive decoder sees it."""
    limit = get_settings().max_nesting
    if text.count("[") + text.count("{") <= limit:
        return  # cannot be deeper than it has brackets
    depth = 0
    for match in _JSON_BRACKET.finditer(_JSON_STRING.sub("", text)):
        depth += 1 if match.group() in "[{" else -1
        if depth > limit:
            raise _too_deep(path, where)


def check_yaml_nesting(path: Path, text: str, first_line: int = 1) -> None:
    """Refuse YAML nested deeper than `max_nesting`. PyYAML's parser is a loop but its composer
    recurses, so the events are counted first; raises yaml.YAMLError for invalid YAML."""
    limit, depth = get_settings().max_nesting, 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, _YAML_OPEN):
            depth += 1
            if depth > limit:
                raise _too_deep(path, f"line {event.start_mark.line + first_line}")
        elif isinstance(event, _YAML_CLOSE):
            depth -= 1


def check_xml_nesting(path: Path, tree: etree._ElementTree) -> None:
    """Refuse an XML tree deeper than `max_nesting` (the readers walk elements recursively)."""
    steps = "/*" * (get_settings().max_nesting + 1)
    deep = tree.xpath(f"({steps})[1]")
    if deep:
        raise _too_deep(path, f"line {deep[0].sourceline}" if deep[0].sourceline else None)


def check_pixels(path: Path, width: int, height: int, where: str | None = None, dpi: float | None = None) -> None:
    """Refuse a page image (decoded, or a PDF page rendered at `dpi`) over `max_image_pixels`."""
    limit = get_settings().max_image_pixels
    if width * height > limit:
        at = f" at {dpi:g} dpi" if dpi else ""
        raise ReadError(path, f"the page is {width:,} x {height:,} pixels{at}, more than {limit:,} "
                              "(the max_image_pixels setting)", where=where)


class ExternalReference(Exception):
    """An XML file asked for another file or URL (a DTD, an external entity): always refused."""

    def __init__(self, url: str):
        self.url = url
        super().__init__(url)


class _RefuseEverything(etree.Resolver):
    """libxml2 opens a DOCTYPE's external DTD even with load_dtd off when it parses a file by
    name; documents are therefore parsed from an open handle, and every other file or URL the
    parser asks for is refused here."""

    def resolve(self, url, public_id, context):
        raise ExternalReference(url or public_id or "?")


def xml_parser(**options) -> etree.XMLParser:
    """An lxml parser with entities, DTDs and the network off that refuses to open anything."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                             **options)
    parser.resolvers.add(_RefuseEverything())
    return parser


def parse_xml(path: Path, **options) -> etree._ElementTree:
    """Parse an XML file with `xml_parser(**options)`. Raises etree.XMLSyntaxError, OSError, or
    ReadError when the file refers to an external DTD or entity."""
    try:
        with open(path, "rb") as handle:
            return etree.parse(handle, xml_parser(**options))
    except ExternalReference as refused:
        raise ReadError(path, f"the file refers to an external DTD or entity ({refused.url}): refused, "
                              "fonds never opens one") from None
