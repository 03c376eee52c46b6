"""Readers: one module per input format, each turning one file into a `Batch` of records.

Every reader module exposes `FORMAT` (a short name), `detect(path, head) -> bool` (does this
file look like my format? `head` is its first 4 KB) and `read(path) -> Batch`, which raises
`ReadError` naming the file, the place in it and the reason. Readers import no Django.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from fonds.records import Batch, ReadError
from fonds.readers import jsonl, page, tei

# Order matters: the first reader whose detect() accepts a file reads it.
READERS: tuple[ModuleType, ...] = (tei, jsonl, page)
HEAD_BYTES = 4096


def reader_for(path: Path) -> ModuleType:
    """The reader module for `path`, or ReadError when no reader accepts it."""
    with open(path, "rb") as handle:
        head = handle.read(HEAD_BYTES)
    if not head.strip():
        raise ReadError(path, "the file is empty")
    if b"\x00" in head:
        raise ReadError(path, "the file is binary, not text (it contains NUL bytes)")
    for reader in READERS:
        if reader.detect(path, head):
            return reader
    raise ReadError(path, "unrecognised format (expected FRUS TEI XML, JSON Lines or an archive page .txt)")


def read(path: Path) -> Batch:
    """Read one file with the reader its content calls for."""
    return reader_for(path).read(path)
