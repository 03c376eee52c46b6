"""Document dates: EDTF strings (via the `edtf` library) and the English forms archives print.

`from_edtf` turns an EDTF string (with or without a time) into a `DateValue` with min/max days;
`from_text` reads a written date such as "December 14, 1959" or "14 December 1959".
"""

from __future__ import annotations

import re
import time
from datetime import date

import edtf

from fonds.records import DateValue

MONTHS = {
    name: number
    for number, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
         ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
         ("october", "oct"), ("november", "nov"), ("december", "dec")],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
_PATTERNS = [
    re.compile(rf"^{_MONTH}\s+(?P<day>\d{{1,2}}),?\s+(?P<year>\d{{4}})$"),  # December 14, 1959
    re.compile(rf"^(?P<day>\d{{1,2}})\s+{_MONTH},?\s+(?P<year>\d{{4}})$"),  # 14 December 1959
    re.compile(rf"^{_MONTH},?\s+(?P<year>\d{{4}})$"),  # December 1959
    re.compile(r"^(?P<year>\d{4})$"),  # 1959
]


def _iso(struct: time.struct_time) -> str:
    return f"{struct.tm_year:04d}-{struct.tm_mon:02d}-{struct.tm_mday:02d}"


def from_edtf(value: str, display: str | None = None) -> DateValue:
    """A DateValue for an EDTF string; a time part ("1955-01-14T14:00:00") is kept in `edtf`.

    Raises ValueError when the string is not EDTF.
    """
    value = value.strip()
    try:
        parsed = edtf.parse_edtf(value)
    except Exception as error:  # the edtf library raises its own EDTFParseException
        raise ValueError(f"not an EDTF date: {value!r}") from error
    return DateValue(edtf=value, display=display, min=_iso(parsed.lower_strict()), max=_iso(parsed.upper_strict()))


def from_text(text: str) -> DateValue | None:
    """Parse a written date ("December 14, 1959", "14 December 1959", "May 1955", "1959").

    Returns None when the text is not a date in one of those forms.
    """
    cleaned = " ".join(text.split()).rstrip(".")
    for pattern in _PATTERNS:
        match = pattern.match(cleaned)
        if not match:
            continue
        parts = match.groupdict()
        month = MONTHS.get(parts["month"].lower()) if parts.get("month") else None
        if parts.get("month") and not month:
            return None
        year = int(parts["year"])
        if parts.get("day"):
            try:
                day = date(year, month, int(parts["day"]))
            except ValueError:
                return None
            return from_edtf(day.isoformat(), display=cleaned)
        return from_edtf(f"{year:04d}-{month:02d}" if month else f"{year:04d}", display=cleaned)
    return None
