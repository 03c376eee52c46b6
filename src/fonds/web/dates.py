"""Dates in the visitor's language: a record's EDTF date, an authority's dates, a browsing period, a decade.

The English interface shows a record's date as recorded (its `display`, the editors' wording); other
languages format the EDTF value with Django's formats of the language ("14 декабря 1959 г."), since
the recorded wording is English. What cannot be read as EDTF is shown as recorded.
"""

from __future__ import annotations

import re
from datetime import date

from django.utils import formats
from django.utils.translation import get_language, gettext, pgettext

from fonds.archive.browse import Period
from fonds.enrich.dates import from_text

_PART = re.compile(r"(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?(?:T[\d:]+(?:Z|[+-][\d:]+)?)?(?P<q>[?~%]?)")
_DECADE = re.compile(r"(?P<decade>\d{3})[Xu](?P<q>[?~%]?)")


def _english() -> bool:
    return (get_language() or "en").split("-")[0] == "en"


def document_date(edtf: str | None, display: str | None) -> str:
    """A document's date for the page: the recorded display in English, else the EDTF formatted in
    the active language (the display when the EDTF has a form this does not know)."""
    if _english() and display:
        return display
    return (edtf and edtf_label(edtf)) or display or edtf or ""


def written_date(text: str | None) -> str:
    """A date known only as written (a search hit carries its display form): read back into EDTF
    and formatted in the active language; as written when it cannot be read."""
    if not text or _english():
        return text or ""
    label = edtf_label(text)  # hits of records without a display carry the EDTF itself
    if label:
        return label
    value = from_text(text)
    return (value and edtf_label(value.edtf)) or text


def authority_dates(value: str | None) -> str:
    """An authority's dates (a person's life, a state's existence; EDTF such as "1894/1971") in the
    active language, in English too, since no reader writes a span with a slash; as recorded when
    they are not EDTF (an imported file may say "b. 1920")."""
    return (value and edtf_label(value)) or value or ""


def edtf_label(value: str) -> str | None:
    """An EDTF day, month, year, decade or interval in the active language; None for other forms."""
    start, sep, end = value.strip().partition("/")
    if not sep:
        return _single(start)
    first = _single(start) if start not in ("", "..") else None
    last = _single(end) if end not in ("", "..") else None
    if first and last:
        # Two bare years close up around the dash (1894–1971), as both languages print year spans;
        # longer dates keep the spaced dash ("14 May 1956 – 2 June 1957").
        if start.isdigit() and end.isdigit():
            return pgettext("year interval", "%(start)s–%(end)s") % {"start": first, "end": last}
        return pgettext("date interval", "%(start)s – %(end)s") % {"start": first, "end": last}
    if first and end in ("", ".."):
        return pgettext("open date interval", "from %(start)s") % {"start": first}
    if last and start in ("", ".."):
        return pgettext("open date interval", "until %(end)s") % {"end": last}
    return None


def _single(value: str) -> str | None:
    match = _PART.fullmatch(value)
    if match:
        label = _calendar_label(int(match["year"]), match["month"], match["day"])
    else:
        match = _DECADE.fullmatch(value)
        label = decade_label(int(match["decade"]) * 10) if match else None
    if label is None:
        return None
    qualifier = match["q"]
    if qualifier == "~":
        return pgettext("approximate date", "ca. %(date)s") % {"date": label}
    if qualifier == "?":
        return pgettext("uncertain date", "%(date)s (?)") % {"date": label}
    if qualifier == "%":
        return pgettext("approximate and uncertain date", "ca. %(date)s (?)") % {"date": label}
    return label


def _calendar_label(year: int, month: str | None, day: str | None) -> str | None:
    try:
        if day:
            return formats.date_format(date(year, int(month), int(day)), "DATE_FORMAT")
        if month:
            return formats.date_format(date(year, int(month), 1), "YEAR_MONTH_FORMAT")
    except ValueError:  # month 13, day 32, year 0
        return None
    return str(year) if year else None


def decade_label(year: int) -> str:
    """A decade by its first year: "1950s", "1950-е"."""
    return gettext("%(decade)ss") % {"decade": year}


def period_label(span: Period) -> str:
    """A browsing period in the active language: "1950s", "1959", "April 1959"."""
    if span.level == "month":
        return formats.date_format(span.first, "YEAR_MONTH_FORMAT")
    if span.level == "decade":
        return decade_label(span.first.year)
    return span.label
