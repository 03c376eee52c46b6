"""Declassification as data: what was withheld from a released document, and how it was reviewed.

Two sources, both filling the record's `declassification` key (and only what is still empty):
- the markers editors print where text was withheld, as FRUS does: "[1 paragraph (3 lines of
  source text) not declassified]", "[name not declassified]", "[text not declassified]",
  "[less than 1 line of source text not declassified]", "[Table (3 columns, 4 rows) not
  declassified]"; each becomes a `Withheld` with its unit, count and extent in lines;
- an identification form at the top of the text (NARA's JFK Assassination System form, see
  `fonds.enrich.forms`): release status, date of last review and restrictions (exemption codes),
  and also the classification marking and the originating agency (an organization) when the
  record has none.
"""

from __future__ import annotations

import re
from fractions import Fraction

from fonds.enrich import forms
from fonds.enrich.classification import level_of
from fonds.enrich.findings import Context, Finding
from fonds.names import authority_id
from fonds.records import Authority, Classification, Declassification, Link, Record, Withheld

NAME = "declassification"

MARKER = re.compile(r"\[\s*(?P<what>[^\[\]]{0,160}?)\s*\bnot\s+declassified\s*\]", re.IGNORECASE)
_NUMBER = r"(?:less\s+than\s+)?\d+(?:\s*[-–]\s*\d+/\d+|\s*[½¼¾]|\s+\d+/\d+)?|\d+/\d+|[½¼¾]"
_AMOUNT = re.compile(rf"^(?P<number>{_NUMBER})?\s*(?P<unit>[a-z][a-z ]*?)s?(?:\s+of\s+(?:[\w-]+\s+)*?source\s+text)?\s*"
                     rf"(?:\((?P<inner>[^()]*)\))?\s*(?P<range>\d+(?:\s*[-–]\s*\d+)?)?$", re.IGNORECASE)
_LINES = re.compile(rf"(?P<number>{_NUMBER})\s+lines?\b", re.IGNORECASE)
_FRACTIONS = {"½": Fraction(1, 2), "¼": Fraction(1, 4), "¾": Fraction(3, 4)}


def number(text: str) -> float | None:
    """'3', '5-1/2', '5–1/2', '1½', '1/2', 'less than 1' (read as 1) as a number."""
    text = re.sub(r"^less\s+than\s+", "", text.strip(), flags=re.IGNORECASE)
    total = Fraction(0)
    for piece in re.findall(r"\d+/\d+|\d+|[½¼¾]", text):
        total += _FRACTIONS.get(piece) or Fraction(piece)
    return float(total) if total else None


def withheld(text: str) -> list[Withheld]:
    """Every withheld-text marker in `text`, in order."""
    return [_passage(match) for match in MARKER.finditer(text)]


def _passage(match: re.Match) -> Withheld:
    marker = " ".join(match.group(0).split())
    what = " ".join(match.group("what").split())
    amount = _AMOUNT.match(what)
    if not amount:
        return Withheld(marker=marker, unit=what.lower() or "text")
    unit = amount.group("unit").strip().lower()
    count = number(amount.group("number")) if amount.group("number") else None
    if amount.group("range"):  # "Pages 4-7": the pages are counted
        first, _, last = amount.group("range").replace("–", "-").partition("-")
        count = float(int(last) - int(first) + 1) if last.strip() else 1.0
    lines = count if unit == "line" else None
    inner = _LINES.search(amount.group("inner") or "")
    if inner:
        lines = number(inner.group("number"))
    return Withheld(marker=marker, unit=unit, count=count, lines=lines)


def enrich(record: Record, context: Context) -> list[Finding]:
    """Fill the record's declassification (and classification, originator) from markers and a form."""
    found: list[Finding] = []
    current = record.declassification or Declassification()
    if not current.withheld:
        for field, text in _marked_texts(record):
            for match in MARKER.finditer(text):
                current.withheld.append(_passage(match))
                found.append(Finding(record.id, "declassification.withheld", current.withheld[-1].model_dump(),
                                     f"{field}:{match.start()}-{match.end()}", 0.95, NAME, match.group(0)))
    form = forms.find(record.texts[0].body) if record.texts else None
    if form:
        found += _from_form(record, current, form, context)
    if found or record.declassification is not None:
        record.declassification = current
    return found


def _marked_texts(record: Record) -> list[tuple[str, str]]:
    """The texts where editors mark withheld passages: the text layers and the source note."""
    found = [(f"texts[{index}]", text.body) for index, text in enumerate(record.texts)]
    note = record.source.parts.get("note") if record.source else None
    return found + ([("source.parts.note", note)] if note else [])


def _from_form(record: Record, current: Declassification, form: forms.IdentificationForm,
               context: Context) -> list[Finding]:
    where = f"texts[0]:{form.start}-{form.end}"
    found = []

    def note(key: str, value) -> None:
        found.append(Finding(record.id, key, value, where, 0.8, NAME, "identification form"))

    for key in ("status", "review_date"):
        value = getattr(form, key)
        if value and not getattr(current, key):
            setattr(current, key, value)
            note(f"declassification.{key}", value)
    if form.restrictions and not current.restrictions:
        current.restrictions = list(form.restrictions)
        note("declassification.restrictions", current.restrictions)
    if form.classification and record.classification is None:
        record.classification = Classification(marking=form.classification, level=level_of(form.classification))
        note("classification", record.classification.model_dump())
    if form.originator and form.originator.lower() not in {link.name.lower() for link in record.organizations}:
        authority = context.adopt(Authority(id=authority_id(form.originator), kind="organization", name=form.originator))
        record.organizations.append(Link(id=authority.id, name=authority.name))
        note("organizations", [link.model_dump() for link in record.organizations])
    return found
