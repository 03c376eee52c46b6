"""Document dates: EDTF with min/max days, read from metadata or from the text.

`from_edtf` turns an EDTF string into a `DateValue` (plain ISO forms are computed here, because
the `edtf` library's grammar costs ~15 ms a parse; everything else goes to the library).
`from_text` reads one written date in the English and Russian forms archives print ("14 December
1959", "December 14, 1959", "June 20-August 31, 1961", "14.12.1959", "12/14/1959", "1959-12-14",
"14 декабря 1959 г.", "1933 г.", "mid-1950s"), years 1600-2100.
`from_field` reads a date as a metadata field gives it (a sheet cell, front matter), including the
placeholders archives put in such fields ("01/01/0000", "00/00/1963"), which it reads for what
they can mean and reports instead of failing. `mentions` finds every written date in a text, and
`enrich` picks the document's own date among them by position: the heading, a dateline, a closing
dateline ("8 июня 1928 г." under a letter), "protocol no. 253 of 14 December 1959" — not a date
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
_RU_STEMS = r"(?:январ|феврал|март|апрел|ма|июн|июл|август|сентябр|октябр|ноябр|декабр)"
_RU_MONTH = rf"(?P<rumonth>{_RU_STEMS}[а-яё]*)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th|d)?\.?"
# The years a date in a text may have. Metadata fields take any year 1000-2100 (`from_field`), but in
# running text, and OCR above all, a year before 1600 is far more often a misread digit ("6 MAR 1079")
# than a date.
_YEARS = r"1[6-9]\d\d|20\d\d|2100"
_YEAR = rf"\[?(?P<year>{_YEARS})\]?"  # editors bracket a supplied year: "28th July [1778]"
_DASH = r"\s*[-–—]\s*"
_RANGE_DAY = rf"(?:{_DASH}(?P<day2>[0-3]?\d))?"
_COMMA = r"(?:,\s*|\s+|(?<=\.))"  # between day and year: "14, 1959", "14 1959", "12,1776", "13.1777"
_RU_YEAR_MARK = r"(?:\s*(?:г\.|года|год)(?=\W|$))?"
# The written forms, each a regex with named parts; the order matters only for overlaps.
FORMS = [
    rf"{_EN_MONTH}\s+{_DAY}{_DASH}(?P<month2>[a-z]{{3,9}})\.?\s+(?P<day2>[0-3]?\d),?\s+{_YEAR}",  # June 20-August 31, 1961
    rf"{_DAY}\s+{_EN_MONTH}{_DASH}(?P<day2>[0-3]?\d)\s+(?P<month2>[a-z]{{3,9}})\.?,?\s+{_YEAR}",  # 20 June-31 August 1961
    rf"{_EN_MONTH}\s+{_DAY}{_RANGE_DAY}{_COMMA}{_YEAR}",            # December 14, 1959 / December 14-18, 1959
    rf"{_DAY}{_RANGE_DAY}\s+{_EN_MONTH},?\s+{_YEAR}",              # 14 December 1959
    rf"{_DAY}\s+{_RU_MONTH}{_DASH}(?P<day2>[0-3]?\d)\s+(?P<rumonth2>{_RU_STEMS}[а-яё]*)\s+{_YEAR}{_RU_YEAR_MARK}",  # 26 июля – 3 августа 1917 г.
    rf"{_DAY}{_RANGE_DAY}\s+{_RU_MONTH}\s+{_YEAR}{_RU_YEAR_MARK}",  # 14 декабря 1959 г.
    rf"(?P<dday>[0-3]?\d)\.\s?(?P<dmonth>[01]?\d|[ivx]+)\.\s?(?P<dyear>{_YEARS}|\d\d)(?!\.?\d){_RU_YEAR_MARK}",  # 14.12.1959, 10. III.37 г.
    rf"(?P<smonth>[01]?\d)/(?P<sday>[0-3]?\d)/(?P<syear>{_YEARS}|\d\d)(?![/\d])",  # 12/14/1959, 12/14/59 (US order)
    rf"(?P<iso>(?:{_YEARS})-[01]\d-[0-3]\d)",                      # 1959-12-14
    rf"(?P<qual>early|mid|late|the)?[-\s]*(?P<decade>1[6-9]\d)0(?:'?s|-е(?:\s+годы)?|-х(?:\s+годов)?)",  # mid-1950s
    rf"(?P<circa>circa|ca\.|c\.|около|ок\.)\s*{_YEAR}",              # circa 1959
    rf"{_EN_MONTH},?\s+{_YEAR}",                                     # December 1959
    rf"{_RU_MONTH}\s+{_YEAR}{_RU_YEAR_MARK}",                        # декабрь 1959 г.
    rf"(?P<ryear>{_YEARS})\s*(?:г\.|года?(?=\W|$))",                  # 1933 г., 1933 года
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
    """The number of an English month name or abbreviation ('Dec', 'Dec.', 'December', and the
    18th century's 'Octr.', 'Jany.', 'Septr.': the first three letters, then letters of the name
    in order); 'decimal' is none."""
    text = text.lower().rstrip(".")
    if text in MONTHS:
        return MONTHS[text]
    return next((number for number, names in enumerate(_ENGLISH_MONTHS, 1)
                 if len(text) >= 3 and text[:3] == names[0][:3] and _in_order(text[3:], names[0][3:])), None)


def _in_order(letters: str, word: str) -> bool:
    """Whether `letters` occur in `word` in this order (not necessarily next to each other)."""
    rest = iter(word)
    return all(letter in rest for letter in letters)


def _russian_month(text: str) -> int | None:
    stem = text.lower()
    # Longest stem first, so "март" is not read as "ма" (May) + "рт".
    for number, name in sorted(enumerate(_RUSSIAN_MONTHS, 1), key=lambda item: -len(item[1])):
        if stem.startswith(name) and (name != "ма" or stem in ("май", "мая", "мае")):
            return number
    return None


def _day_value(year: int, month: int, day: int, display: str, day2: int | None = None,
               month2: int | None = None) -> DateValue | None:
    """One day, or the days from it to `day2` (of `month2`, else of the same month) as an interval."""
    try:
        first = date(year, month, day).isoformat()
        if day2 is None:
            return DateValue(edtf=first, display=display, min=first, max=first)
        last = date(year, month2 or month, day2).isoformat()
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
    if get("ryear"):
        return from_edtf(get("ryear"), display=display)
    month = _month(get("month")) if get("month") else _russian_month(get("rumonth")) if get("rumonth") else None
    month2 = _month(get("month2")) if get("month2") else _russian_month(get("rumonth2")) if get("rumonth2") else None
    if not month or ((get("month2") or get("rumonth2")) and not month2):
        return None
    year = int(get("year"))
    if get("day"):
        day2 = int(get("day2")) if get("day2") else None
        return _day_value(year, month, int(get("day")), display, day2, month2)
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


_BETWEEN_RANGE = re.compile(r"\s*(?:[-–—]|to|until|по|до)\s*", re.IGNORECASE)


def mentions(text: str) -> list[Mention]:
    """Every written date in `text`, in order; two full dates joined by a dash ("December 28,
    1960-January 3, 1961") are one interval."""
    found: list[Mention] = []
    for match in SCAN.finditer(text):
        parts = {name.rsplit("_", 1)[0]: value for name, value in match.groupdict().items() if value}
        display = " ".join(match.group(0).split()).strip(" ,-")
        value = _value(parts, display)
        if value is None:
            continue
        mention = Mention(match.start(), match.end(), value)
        if found and _BETWEEN_RANGE.fullmatch(text[found[-1].end:match.start()]):
            mention = _joined(text, found[-1], mention) or mention
            if mention.start == found[-1].start:
                found.pop()
        found.append(mention)
    return found


def _joined(text: str, first: Mention, second: Mention) -> Mention | None:
    """One interval from two dates written as a range, when the first comes before the second."""
    low, high = first.value, second.value
    if not (low.min and high.max and low.min < high.max) or "/" in low.edtf or "/" in high.edtf:
        return None
    display = " ".join(text[first.start:second.end].split())
    return Mention(first.start, second.end, DateValue(edtf=f"{low.edtf}/{high.edtf}", display=display,
                                                      min=low.min, max=high.max))


def from_text(text: str) -> DateValue | None:
    """Parse a written date that is the whole of `text` ("December 14, 1959", "14.12.1959", "1959").

    Returns None when the text is not a date in one of the known forms (or says "undated").
    """
    cleaned = re.sub(r"(?<!г)[.,]+$", "", " ".join(text.split()))  # "1933 г." keeps its full stop
    if re.fullmatch(_YEARS, cleaned):
        return from_edtf(cleaned, display=cleaned)
    found = mentions(cleaned)
    if len(found) == 1 and found[0].start == 0 and found[0].end >= len(cleaned.rstrip(". г")) - 1:
        return found[0].value
    return None


# ---------------------------------------------------------------- dates in metadata fields

EXPECTED = ("expected EDTF (1959-12-14, 1959-12, 1959~, 1959-12-14/1959-12-18), a written date (14 December 1959, "
            "December 14, 1959, 14 декабря 1959 г.) or a numeric one (12/14/1959, 14.12.1959, 1959-12-14)")
# A numeric date whose parts may be zeros, as archives' databases export unknown parts:
# MM/DD/YYYY (US order with slashes), DD.MM.YYYY, YYYY-MM-DD.
_NUMERIC_FIELD = [
    re.compile(r"(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4})"),
    re.compile(r"(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})"),
    re.compile(r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})"),
]


