"""RIS records from CSL items, with the tags Zotero's RIS translator reads for manuscripts.

TY MANSCPT (manuscript), TI, AU per author, A4 per translator, PY (year), DA (YYYY/MM/DD/ with
the EDTF date in the "other" part when it is not a single day), M3 (document type), DB (archive),
AN (archival reference), PB (publishing archive), UR, Y2 (accessed), LA, AB, KW per subject, ID.
Lines end with CRLF as the format asks.
"""

from __future__ import annotations

EOL = "\r\n"


def ris_name(name: dict) -> str:
    """"Family, Given, Suffix" or a literal name as written."""
    if "literal" in name:
        return name["literal"]
    return ", ".join(part for part in (name.get("family"), name.get("given"), name.get("suffix")) if part)


def ris_record(item: dict, keywords: list[str] | None = None) -> str:
    """One RIS record ending in "ER  - "."""
    lines = [("TY", "MANSCPT"), ("ID", item["id"]), ("TI", item["title"])]
    lines += [("AU", ris_name(name)) for name in item.get("author", [])]
    lines += [("A4", ris_name(name)) for name in item.get("translator", [])]
    lines += _dates(item.get("issued") or {})
    for tag, variable in (("T2", "container-title"), ("SE", "number"), ("M3", "genre"), ("DB", "archive"), ("AN", "archive_location"), ("PB", "publisher"),
                          ("UR", "URL"), ("LA", "language"), ("AB", "abstract")):
        if item.get(variable):
            lines.append((tag, item[variable]))
    accessed = (item.get("accessed") or {}).get("date-parts")
    if accessed:
        lines.append(("Y2", _ris_date(accessed[0])))
    lines += [("KW", keyword) for keyword in keywords or []]
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {' '.join(str(value).split())}".rstrip(" ") + (" " if tag == "ER" else "") + EOL
                   for tag, value in lines)


def _dates(issued: dict) -> list[tuple[str, str]]:
    parts = issued.get("date-parts")
    if not parts:
        return [("DA", issued["literal"])] if issued.get("literal") else []
    other = ""
    if len(parts) > 1 or issued.get("circa"):
        # RIS has one date; a range or approximate date keeps its full form in the "other" part.
        other = "/".join(_iso(point) for point in parts) + ("~" if issued.get("circa") else "")
    return [("PY", str(parts[0][0])), ("DA", _ris_date(parts[0], other))]


def _ris_date(point: list[int], other: str = "") -> str:
    """YYYY/MM/DD/other with empty parts left empty ("1959/12//")."""
    values = [f"{point[0]:04d}"] + [f"{value:02d}" for value in point[1:3]]
    values += [""] * (3 - len(values))
    return "/".join(values) + "/" + other


def _iso(point: list[int]) -> str:
    return "-".join([f"{point[0]:04d}"] + [f"{value:02d}" for value in point[1:]])


def ris(items: list[dict], keywords: dict[str, list[str]] | None = None) -> str:
    """An .ris file of several items; `keywords` maps item ids to subject headings."""
    keywords = keywords or {}
    return "".join(ris_record(item, keywords.get(item["id"])) for item in items)
