"""BibTeX entries from CSL items.

Archival documents are `@misc` (the one entry type every BibTeX and biblatex style prints without
required publication data). Fields: author, title (braced, so styles keep the archive's
capitalisation), date (ISO/EDTF for biblatex) with year and month (for BibTeX), type (document
type), note (archival reference and archive, so classic styles print where the original is),
howpublished (the publishing archive), url, urldate, language, abstract, keywords. Text is
written as UTF-8 with LaTeX's special characters escaped.
"""

from __future__ import annotations

import re
import unicodedata

from fonds.cite.csl import source_text

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_LATEX_SPECIALS = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "%": r"\%",
                   "#": r"\#", "_": r"\_", "^": r"\textasciicircum{}", "~": r"\textasciitilde{}"}
_STOPWORDS = {"a", "an", "the", "of", "on", "to", "from", "and", "in", "for"}


def escape(text: str) -> str:
    """Text with LaTeX's special characters escaped; whitespace runs become one space."""
    text = " ".join(text.split())
    return "".join(_LATEX_SPECIALS.get(char, char) for char in text)


def citation_key(item: dict) -> str:
    """A key that stays the same for the same record: name or title word, year, record id.

    "wainhouse1955-frus1955-57v20-d3". The record id makes it unique in any export, so a key
    never depends on which other documents were exported with it.
    """
    names = item.get("author") or []
    word = _ascii(names[0].get("family") or names[0].get("literal", "")) if names else ""
    if not word:
        words = [w for w in re.findall(r"[A-Za-z0-9]+", _ascii(item.get("title", ""))) if w.lower() not in _STOPWORDS]
        word = words[0] if words else "document"
    word = re.sub(r"[^a-z0-9]", "", word.lower())[:24] or "document"
    year = _year(item) or "nd"
    record_id = re.sub(r"[^A-Za-z0-9_.:-]", "-", item["id"])
    return f"{word}{year}-{record_id}"


def _ascii(text: str) -> str:
    """Latin letters without accents (Хрущёв keeps nothing, so the title word is used instead)."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _year(item: dict) -> str | None:
    parts = (item.get("issued") or {}).get("date-parts")
    return str(parts[0][0]) if parts and parts[0] else None


def bibtex_names(names: list[dict]) -> str:
    """CSL names joined with " and ": "Hoover, Jr., Herbert C."; literal names are braced whole."""
    out = []
    for name in names:
        if "literal" in name:
            out.append("{" + escape(name["literal"]) + "}")
        elif name.get("suffix"):
            out.append(f"{escape(name['family'])}, {escape(name['suffix'])}, {escape(name.get('given', ''))}")
        else:
            out.append(", ".join(escape(part) for part in (name["family"], name.get("given")) if part))
    return " and ".join(out)


def bibtex_entry(item: dict) -> str:
    """One @misc entry."""
    fields: list[tuple[str, str]] = []
    if item.get("author"):
        fields.append(("author", "{" + bibtex_names(item["author"]) + "}"))
    fields.append(("title", "{{" + escape(item["title"]) + "}}"))
    fields += _date_fields(item)
    for key, variable in (("type", "genre"), ("howpublished", "publisher"), ("language", "language"),
                          ("abstract", "abstract"), ("keywords", "keyword")):
        if item.get(variable):
            fields.append((key, "{" + escape(item[variable]) + "}"))
    note = source_text(item)
    if note:
        fields.append(("note", "{" + escape(note) + "}"))
    if item.get("translator"):
        fields.append(("translator", "{" + bibtex_names(item["translator"]) + "}"))
    if item.get("URL"):
        fields.append(("url", "{" + item["URL"] + "}"))  # url fields are verbatim in biblatex and url.sty
    accessed = (item.get("accessed") or {}).get("date-parts")
    if accessed:
        fields.append(("urldate", "{" + _iso(accessed[0]) + "}"))
    body = ",\n".join(f"  {key} = {value}" for key, value in fields)
    return f"@misc{{{citation_key(item)},\n{body}\n}}\n"


def _date_fields(item: dict) -> list[tuple[str, str]]:
    """biblatex `date` (ISO, ranges with "/", "~" when circa) and BibTeX year and month."""
    issued = item.get("issued") or {}
    parts = issued.get("date-parts")
    if not parts:
        return [("year", "{" + escape(issued["literal"]) + "}")] if issued.get("literal") else []
    date = "/".join(_iso(point) for point in parts) + ("~" if issued.get("circa") else "")
    fields = [("date", "{" + date + "}"), ("year", "{" + str(parts[0][0]) + "}")]
    if len(parts) == 1 and len(parts[0]) > 1:
        fields.append(("month", MONTHS[parts[0][1] - 1]))
    return fields


def _iso(point: list[int]) -> str:
    return "-".join([f"{point[0]:04d}"] + [f"{value:02d}" for value in point[1:]])


def bibtex(items: list[dict]) -> str:
    """A .bib file of several items."""
    return "\n".join(bibtex_entry(item) for item in items)
