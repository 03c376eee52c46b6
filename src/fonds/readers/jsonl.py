"""JSON Lines in the record format of DESIGN.md, as `fonds export --format jsonl` writes it.

Each line is one JSON object: a document record, or an authority record wrapped as
{"authority": {...}} (exports put authorities first so that documents' links resolve to them).
Files from other systems often name people without authority ids: a link given as a name alone
(`{"name": "Dulles, Allen W."}` or `"Dulles, Allen W."`) is linked as every reader links the names
it reads: to the archive's authority of that name, else a new one of the role's kind.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from fonds.names import authority_id
from fonds.readers import guards
from fonds.records import Authority, Batch, ReadError, Record

LINK_ROLES = ("authors", "recipients", "people", "organizations", "places")

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
        record = Record.from_json(_named_links(data, batch))
    except ValidationError as error:
        problem = error.errors()[0]
        where = ".".join(str(part) for part in problem["loc"]) or "record"
        raise ReadError(path, f"{where}: {problem['msg']}", where=f"line {number}") from None
    if record.id in seen:
        raise ReadError(path, f"duplicate record id {record.id!r}", where=f"line {number}")
    seen.add(record.id)
    batch.records.append(record)


def _named_links(data: dict, batch: Batch) -> dict:
    """The record with links given as a name alone completed with the name's authority id. The
    enrichers' reconciliation then links such a name to the archive's authority of that name, and
    the catalog creates one from the name when there is none; links that come with an id (an
    export's) are kept as they are. The ids made go into `batch.named`."""
    for role in LINK_ROLES:
        links = data.get(role)
        if not isinstance(links, list):
            continue
        completed = []
        for link in links:
            name = link if isinstance(link, str) else link.get("name") if isinstance(link, dict) else None
            if isinstance(name, str) and name.strip() and (isinstance(link, str) or not link.get("id")):
                name = name.strip()
                batch.named.append(authority_id(name))
                link = {**(link if isinstance(link, dict) else {}), "id": authority_id(name), "name": name}
            completed.append(link)
        data = {**data, role: completed}
    return data
