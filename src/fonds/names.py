"""Names and identifiers: slugs for URLs and stable ids for authority records.

Authority ids are slugs of the preferred name ("Dulles, John Foster" -> "dulles-john-foster"), so
the same person named identically in two sources is one authority record, and a re-ingest finds
the same id again. python-slugify transliterates other scripts (Хрущёв -> khrushchiov) first.
"""

from __future__ import annotations

import re
import unicodedata

from slugify import slugify as _slugify

# Control characters (C0, DEL, C1): never part of a name; line breaks among them.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def slug(text: str, max_length: int = 80) -> str:
    """A lowercase ASCII slug for URLs; never empty."""
    return _slugify(text or "", max_length=max_length, word_boundary=True) or "untitled"


def authority_id(name: str) -> str:
    """The stable id of the authority record whose preferred name is `name`."""
    return slug(name, max_length=120)


def clean(text: str | None) -> str:
    """Collapse runs of whitespace (XML indentation, line breaks) into single spaces."""
    # str.split() splits on exactly the characters `\s` matches, and is several times faster.
    return " ".join(unicodedata.normalize("NFC", text or "").split())


def clean_name(text: str | None) -> str:
    """A name as the catalog stores it: control characters and line breaks gone, whitespace
    collapsed, trimmed of spaces and of the commas and colons a name never ends with."""
    return clean(CONTROL.sub(" ", text or "")).strip(" ,;:")
