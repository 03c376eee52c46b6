"""Classification markings as written on the original ("Top Secret", "Secret; Priority").

`find` returns the marking and a normalised level, or None when the text carries none.
"""

from __future__ import annotations

import re

from fonds.records import Classification

# Most restrictive first, so "Top Secret" is not read as "Secret".
LEVELS = [
    ("top-secret", r"top\s+secret"),
    ("secret", r"secret"),
    ("confidential", r"confidential"),
    ("restricted", r"restricted|official\s+use\s+only|limited\s+official\s+use"),
    ("unclassified", r"unclassified|no\s+classification\s+marking"),
]
_LEVEL_PATTERNS = [(level, re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE)) for level, pattern in LEVELS]
_NONE_MARKED = re.compile(r"\bno\s+classification\s+marking\b", re.IGNORECASE)


def level_of(marking: str) -> str | None:
    """The normalised level of a marking ("Secret; Priority" -> "secret")."""
    if _NONE_MARKED.search(marking):
        return "unclassified"
    for level, pattern in _LEVEL_PATTERNS:
        if pattern.search(marking):
            return level
    return None


def find(text: str) -> Classification | None:
    """The first classification marking in `text`, as written, with its level."""
    best = None
    for level, pattern in _LEVEL_PATTERNS:
        match = pattern.search(text)
        if match and (best is None or match.start() < best[1].start()):
            best = (level, match)
    if best is None:
        return None
    level, match = best
    marking = " ".join(match.group(0).split())
    return Classification(marking=marking[:1].upper() + marking[1:] if marking.islower() else marking, level=level)


MARKING_LINE_CHARS = 60
MARKING_LINES = 15


def find_in_text(text: str) -> Classification | None:
    """The marking stamped on a document: a short line near the top that carries one.

    Only short lines count, so prose such as "the secret of the atom" is not read as a marking.
    """
    for line in text.splitlines()[:MARKING_LINES]:
        if len(line) <= MARKING_LINE_CHARS:
            found = find(line)
            if found:
                return found
    return None