@dataclass(frozen=True)
class FieldDate:
    """A metadata field's date, and why it says less than the field seems to (None when it does not)."""

    value: DateValue | None
    note: str | None = None


def from_field(text: str) -> FieldDate:
    """A date as a metadata field gives it: EDTF, written, or numeric with any year 1000-2100.

    Placeholders that archives' databases put where a part is unknown are read for what they can
    mean, with a note saying so (the caller reports it as a finding): a year 0000 is no date, a
    month 00 leaves the year, a day 00 the month, and 01/01/YYYY, which NARA's sheets use when
    only the year is known, is read as that year. Raises ValueError saying what was expected.
    """
    text = " ".join(str(text).split())
    if not text:
        return FieldDate(None)
    numeric = next((match for pattern in _NUMERIC_FIELD if (match := pattern.fullmatch(text))), None)
    if numeric:
        return _numeric_field(text, int(numeric["y"]), int(numeric["m"]), int(numeric["d"]), slashes="/" in text)
    if UNDATED.match(text):
        return FieldDate(None)
    written = from_text(text)
    if written:
        return FieldDate(written)
    try:
        return FieldDate(from_edtf(text))
    except ValueError:
        raise ValueError(f"{text!r} is not a date: {EXPECTED}") from None


def _numeric_field(text: str, year: int, month: int, day: int, slashes: bool) -> FieldDate:
    order = "MM/DD/YYYY" if slashes else "DD.MM.YYYY or YYYY-MM-DD"
    if year == 0:
        return FieldDate(None, f"{text!r} is a placeholder for an unknown date (year 0000): left undated")
    if not 1000 <= year <= 2100:
        raise ValueError(f"{text!r}: year {year} is outside 1000-2100; {EXPECTED}")
    if month > 12:
        raise ValueError(f"{text!r}: there is no month {month} ({order} expected)")
    if month == 0:
        return FieldDate(from_edtf(f"{year:04d}", display=str(year)), f"{text!r} gives no month or day: read as the year {year}")
    name = calendar.month_name[month]
    if day == 0:
        return FieldDate(from_edtf(f"{year:04d}-{month:02d}", display=f"{name} {year}"),
                         f"{text!r} gives no day: read as {name} {year}")
    if slashes and month == 1 and day == 1:
        return FieldDate(from_edtf(f"{year:04d}", display=str(year)),
                         f"{text!r}: 01/01 is the placeholder NARA's sheets use when only the year is known: "
                         f"read as the year {year}")
    try:
        day_value = date(year, month, day).isoformat()
    except ValueError:
        raise ValueError(f"{text!r}: {name} {year} has no day {day} ({order} expected)") from None
    return FieldDate(from_edtf(day_value, display=f"{name} {day}, {year}"))

