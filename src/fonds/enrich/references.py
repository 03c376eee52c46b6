"""Archival references: the citation split into its parts, the repository linked to its authority.

Russian archives cite fond/opis/delo/list ("RGANI, f. 3, op. 12, d. 1009, l. 36", "ф. 3, оп. 12,
д. 1009, л. 36"); US ones a record group, a decimal file or a lot ("National Archives, RG 59,
Central Files, 611.61/12-1459", "Department of State, S/S–NSC Files: Lot 63 D 351, NSC 5602");
others are recognised by the repository's name. Repositories come from the packaged list
data/repositories.json (names in English and Russian, abbreviations). Parts already set are kept.
"""

from __future__ import annotations

import re
from functools import lru_cache

from fonds.enrich.authorities import packaged
from fonds.enrich.findings import Context, Finding, spans
from fonds.records import Authority, Record, Repository, Source

NAME = "references"
REPOSITORIES = "repositories.json"

_NUMBER = r"(?P<{}>(?:[0-9]|[A-ZА-Я]-?[0-9])[0-9A-Za-zА-Яа-я/-]*(?:\s*(?:[-–]|,\s*(?=\d+[-–]?\d*\s*(?:ob\.?|об\.?)?\s*(?:[,.;]|$)))\s*[0-9][0-9A-Za-zА-Яа-я]*)*(?:\s*(?:ob|об)\.?)?)"
# Russian archival units in Latin and Cyrillic abbreviations; "ll."/"лл." are folios (листы).
RUSSIAN_PARTS = {
    "fond": r"(?:f|ф|fond|фонд)\.?",
    "opis": r"(?:op|оп|opis'?|опись)\.?",
    "papka": r"(?:p|п|papka|папка)\.?",
    "delo": r"(?:d|д|delo|дело)\.?",
    "folios": r"(?:ll|l|лл|л|list|листы?)\.?",
    "reel": r"(?:r|rolik|reel|ролик)\.?",
}
_RUSSIAN = {key: re.compile(rf"(?<![\w.]){abbreviation}\s*{_NUMBER.format(key)}", re.IGNORECASE)
            for key, abbreviation in RUSSIAN_PARTS.items()}
US_PARTS = {
    "record_group": re.compile(r"\bRG\s*(?P<record_group>\d+[A-Z]?)\b|\bRecord Group\s+(?P<record_group2>\d+)\b"),
    "lot": re.compile(r"\bLot\s+(?P<lot>\d{2}\s*[A-Z]\s*\d+[A-Z]?)"),
    "frc": re.compile(r"\bFRC\s+(?P<frc>\d{2}\s*[A-Z]\s*\d+)"),
    # Decimal files: 611.61/12-1459, 711.5611/1-455, 033.6111/6-356; subject-numeric: POL 26 S VIET.
    "file": re.compile(r"(?<![\w.])(?P<file>\d{3}\.[\dA-Z]+(?:/[\d–-]+)?|(?:POL|DEF|ORG|AV|E|FN|INCO|PET|SOC|CSM|PS|CUL|ECIN)"
                       r"\s+\d+(?:-\d+)?(?:\s+[A-Z][A-Z-]*(?:\s+[A-Z][A-Z-]+)?)?)(?=[\s,.;:]|$)"),
}
_US_SERIES = re.compile(r"\b(?P<series>Central Files|Conference Files|S/S[–-]NSC Files|Presidential Correspondence|"
                        r"Whitman File|President's Office Files|National Security Files|NSC Files|White House Central Files)\b")
_CITATION_LINE = re.compile(r"^\s*(?:source|sources|archive|источник|архив)\s*[:;]\s*(?P<citation>.+)$", re.IGNORECASE | re.MULTILINE)


@lru_cache(maxsize=1)
def _repository_pattern() -> tuple[re.Pattern, dict[str, tuple[Authority, bool]]]:
    """One regex for every repository name and abbreviation, longest first, and what each means."""
    names: dict[str, tuple[Authority, bool]] = {}  # lowercased name -> (authority, written in capitals)
    for authority in packaged(REPOSITORIES):
        for name in [authority.name, *authority.variants, *([authority.abbreviation] if authority.abbreviation else [])]:
            names.setdefault(name.lower(), (authority, name.isupper()))
    alternatives = "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE), names


def repository_in(citation: str) -> tuple[Authority, re.Match] | None:
    """The first packaged repository a citation names (abbreviations must keep their case)."""
    pattern, names = _repository_pattern()
    for match in pattern.finditer(citation):
        authority, capitals = names[match.group(0).lower()]
        if capitals and not match.group(0).isupper():
            continue  # "pro" in prose is not the Public Record Office
        return authority, match
    return None


