"""Edition context of a document printed in an edition (a FRUS volume): the edition, the volume,
the document's number in it and its neighbours there, as the reader uses them on the document page.

A FRUS record carries `source.parts` {"volume": "frus1955-57v20", "volume_title": "Foreign
Relations of the United States, 1955–1957, ...", "document": "7", "note": "Source: ...", "note_number": "2"}.
Neighbours are the visible documents of the same volume numbered one less and one more.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fonds.archive import visibility
from fonds.catalog import models as m

# The series title ends where the volume's years begin: "Foreign Relations of the United States, 1955–1957, ...".
_SERIES = re.compile(r"^(?P<series>.+?),\s*(?P<rest>\d{4}.*)$")


@dataclass
class Edition:
    """Where a document stands in its edition."""

    series: str  # "Foreign Relations of the United States"
    volume_title: str  # the rest of the volume's title: "1955–1957, Regulation of Armaments; ..., Volume XX"
    number: str  # the document number as printed ("7")
    source_note: str  # the edition's source note, as printed
    source_note_number: str  # the footnote number the source note is printed under ("*" when it has none)
    previous: m.Document | None = None
    next: m.Document | None = None


def edition_of(user, doc: m.Document) -> Edition | None:
    """The edition context of `doc`, or None for a document not printed in an edition."""
    parts = doc.source_parts or {}
    title, number = parts.get("volume_title"), parts.get("document")
    if not title or not number:
        return None
    match = _SERIES.match(title)
    series, rest = (match["series"], match["rest"]) if match else (title, "")
    edition = Edition(series=series, volume_title=rest, number=number, source_note=parts.get("note", ""),
                      source_note_number=parts.get("note_number") or "*")
    if number.isdigit() and parts.get("volume"):
        edition.previous, edition.next = _neighbours(user, parts["volume"], int(number))
    return edition


def _neighbours(user, volume: str, number: int) -> tuple[m.Document | None, m.Document | None]:
    wanted = {str(number - 1): "previous", str(number + 1): "next"}
    found: dict[str, m.Document] = {}
    rows = visibility.visible_to(user).filter(edition_volume=volume, edition_number__in=list(wanted))
    for row in rows.only("id", "slug", "title", "edition_number"):
        found[wanted[row.edition_number]] = row
    return found.get("previous"), found.get("next")
