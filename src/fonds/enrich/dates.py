"""Document dates: EDTF with min/max days, read from metadata or from the text.

`from_edtf` turns an EDTF string into a `DateValue` (plain ISO forms are computed here, because
the `edtf` library's grammar costs ~15 ms a parse; everything else goes to the library).
`from_text` reads one written date in the English and Russian forms archives print ("14 December
1959", "December 14, 1959", "14.12.1959", "12/14/59", "14 декабря 1959 г.", "mid-1950s").
`mentions` finds every written date in a text, and `enrich` picks the document's own date among
them by position: the heading, a dateline, "protocol no. 253 of 14 December 1959" — not a date
the text merely mentions ("on 18 December this year").
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

import edtf

from fonds.enrich.findings import Context, Finding, Span, spans
from fonds.records import DateValue, Record

NAME = "dates"

_ENGLISH_MONTHS = [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
                   ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
                   ("october", "oct"), ("november", "nov"), ("december", "dec")]
# Russian month names by stem: nominative (декабрь), genitive (декабря) and the "г." forms share it.
_RUSSIAN_MONTHS = ["январ", "феврал", "март", "апрел", "ма", "июн", "июл", "август", "сентябр", "октябр", "ноябр", "декабр"]
_ROMAN = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"]
MONTHS = {name: number for number, names in enumerate(_ENGLISH_MONTHS, start=1) for name in names}
MONTHS.update({roman: number for number, roman in enumerate(_ROMAN, start=1)})
UNDATED = re.compile(r"^\W*(?:undated|n\.\s?d\.|no date|без даты|не датировано)\W*$", re.IGNORECASE)

_EN_MONTH = r"(?P<month>(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*)\.?"
_RU_MONTH = r"(?P<rumonth>(?:январ|феврал|март|апрел|ма|июн|июл|август|сентябр|октябр|ноябр|декабр)[а-яё]*)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>1[6-9]\d\d|20\d\d)"
_RANGE_DAY = r"(?:\s*[-–—]\s*(?P<day2>[0-3]?\d))?"
_RU_YEAR_MARK = r"(?:\s*(?:г\.|года|год)(?=\W|$))?"
# The written forms, each a regex with named parts; the order matters only for overlaps.
FORMS = [
    rf"{_EN_MONTH}\s+{_DAY}{_RANGE_DAY},?\s+{_YEAR}",              # December 14, 1959 / December 14-18, 1959
    rf"{_DAY}{_RANGE_DAY}\s+{_EN_MONTH},?\s+{_YEAR}",              # 14 December 1959
    rf"{_DAY}{_RANGE_DAY}\s+{_RU_MONTH}\s+{_YEAR}{_RU_YEAR_MARK}",  # 14 декабря 1959 г.
    rf"(?P<dday>[0-3]?\d)\.(?P<dmonth>[01]?\d|[ivx]+)\.(?P<dyear>1[6-9]\d\d|\d\d)(?!\.?\d)",  # 14.12.1959, 14.XII.59
    rf"(?P<smonth>[01]?\d)/(?P<sday>[0-3]?\d)/(?P<syear>1[6-9]\d\d|\d\d)(?![/\d])",         # 12/14/59 (US order)
    rf"(?P<iso>{_YEAR}-[01]\d-[0-3]\d)",                             # 1959-12-14
    rf"(?P<qual>early|mid|late|the)?[-\s]*(?P<decade>1[6-9]\d)0(?:'?s|-е(?:\s+годы)?|-х(?:\s+годов)?)",  # mid-1950s
    rf"(?P<circa>circa|ca\.|c\.|около|ок\.)\s*{_YEAR}",              # circa 1959
    rf"{_EN_MONTH},?\s+{_YEAR}",                                     # December 1959
    rf"{_RU_MONTH}\s+{_YEAR}{_RU_YEAR_MARK}",                        # декабрь 1959 г.
]


def _named_forms() -> re.Pattern:
    """One scanning regex over all forms; group names are made unique per form by a suffix."""
    parts = []
    for number, form in enumerate(FORMS):
        parts.append("(?:" + re.sub(r"\(\?P<(\w+)>", rf"(?P<\1_{number}>", form) + ")")
    return re.compile(r"(?<![\w/.-])(?:" + "|".join(parts) + r")(?![\w-])", re.IGNORECASE)


SCAN = _named_forms()


# ---------------------------------------------------------------- EDTF values


def _iso(struct) -> str:
    return f"{struct.tm_year:04d}-{struct.tm_mon:02d}-{struct.tm_mday:02d}"


_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?)?)?$")


def _iso_bounds(value: str) -> tuple[str, str] | None:
    """First and last day of '1959', '1959-12', '1959-12-14' or '1959-12-14T10:00'; None otherwise."""
    match = _ISO.match(value)
    if not match:
        return None
    year = int(match.group(1))
    month = int(match.group(2)) if match.group(2) else None
    try:
        if match.group(3):
            day = date(year, month, int(match.group(3))).isoformat()
            return day, day
        if month:
            return f"{year:04d}-{month:02d}-01", f"{year:04d}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"
    except ValueError:
        return None
    return f"{year:04d}-01-01", f"{year:04d}-12-31"


def from_edtf(value: str, display: str | None = None) -> DateValue:
    """A DateValue for an EDTF string; a time part ("1955-01-14T14:00:00") is kept in `edtf`.

    Raises ValueError when the string is not EDTF.
    """
    value = value.strip()
    low, sep, high = value.partition("/")
    bounds = [_iso_bounds(part) for part in ((low, high) if sep else (value,))]
    if all(bounds) and bounds[0][0] <= bounds[-1][1]:
        return DateValue(edtf=value, display=display, min=bounds[0][0], max=bounds[-1][1])
    try:
        parsed = edtf.parse_edtf(value)
    except Exception as error:  # the edtf library raises its own EDTFParseException
        raise ValueError(f"not an EDTF date: {value!r}") from error
    return DateValue(edtf=value, display=display, min=_iso(parsed.lower_strict()), max=_iso(parsed.upper_strict()))


# ---------------------------------------------------------------- written dates


def _year(text: str) -> int:
    """A four-digit year; two digits are read as 19xx (the archives' century)."""
    return int(text) if len(text) == 4 else 1900 + int(text)


def _month(text: str) -> int | None:
    """The number of an English month name or abbreviation ('Dec', 'Dec.', 'December'); 'decimal' is none."""
    text = text.lower().rstrip(".")
    if text in MONTHS:
        return MONTHS[text]
    return next((number for number, names in enumerate(_ENGLISH_MONTHS, 1)
                 if len(text) >= 3 and names[0].startswith(text)), None)


def _russian_month(text: str) -> int | None:
    stem = text.lower()
    # Longest stem first, so "март" is not read as "ма" (May) + "рт".
    for number, name in sorted(enumerate(_RUSSIAN_MONTHS, 1), key=lambda item: -len(item[1])):
        if stem.startswith(name) and (name != "ма" or stem in ("май", "мая", "мае")):
            return number
    return None


def _day_value(year: int, month: int, day: int, display: str, day2: int | None = None) -> DateValue | None:
    try:
        first = date(year, month, day).isoformat()
        if day2 is None:
            return DateValue(edtf=first, display=display, min=first, max=first)
        last = date(year, month, day2).isoformat()
    except ValueError:
        return None
    return DateValue(edtf=f"{first}/{last}", display=display, min=first, max=last) if last > first else None


def _value(parts: dict[str, str], display: str) -> DateValue | None:
    """The DateValue of one matched written form (`parts`: its named groups without suffixes)."""
    get = parts.get
    if get("iso"):
        return from_edtf(get("iso"), display=display)
    if get("decade"):
        return _decade(int(get("decade")), (get("qual") or "").lower(), display)
    if get("circa"):
        year = int(get("year"))
        return DateValue(edtf=f"{year}~", display=display, min=f"{year - 1}-01-01", max=f"{year + 1}-12-31")
    if get("dday"):
        month = MONTHS.get(get("dmonth").lower()) if not get("dmonth").isdigit() else int(get("dmonth"))
        return _day_value(_year(get("dyear")), month or 0, int(get("dday")), display)
    if get("sday"):
        return _day_value(_year(get("syear")), int(get("smonth")), int(get("sday")), display)
    month = _month(get("month")) if get("month") else _russian_month(get("rumonth")) if get("rumonth") else None
    if not month:
        return None
    year = int(get("year"))
    if get("day"):
        day2 = int(get("day2")) if get("day2") else None
        return _day_value(year, month, int(get("day")), display, day2)
    return from_edtf(f"{year:04d}-{month:02d}", display=display)


def _decade(decade: int, qualifier: str, display: str) -> DateValue:
    """'1950s' -> 195X; 'early/mid/late 1950s' -> an approximate interval of years within it."""
    first = decade * 10
    spans_ = {"early": (0, 3), "mid": (3, 6), "late": (6, 9)}
    if qualifier in spans_:
        low, high = (first + offset for offset in spans_[qualifier])
        return DateValue(edtf=f"{low}~/{high}~", display=display, min=f"{low}-01-01", max=f"{high}-12-31")
    return DateValue(edtf=f"{decade}X", display=display, min=f"{first}-01-01", max=f"{first + 9}-12-31")


@dataclass(frozen=True)
class Mention:
    """A written date in a text: where it is and what it means."""

    start: int
    end: int
    value: DateValue


def mentions(text: str) -> list[Mention]:
    """Every written date in `text`, in order."""
    found = []
    for match in SCAN.finditer(text):
        parts = {name.rsplit("_", 1)[0]: value for name, value in match.groupdict().items() if value}
        display = " ".join(match.group(0).split()).strip(" ,-")
        value = _value(parts, display)
        if value is not None:
            found.append(Mention(match.start(), match.end(), value))
    return found


def from_text(text: str) -> DateValue | None:
    """Parse a written date that is the whole of `text` ("December 14, 1959", "14.12.1959", "1959").

    Returns None when the text is not a date in one of the known forms (or says "undated").
    """
    cleaned = " ".join(text.split()).rstrip(".,")
    if re.fullmatch(r"1[6-9]\d\d|20\d\d", cleaned):
        return from_edtf(cleaned, display=cleaned)
    found = mentions(cleaned)
    if len(found) == 1 and found[0].start == 0 and found[0].end >= len(cleaned.rstrip(". г")) - 1:
        return found[0].value
    return None


# ---------------------------------------------------------------- the document's own date

HEAD_LINES = 8
DATELINE_CHARS = 90
# Cues that the date after them is the document's own: "protocol no. 253 of 14 December 1959",
# "No. 12 of ...", "dated ...", "от 14 декабря 1959 г." (Russian "of").
_OWN_CUE = re.compile(r"(?:protocol|minutes|decision|resolution|no\.|№|dated|протокол\w*|от)\s*(?:no\.?\s*\d+\S*\s*)?"
                      r"(?:of\s+(?:the\s+)?(?:meeting|session)\s+of\s+[^.\n]{0,80}?)?(?:of|от|dated)?\s*$", re.IGNORECASE)
# A lower-case word of four letters or more: prose, not a dateline ("Paris, January 14, 1949—2 p. m.").
_PROSE = re.compile(r"(?<![\w.])(?!(?:noon|midnight|undated|and|via)\b)[a-zа-яё]{4,}\b")
# Editors' notes between documents are not documents of a date of their own.
_NOT_DATED = re.compile(r"^(?:No\.\s*)?\d*\.?\s*editorial note\b", re.IGNORECASE)
_SOURCE_LINE = re.compile(r"^\s*(?:source|sources|источник)\b", re.IGNORECASE)


def _candidates(record: Record) -> list[tuple[float, Span, Mention]]:
    """(confidence, span, mention) for dates in positions that carry the document's own date."""
    found = []
    if record.title:
        title = Span("title", record.title)
        for mention in mentions(record.title)[-1:]:  # "..., Washington, January 3, 1955"
            found.append((0.9, title, mention))
    for span in spans(record, title=False, citation=False)[:1]:
        offset = 0
        for number, line in enumerate(span.text.split("\n")):
            if number >= HEAD_LINES:
                break
            found += _in_line(span, line, offset)
            offset += len(line) + 1
    return found


def _in_line(span: Span, line: str, offset: int) -> list[tuple[float, Span, Mention]]:
    """Dates of one opening line: a dateline (a short line that is mostly a date) or a cued date."""
    if _SOURCE_LINE.match(line):
        return []
    found = []
    for mention in mentions(line):
        shifted = Mention(offset + mention.start, offset + mention.end, mention.value)
        if len(line.strip()) <= DATELINE_CHARS and not _PROSE.search(line[:mention.start]) \
                and not _PROSE.search(line[mention.end:]):
            found.append((0.85, span, shifted))
        elif _OWN_CUE.search(line[:mention.start]):
            found.append((0.75, span, shifted))
    return found


def _is_undated(record: Record) -> bool:
    heads = [record.texts[0].body.split("\n", 3)[:3]] if record.texts else []
    return any(UNDATED.match(line) or line.rstrip().lower().endswith(", undated") for lines in heads for line in lines)


def enrich(record: Record, context: Context) -> list[Finding]:
    """Set the document date when the record has none, from the best-placed written date."""
    if record.date is not None or _NOT_DATED.match(record.title or ""):
        return []
    candidates = _candidates(record)
    if not candidates:
        if record.texts and _is_undated(record):
            return [Finding(record.id, "date", None, "texts[0]", 0.8, NAME, "undated")]
        return []
    confidence, span, mention = max(candidates, key=lambda c: c[0])
    record.date = mention.value
    evidence = span.text[mention.start:mention.end]
    return [Finding(record.id, "date", mention.value.model_dump(), span.source(mention.start, mention.end),
                    confidence, NAME, evidence)]
