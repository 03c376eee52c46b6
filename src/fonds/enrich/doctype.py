"""Document type from the title, on a controlled list (DESIGN.md: Decision, Minutes, ...)."""

from __future__ import annotations

import re

from fonds.records import Record

# First match wins, so the more specific forms come first.
TYPES = [
    ("Memorandum of Conversation", r"memorandum of (?:a )?conversation"),
    ("Minutes", r"minutes|memorandum of discussion|protocol(?! no)|stenographic record|transcript"),
    ("Intelligence Estimate", r"intelligence estimate"),
    ("Decision", r"\bdecision\b|\bresolution\b|\bdecree\b"),
    ("Telegram", r"telegram|cable"),
    ("Letter", r"\bletter\b"),
    ("Report", r"\breport\b"),
    ("Memorandum", r"\bmemorandum\b"),
    ("Speech", r"\bspeech\b|\baddress\b"),
    ("Note", r"\bnote\b"),
    ("Diary", r"\bdiary\b|journal of"),
]
_PATTERNS = [(name, re.compile(pattern, re.IGNORECASE)) for name, pattern in TYPES]


def from_title(title: str) -> str | None:
    """The document type a title names, or None."""
    return next((name for name, pattern in _PATTERNS if pattern.search(title)), None)


def enrich(record: Record, batch) -> None:
    if not record.type:
        record.type = from_title(record.title)