# ---------------------------------------------------------------- the document's own date

HEAD_LINES = 8  # non-blank lines at the start where a dateline may stand
TAIL_LINES = 3  # ... and at the end (a letter's closing dateline: "8 июня 1928 г.")
DATELINE_CHARS = 90
CUED_LINE_CHARS = 250  # a cued date ("protocol no. 253 of ...") stands in a heading, not in a paragraph
# Cues that the date after them is the document's own: "protocol no. 253 of 14 December 1959",
# "No. 12 of ...", "dated ...", "от 14 декабря 1959 г." (Russian "of").
_OWN_CUE = re.compile(r"(?:protocol|minutes|decision|resolution|no\.|№|dated|протокол\w*|от)\s*(?:no\.?\s*\d+\S*\s*)?"
                      r"(?:of\s+(?:the\s+)?(?:meeting|session)\s+of\s+[^.\n]{0,80}?)?(?:of|от|dated)?\s*$", re.IGNORECASE)
# A lower-case word of four letters or more: prose, not a dateline ("Paris, January 14, 1949—2 p. m.").
_PROSE = re.compile(r"(?<![\w.])(?!(?:noon|midnight|undated|and|via|dear|friend|brother|madam)\b)[a-zа-яё]{4,}\b")
# Editors' notes between documents are not documents of a date of their own.
_NOT_DATED = re.compile(r"^(?:No\.\s*)?\d*\.?\s*editorial note\b", re.IGNORECASE)
_SOURCE_LINE = re.compile(r"^\s*(?:source|sources|источник)\b", re.IGNORECASE)


