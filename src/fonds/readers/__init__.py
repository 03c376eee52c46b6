"""Readers: one module per input format, each turning one file into a `Batch` of records.

Every reader module exposes `FORMAT` (a short name), `detect(path, head) -> bool` (does this
file look like my format? `head` is its first 4 KB) and `read(path) -> Batch`, which raises
`ReadError` naming the file, the place in it and the reason. Readers import no Django.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from fonds.records import Batch, ReadError
from fonds.readers import image, jsonl, page, pdf, sheet, tei, text

# Order matters: the first reader whose detect() accepts a file reads it. Files that may hold NUL
# bytes come first, PDFs and images recognised by their magic bytes; then the text formats, the
# archive page (a .txt with panel headings) before plain text, which takes every other .txt/.md.
BINARY_READERS: tuple[ModuleType, ...] = (pdf, image, sheet)
TEXT_READERS: tuple[ModuleType, ...] = (tei, jsonl, page, text)
READERS: tuple[ModuleType, ...] = BINARY_READERS + TEXT_READERS
HEAD_BYTES = 4096


def reader_for(path: Path) -> ModuleType:
    """The reader module for `path`, or ReadError when no reader accepts it."""
    with open(path, "rb") as handle:
        head = handle.read(HEAD_BYTES)
    if not head.strip():
        raise ReadError(path, "the file is empty")
    for reader in BINARY_READERS:
        if reader.detect(path, head):
            return reader
    if b"\x00" in head:
        raise ReadError(path, "the file is binary, not text (it contains NUL bytes), and not a PDF, PNG, JPEG or TIFF")
    for reader in TEXT_READERS:
        if reader.detect(path, head):
            return reader
    raise ReadError(path, "unrecognised format (expected a PDF; a PNG, JPEG or TIFF page image; a CSV, TSV or XLSX "
                          "metadata sheet; FRUS TEI XML; JSON Lines; or a .txt or .md text)")


def read(path: Path, files: Path | None = None) -> Batch:
    """Read one file with the reader its content calls for; `files` is where a metadata sheet's
    files are (`fonds ingest --files DIR`; default: beside the sheet)."""
    reader = reader_for(path)
    return reader.read(path, files) if reader is sheet else reader.read(path)
