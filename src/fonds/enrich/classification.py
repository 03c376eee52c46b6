"""Classification markings as written on the original, in English and Russian.

"Top Secret", "Secret; Niact", "Eyes Only", "Unclassified", "No classification marking",
"Совершенно секретно", "Секретно", "Особой важности". `find` returns the first marking in a text
with its normalised level; `find_in_text` looks only where a marking is stamped (a short line near
the top, or a sentence of a "Source:" note); `enrich` fills a record's missing classification.
"""

from __future__ import annotations

import re

from fonds.enrich.findings import Context, Finding, spans
from fonds.records import Classification, Record

NAME = "classification"

# Most restrictive first, so "Top Secret" is not read as "Secret" and "Совершенно секретно" not as "Секретно".
LEVELS = [
    ("top-secret", r"top\s+secret|совершенно\s+секретно|сов\.\s*секретно|строго\s+секретно|особой\s+важности"),
    ("secret", r"secret|секретно"),
    ("confidential", r"confidential|конфиденциально"),
    ("restricted", r"restricted|official\s+use\s+only|limited\s+official\s+use|для\s+служебного\s+пользования"),
    ("unclassified", r"unclassified|no\s+classification\s+marking|несекретно|не\s+секретно"),
    # A handling caveat with no level of its own; it still is the marking as written.
    (None, r"eyes\s+only"),
]
_LEVEL_PATTERNS = [(level, re.compile(rf"(?<![\w-])(?:{pattern})(?![\w-])", re.IGNORECASE)) for level, pattern in LEVELS]
_NONE_MARKED = re.compile(r"\bno\s+classification\s+marking\b", re.IGNORECASE)
# Caveats that follow a level: "Secret; Niact", "Top Secret; Eyes Only; Priority", "Secret—Limit Distribution".
_CAVEATS = re.compile(r"(?:\s*[;—–]\s*[A-Z][\w/-]*(?:\s+(?:[A-Z][\w/-]*|only|\d+))*)*")
MAX_MARKING_CHARS = 80


def level_of(marking: str) -> str | None:
    """The normalised level of a marking ("Secret; Priority" -> "secret"); None for a bare caveat."""
    if _NONE_MARKED.search(marking):
        return "unclassified"
    for level, pattern in _LEVEL_PATTERNS:
        if pattern.search(marking):
            return level
    return None


def _first(text: str) -> tuple[str | None, re.Match] | None:
    """The earliest level word in `text` (the most restrictive wins at one position)."""
    best = None
    for level, pattern in _LEVEL_PATTERNS:
        match = pattern.search(text)
        if match and (best is None or match.start() < best[1].start()):
            best = (level, match)
    return best


def _written(text: str) -> str:
    """The marking as written, capitalised if the source printed it in lower case (small caps)."""
    marking = " ".join(text.split()).strip(" ;,.")
    return marking[:1].upper() + marking[1:] if marking[:1].islower() else marking


def find(text: str) -> Classification | None:
    """The first classification marking in `text`, as written, with its level."""
    best = _first(text)
    if best is None:
        return None
    level, match = best
    return Classification(marking=_written(match.group(0)), level=level)


def _with_caveats(text: str, match: re.Match) -> str:
    """The level word plus the caveats written after it ("Secret; Niact")."""
    tail = _CAVEATS.match(text, match.end())
    end = tail.end() if tail else match.end()
    return text[match.start():end] if end - match.start() <= MAX_MARKING_CHARS else match.group(0)


MARKING_LINE_CHARS = 60
MARKING_LINES = 15
_STAMP_PREFIX = re.compile(r"^[^a-zа-яё]*$")  # "#P253/P ", "No. 5 " — no words of prose before a stamp


def _stamped_line(line: str) -> tuple[int, str, str | None] | None:
    """(offset, marking, level) when a short line is a stamp: the marking opens it, after no prose."""
    if len(line) > MARKING_LINE_CHARS:
        return None
    best = _first(line)
    if best is None or not _STAMP_PREFIX.match(line[:best[1].start()]):
        return None
    level, match = best
    return match.start(), _written(_with_caveats(line, match)), level


_SOURCE_NOTE = re.compile(r"^\s*(?:source|источник)\s*[:;]", re.IGNORECASE)
_SENTENCE_START = re.compile(r"(?:^|(?<=\.\s)|(?<=\d\s))")


_AFTER_CITATION = re.compile(r"(?:[.:;,]|\S*\d\S*|[A-Z]{2,})$")


def _in_source_note(line: str) -> tuple[int, str, str | None] | None:
    """The marking of a source note: the first level word that opens a sentence or follows the file
    number ("...611.61/1-455. Top Secret; Niact. Drafted...", "POL 26 S VIET Top Secret;")."""
    matches = sorted(((m.start(), level, m) for level, pattern in _LEVEL_PATTERNS for m in pattern.finditer(line)),
                     key=lambda item: item[0])
    for start, level, match in matches:
        if _AFTER_CITATION.search(line[:start].rstrip()):
            return start, _written(_with_caveats(line, match)), level
    return None


def locate(text: str) -> tuple[int, str, str | None, float] | None:
    """(offset, marking, level, confidence) of the marking stamped on a text, or None."""
    offset = 0
    stamp = None
    for number, line in enumerate(text.split("\n")):
        if _SOURCE_NOTE.match(line):
            found = _in_source_note(line)
            if found:
                return offset + found[0], found[1], found[2], 0.95
        elif stamp is None and number < MARKING_LINES:
            found = _stamped_line(line)
            if found:
                stamp = (offset + found[0], found[1], found[2], 0.85)
        offset += len(line) + 1
    return stamp


def find_in_text(text: str) -> Classification | None:
    """The marking stamped on a document: a short line near the top, or a source-note sentence.

    Only short lines count, so prose such as "the secret of the atom" is not read as a marking.
    """
    found = locate(text)
    return Classification(marking=found[1], level=found[2]) if found else None


def enrich(record: Record, context: Context) -> list[Finding]:
    """Fill a missing classification from the first text (or title) that carries a stamp."""
    if record.classification is not None:
        return []
    for span in spans(record, title=False):
        found = locate(span.text)
        if found:
            start, marking, level, confidence = found
            record.classification = Classification(marking=marking, level=level)
            return [Finding(record.id, "classification", record.classification.model_dump(),
                            span.source(start, start + len(marking)), confidence, NAME, marking)]
    return []
