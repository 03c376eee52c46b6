"""JSON Lines in the record format of DESIGN.md, as `fonds export --format jsonl` writes it.

Each line is one JSON object: a document record, or an authority record wrapped as
{"authority": {...}} (exports put authorities first so that documents' links resolve to them).
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from fonds.readers import guards
from fonds.records import Authority, Batch, ReadError, Record

FORMAT = "jsonl"
SUFFIXES = (".jsonl", ".ndjson")


def detect(path: Path, head: bytes) -> bool:
    return path.suffix.lower() in SUFFIXES


def read(path: Path) -> Batch:
    """Every record and authority in the file; the first bad line fails the whole file."""
    batch = Batch()
    seen: set[str] = set()
    try:
        handle = open(path, encoding="utf-8")
        with handle:
            for number, line in enumerate(guards.lines(handle, path), start=1):
                if line.strip():
                    _add(batch, _parse(path, number, line), path, number, seen)
    except UnicodeDecodeError as error:
        raise ReadError(path, f"not UTF-8 text: {error.reason} at byte {error.start}") from None
    if not batch.records and not batch.authorities:
        raise ReadError(path, "no records in the file")
    return batch


def _parse(path: Path, number: int, line: str) -> dict:
    guards.check_json_nesting(path, line, where=f"line {number}")
    try:
        data = json.loads(line)
    except json.JSONDecodeError as error:
        raise ReadError(path, f"invalid JSON: {error.msg} (column {error.colno})", where=f"line {number}") from None
    if not isinstance(data, dict):
        raise ReadError(path, f"expected a JSON object, found {type(data).__name__}", where=f"line {number}")
    return data


def _add(batch: Batch, data: dict, path: Path, number: int, seen: set[str]) -> None:
    try:
        if set(data) == {"authority"}:
            batch.authorities.append(Authority.model_validate(data["authority"]))
            return
        record = Record.from_json(data)
    except ValidationError as error:
        problem = error.errors()[0]
        where = ".".join(str(part) for part in problem["loc"]) or "record"
        raise ReadError(path, f"{where}: {problem['msg']}", where=f"line {number}") from None
    if record.id in seen:
        raise ReadError(path, f"duplicate record id {record.id!r}", where=f"line {number}")
    seen.add(record.id)
    batch.records.append(record)