def _candidates(record: Record) -> list[tuple[float, Span, Mention]]:
    """(confidence, span, mention) for dates in positions that carry the document's own date: the
    title, the opening lines (a dateline, a cued date), the closing lines (a letter's dateline)."""
    found = []
    if record.title and not _title_from_text(record):
        title = Span("title", record.title)
        for mention in mentions(record.title)[-1:]:  # "..., Washington, January 3, 1955"
            found.append((0.9, title, mention))
    for span in spans(record, title=False, citation=False)[:1]:
        lines = _lines(span.text)
        for line, offset in lines[:HEAD_LINES]:
            found += _in_line(span, line, offset, opening=offset == lines[0][1])
        for line, offset in lines[max(HEAD_LINES, len(lines) - TAIL_LINES):]:
            found += [(0.8, found_span, mention) for _, found_span, mention in _in_line(span, line, offset)
                      if len(line.strip()) <= DATELINE_CHARS]
    return found


def _title_from_text(record: Record) -> bool:
    """Whether the title is only the text's first line (a plain text's), read with the text instead."""
    first = next((line.strip() for line in record.texts[0].body.split("\n") if line.strip()), "") if record.texts else ""
    return bool(first) and first.startswith(record.title.strip().lstrip("#").strip())


def _lines(text: str) -> list[tuple[str, int]]:
    """The non-blank lines of a text with their offsets (OCR leaves blank lines between lines)."""
    found, offset = [], 0
    for line in text.split("\n"):
        if line.strip():
            found.append((line, offset))
        offset += len(line) + 1
    return found


def _in_line(span: Span, line: str, offset: int, opening: bool = False) -> list[tuple[float, Span, Mention]]:
    """Dates of one line: a dateline (a short line that is mostly a date), a date that opens a long
    first line before any prose ("Sir, Philada. May 10th. 1777 I have..."), or a cued date."""
    if _SOURCE_LINE.match(line):
        return []
    found = []
    for mention in mentions(line):
        shifted = Mention(offset + mention.start, offset + mention.end, mention.value)
        before, after = line[:mention.start], line[mention.end:]
        if not _PROSE.search(before) and (len(line.strip()) <= DATELINE_CHARS and not _PROSE.search(after)
                                          or opening and mention.start < DATELINE_CHARS):
            found.append((0.85, span, shifted))
        elif len(line) <= CUED_LINE_CHARS and _OWN_CUE.search(before):
            found.append((0.75, span, shifted))
    return found


def _is_undated(record: Record) -> bool:
    heads = [record.texts[0].body.split("\n", 3)[:3]] if record.texts else []
    return any(UNDATED.match(line) or line.rstrip().lower().endswith(", undated") for lines in heads for line in lines)


def enrich(record: Record, context: Context) -> list[Finding]:
    """Set the document date when the record has none, from the best-placed written date; make a
    date the source gives only as a year or a month ("1774" from a sheet) precise when the
    document's own date lies within it ("Philadelphia Sept 24 1774")."""
    if _NOT_DATED.match(record.title or "") or (record.date is not None and not _coarse(record.date)):
        return []
    candidates = _candidates(record)
    if record.date is not None:
        within = [c for c in candidates if _refines(record.date, c[2].value)]
        if not within:
            return []
        candidates = within
    if not candidates:
        if record.texts and _is_undated(record):
            return [Finding(record.id, "date", None, "texts[0]", 0.8, NAME, "undated")]
        return []
    confidence, span, mention = max(candidates, key=lambda c: c[0])
    record.date = mention.value
    evidence = span.text[mention.start:mention.end]
    return [Finding(record.id, "date", mention.value.model_dump(), span.source(mention.start, mention.end),
                    confidence, NAME, evidence)]


def _coarse(value: DateValue) -> bool:
    """A plain year or month (no day), which a dateline may make precise."""
    return bool(re.fullmatch(r"\d{4}(?:-\d{2})?", value.edtf))


def _refines(coarse: DateValue, found: DateValue) -> bool:
    """Whether `found` is more precise than `coarse` and lies within it."""
    return bool(found.min and found.max and coarse.min and coarse.max and coarse.min <= found.min
                and found.max <= coarse.max and (found.min, found.max) != (coarse.min, coarse.max))
