"""Identification forms that archives put in front of a released document, and what they say.

NARA's JFK Assassination Records carry on their first page a "JFK Assassination System /
Identification Form": agency, record number, series, originator, from, to, title, date, pages,
subjects, document type, classification, restrictions, current status, date of last review,
opening criteria, comments. It describes the record; it is not the document. `find` says where a
form is in a text (so that enrichers read the document after it, never the form's stamp or review
dates as the document's date) and what it gives, as far as OCR left it legible.

The forms reach us as OCR in two layouts: one label per line with its value after the colon (or on
the next line), and a two-column FBI layout read column by column, where values follow their
labels out of order. Values are therefore recognised by what they look like near their label
(a marking near CLASSIFICATION, a status word near STATUS, a date near REVIEW), not by position.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# The form's title, OCR'd in many ways ("JFK ASSASSINATION SYSTEM", "ANK ASSASSINATION SYSTEMI",
# "MONK ASSASSINATION SUSINE"), followed within a few lines by "IDENTIFICATION FORM".
_TITLE = re.compile(r"^\W*identification\s+form\W*$", re.IGNORECASE | re.MULTILINE)
TITLE_WITHIN = 1500  # characters from the start of the text where the form must begin
LABELS = ("agency originator", "agency file number", "agency file", "agency", "record number", "records series",
          "record series", "originator", "from", "to", "title", "date of last review", "review date", "update date",
          "date", "pages", "subjects", "subject", "document type", "new classification", "classification",
          "restrictions", "current status", "status", "opening criteria", "comments")
_LABEL = re.compile(r"^\W{0,3}(" + "|".join(label.replace(" ", r"\s+") for label in LABELS) + r")\b\s*\.?\s*:?\s*(.*)$",
                    re.IGNORECASE)
_PAGE_END = re.compile(r"^(?:---+|## Page \d+|\f)\s*$|\f", re.MULTILINE)
_FOOTER = re.compile(r"^\W*N[WH]\s*\d{5}\b.*$", re.MULTILINE)  # "NW 65360 DocId:32423393 Page 1"
_MARKING = re.compile(r"^(top secret|secret|confidential|unclassified|restricted|official use only)\b[\w ,/-]{0,20}$",
                      re.IGNORECASE)
_STATUS = re.compile(r"^(?:redact\w*|released?\b.*|postponed\b.*|open\b.*|withh[eo]ld\b.*|denied\b.*|[PXO])$",
                     re.IGNORECASE)
_DAY = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})\b")
_CODE = re.compile(r"^(?:JFK\s+Act\b.*|\(b\)\s*\(\d\).*|[1I]?\d[A-D]?|[1I][A-D]|referred|consulted)$", re.IGNORECASE)
NEAR = 4  # lines after a label where its value may stand in the two-column layout


@dataclass
class IdentificationForm:
    """What a form gives; `start` and `end` are its character span in the text."""

    start: int
    end: int
    agency: str | None = None
    record_number: str | None = None
    originator: str | None = None
    classification: str | None = None
    restrictions: list[str] = field(default_factory=list)
    status: str | None = None
    review_date: str | None = None  # ISO day


def find(text: str) -> IdentificationForm | None:
    """The identification form at the start of `text`, or None when there is none."""
    title = _TITLE.search(text, 0, TITLE_WITHIN + 200)
    if not title or title.start() > TITLE_WITHIN:
        return None
    start = text.rfind("\n", 0, max(0, title.start() - 120)) + 1
    page_end = _PAGE_END.search(text, title.end())
    end = page_end.start() if page_end else len(text)
    footer = _FOOTER.search(text, title.end(), end)
    if footer and not page_end:
        end = footer.end()
    lines = [line.strip() for line in text[title.end():end].splitlines() if line.strip()]
    form = IdentificationForm(start=start, end=end)
    _read(form, lines)
    return form


def _read(form: IdentificationForm, lines: list[str]) -> None:
    # A value on the line after its label may keep the label's colon (": SECRET").
    labelled = [(_label(line), line.lstrip(":").strip()) for line in lines]
    for index, (label, line) in enumerate(labelled):
        if label is None:
            continue
        name, rest = label
        following = [text for other, text in labelled[index + 1:index + 1 + NEAR] if other is None]
        if name in ("agency", "record number", "originator", "agency originator"):
            value = rest or (following[0] if following and labelled[index + 1][0] is None else "")
            attribute = "originator" if "originator" in name else name.replace(" ", "_")
            if value and getattr(form, attribute) is None:
                setattr(form, attribute, value.strip(" .:"))
        elif name == "classification" and form.classification is None:
            form.classification = next((text.strip() for text in [rest, *following] if _MARKING.match(text.strip())), None)
        elif name in ("current status", "status") and form.status is None:
            form.status = next((text.strip() for text in [rest, *following] if _STATUS.match(text.strip())), None)
        elif name in ("date of last review", "review date") and form.review_date is None:
            form.review_date = next((day for text in [rest, *following] if (day := _iso_day(text))), None)
        elif name == "restrictions" and not form.restrictions:
            form.restrictions = _restrictions([rest, *_until_label(labelled[index + 1:])])


def _label(line: str) -> tuple[str, str] | None:
    match = _LABEL.match(line)
    if not match:
        return None
    name, rest = " ".join(match.group(1).lower().split()), match.group(2).strip().lstrip(":").strip()
    if rest.lower() == "information":  # the section headings "Agency Information", "Document Information"
        return None
    return name, rest


def _until_label(labelled: list[tuple[tuple[str, str] | None, str]]) -> list[str]:
    values = []
    for label, text in labelled[:NEAR]:
        if label is not None:
            break
        values.append(text)
    return values


def _restrictions(texts: list[str]) -> list[str]:
    """Exemption codes as written ("1B", "JFK Act 6 (1)(B)", "REFERRED"); an OCR'd "IC" is 1C."""
    codes = []
    for text in texts:
        text = text.strip(" .:")
        if not text:
            continue
        pieces = [text] if re.match(r"(?i)jfk\s+act|\(b\)", text) else re.split(r"[;,\s]+", text)
        for piece in pieces:
            piece = re.sub(r"^I([A-D])$", r"1\1", piece.strip(), flags=re.IGNORECASE).upper() \
                if not piece.lower().startswith("jfk") else piece.strip()
            if piece and _CODE.match(piece) and piece not in codes:
                codes.append(piece)
    return codes


def _iso_day(text: str) -> str | None:
    """'08/12/1993' or '09/29/93' as an ISO day (two-digit years are 19xx or 20xx, whichever is past)."""
    match = _DAY.search(text)
    if not match:
        return None
    month, day, year = int(match.group(1)), int(match.group(2)), match.group(3)
    year_number = int(year) if len(year) == 4 else (1900 + int(year) if int(year) > 30 else 2000 + int(year))
    if not (1 <= month <= 12 and 1 <= day <= 31 and 1900 <= year_number <= 2100):
        return None
    return f"{year_number:04d}-{month:02d}-{day:02d}"