def _named_as_a_whole(name: str) -> tuple[Authority, re.Match] | None:
    """The packaged repository `name` is, allowing an abbreviation in brackets ("... (RGANI)")."""
    found = repository_in(name)
    if found is None:
        return None
    rest = re.sub(r"\([^()]*\)", "", name[:found[1].start()] + name[found[1].end():])
    return found if not re.sub(r"[\W_]+|\bthe\b", "", rest, flags=re.IGNORECASE) else None


def parts_of(citation: str) -> dict[str, str]:
    """The parts a citation gives: fond/opis/delo/folios, or record_group/file/lot, and series."""
    parts: dict[str, str] = {}
    russian = {key: pattern.search(citation) for key, pattern in _RUSSIAN.items()}
    if russian["fond"]:
        for key, match in russian.items():
            if match:
                parts[key] = " ".join(match.group(key).split()).strip(" ,")
        return parts
    for key, pattern in US_PARTS.items():
        match = pattern.search(citation)
        if match:
            value = match.group(key) or (match.group("record_group2") if key == "record_group" else None)
            parts[key] = " ".join(value.split())
    series = _US_SERIES.search(citation)
    if series and parts:
        parts["series"] = series.group("series")
    if "record_group" not in parts and _names_state_files(citation):
        parts["record_group"] = "59"  # Department of State central and lot files are RG 59 at NARA
    if not parts:
        collection = _collection(citation)
        if collection:
            parts["collection"] = collection
    return parts


def _collection(citation: str) -> str | None:
    """What a citation names after its repository ("Eisenhower Library, Whitman File" -> "Whitman File")."""
    found = repository_in(citation)
    if found is None or found[1].start() > 0:
        return None
    rest = citation[found[1].end():].strip(" ,.;:")
    return rest or None


def _names_state_files(citation: str) -> bool:
    return bool(re.match(r"\s*(?:the\s+)?Department of State\b", citation)) and bool(
        re.search(r"Central Files|Lot \d", citation))


def citation_in(record: Record) -> tuple[str, str, int] | None:
    """(citation, field, offset) of a record without a source: a "Source:" line or a Russian archive reference."""
    for span in spans(record, title=False, citation=False):
        line = _CITATION_LINE.search(span.text)
        if line:
            return line.group("citation").strip(), span.field, line.start("citation")
        found = repository_in(span.text)
        if found and _RUSSIAN["fond"].search(span.text, found[1].end(), found[1].end() + 40):
            end = span.text.find("\n", found[1].start())
            text = span.text[found[1].start(): end if end > 0 else None]
            return re.split(r"(?<=\d)\.\s", text, maxsplit=1)[0].strip(" ."), span.field, found[1].start()
    return None


def enrich(record: Record, context: Context) -> list[Finding]:
    """Parse the record's citation (or one found in its text) into parts and link its repository."""
    findings: list[Finding] = []
    if record.source is None or not record.source.citation:
        found = citation_in(record)
        if found is None:
            return []
        citation, field, offset = found
        record.source = record.source or Source()
        record.source.citation = citation
        findings.append(Finding(record.id, "source.citation", citation, f"{field}:{offset}-{offset + len(citation)}",
                                0.8, NAME, citation))
    source = record.source
    findings += _link_repository(record, source, context)
    for key, value in parts_of(source.citation).items():
        if key not in source.parts:
            source.parts[key] = value
            findings.append(Finding(record.id, f"source.parts.{key}", value, "source.citation", 0.9, NAME, value))
    return findings


def _link_repository(record: Record, source: Source, context: Context) -> list[Finding]:
    """Link the repository to its authority: the one the reader named (when the name is one of the
    authority's, as a whole: a panel's "Original Archive" is never replaced by an archive it merely
    mentions), else the one the citation names."""
    current = source.repository
    if current is not None and current.id:
        return []
    named = _named_as_a_whole(current.name) if current is not None else None
    if named is None and current is None:
        named = repository_in(source.citation)
    if named is None:
        return []
    authority = context.adopt(named[0])
    if current is None:
        source.repository = Repository(id=authority.id, name=authority.name, abbreviation=authority.abbreviation)
    else:  # keep the name as the reader wrote it; add what it lacked
        current.id = authority.id
        current.abbreviation = current.abbreviation or authority.abbreviation
    where = "source.repository.name" if current is not None else "source.citation"
    return [Finding(record.id, "source.repository", source.repository.model_dump(), where, 0.9, NAME, named[1].group(0))]
