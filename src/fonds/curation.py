"""Curated values: what a curator set on a document, which wins over the source file and the enrichers.

A curated value replaces one top-level key of the record (`CURATABLE`) and is kept apart from the
record in the catalog (`catalog.models.CuratedValue`), so that every later ingest of the same
document, from a changed file or an unchanged one, applies it again after reading and enriching:
a curator's correction is never overwritten. This module is plain Python: it turns what a curator
typed into the record's JSON for that key (`parse`), shows a stored value for editing again
(`show`), and applies a document's curated values to a record (`apply`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from typing import Any

from pydantic import ValidationError

from fonds.enrich.classification import level_of
from fonds.enrich.dates import from_edtf, from_text
from fonds.names import authority_id, clean
from fonds.records import STATUSES, Record

TEXT = ("title", "summary", "teaser", "type")
LISTS = ("languages", "topics", "subjects", "funders")
LINKS = ("authors", "recipients", "people", "organizations", "places")
OBJECTS = ("source", "rights")
# Record key -> what a curator types for it (the admin form shows this as help).
CURATABLE: dict[str, str] = {
    **{key: "Plain text; empty for none." for key in TEXT},
    "date": 'EDTF ("1959-12-14", "1959-12", "1955/1957", "195X") or a written date ("14 December 1959"); empty for undated.',
    "classification": 'The marking as written ("Top Secret; Eyes Only", "Совершенно секретно"); empty for none.',
    **{key: "One per line (or separated by commas)." for key in LISTS},
    **{key: 'One per line: a name ("N. S. Khrushchev"), or "authority-id | name as written".' for key in LINKS},
    **{key: "A JSON object in the record format (DESIGN.md)." for key in OBJECTS},
    "status": "One of: " + ", ".join(STATUSES) + ".",
    "embargo_until": "A day (YYYY-MM-DD) until which the document stays unpublished; empty for none.",
}


class CurationError(ValueError):
    """A curated value that cannot be used; the message names the field and the problem."""


def parse(field: str, typed: str) -> Any:
    """The record's JSON for `field` from what a curator typed; raises CurationError."""
    if field not in CURATABLE:
        raise CurationError(f"{field}: not a field a curator can set (choose from {', '.join(CURATABLE)})")
    typed = (typed or "").strip()
    if field in OBJECTS:
        return _json_object(field, typed)
    if not typed:
        return [] if field in LISTS + LINKS else None
    if field in TEXT:
        return clean(typed)
    if field in LISTS:
        return list(dict.fromkeys(item for item in (clean(x) for x in _items(typed, commas=True)) if item))
    if field in LINKS:
        return [_link(line) for line in _items(typed, commas=False) if line.strip()]
    return _PARSERS[field](field, typed)


def show(field: str, value: Any) -> str:
    """A stored value in the form a curator types it (the inverse of `parse`)."""
    if value in (None, [], {}):
        return ""
    if field == "date":
        return value["edtf"]
    if field == "classification":
        return value["marking"]
    if field in LISTS:
        return "\n".join(value)
    if field in LINKS:
        return "\n".join(f"{link['id']} | {link['name']}" for link in value)
    if field in OBJECTS:
        return json.dumps(value, ensure_ascii=False, indent=2)
    return str(value)


def apply(record: Record, values: Mapping[str, Any]) -> Record:
    """The record with its curated values in place of what the source and enrichers gave."""
    if not values:
        return record
    unknown = sorted(set(values) - set(CURATABLE))
    if unknown:
        raise CurationError(f"{', '.join(unknown)}: not a field a curator can set")
    try:
        return Record.from_json({**record.to_json(), **values})
    except ValidationError as error:
        problem = error.errors()[0]
        where = ".".join(str(part) for part in problem["loc"])
        raise CurationError(f"{where}: {problem['msg']}") from None


def _items(typed: str, commas: bool) -> list[str]:
    # Names of people hold commas ("Khrushchev, N. S."), so links are one per line only.
    lines = typed.splitlines()
    return typed.split(",") if commas and len(lines) == 1 else lines


def _link(line: str) -> dict:
    key, bar, name = line.partition("|")
    name = clean(name if bar else key)
    key = clean(key) if bar else authority_id(name)
    if not name or not key:
        raise CurationError(f"{line.strip()!r}: a link needs a name (and, before '|', an authority id)")
    return {"id": key, "name": name}


def _date(field: str, typed: str) -> dict:
    try:
        value = from_edtf(typed)
    except ValueError:
        value = from_text(typed)
    if value is None:
        raise CurationError(f"{field}: {typed!r} is neither an EDTF date nor a date fonds can read")
    return value.model_dump(mode="json")


def _classification(field: str, typed: str) -> dict:
    return {"marking": clean(typed), "level": level_of(typed)}


def _status(field: str, typed: str) -> str:
    if typed not in STATUSES:
        raise CurationError(f"{field}: {typed!r} is not one of {', '.join(STATUSES)}")
    return typed


def _day(field: str, typed: str) -> str:
    try:
        return date.fromisoformat(typed).isoformat()
    except ValueError:
        raise CurationError(f"{field}: {typed!r} is not a day (YYYY-MM-DD)") from None


def _json_object(field: str, typed: str) -> dict | None:
    if not typed:
        return None
    try:
        value = json.loads(typed)
    except json.JSONDecodeError as error:
        raise CurationError(f"{field}: not JSON ({error.msg} at line {error.lineno}, column {error.colno})") from None
    if not isinstance(value, dict):
        raise CurationError(f"{field}: must be a JSON object")
    return value


_PARSERS = {"date": _date, "classification": _classification, "status": _status, "embargo_until": _day}
