"""Dublin Core <-> fonds records: the oai_dc crosswalk of the provider and the harvester.

Plain functions on `fonds.records` types; nothing here imports Django. Simple Dublin Core is a
flat list of (element, value) pairs, represented here as `dict[str, list[str]]` in element order.

Record -> DC (provider): title, creator (authors), subject (topics, then subject headings),
description (summary), date (EDTF), type, language, identifier (the document's URL), source
(the archival citation), relation (related documents as OAI identifiers, else their titles),
coverage (places), rights (statement and URI), format ("text").

DC -> record (harvester): the reverse, lossy where Dublin Core is: the first title, date parsed
as EDTF or as a written date, creators become authors, subjects become subject headings (DC has
no separate topics), all descriptions joined into the summary, the first type, languages as ISO
639-1 where recognisable, rights split into statement and URI, source (else a non-URL
identifier) becomes the citation with the identifiers kept in `source.parts`, and relations that
are OAI identifiers become links to the record ids they will have here.
"""

from __future__ import annotations

import hashlib
import re

from fonds import records as r
from fonds.enrich.dates import from_edtf, from_text
from fonds.names import authority_id, clean, slug

DC_ELEMENTS = ("title", "creator", "subject", "description", "publisher", "contributor", "date", "type",
               "format", "identifier", "source", "language", "relation", "coverage", "rights")
MAX_ID = 160
# ISO 639-2 codes harvested records commonly carry, for the languages of this kind of archive.
ISO639_2 = {"eng": "en", "rus": "ru", "ger": "de", "deu": "de", "fre": "fr", "fra": "fr", "chi": "zh", "zho": "zh",
            "spa": "es", "ita": "it", "pol": "pl", "cze": "cs", "ces": "cs", "hun": "hu", "rum": "ro", "ron": "ro",
            "bul": "bg", "ukr": "uk", "jpn": "ja", "kor": "ko", "vie": "vi", "ara": "ar", "heb": "he", "per": "fa",
            "fas": "fa", "por": "pt", "dut": "nl", "nld": "nl", "swe": "sv", "fin": "fi", "srp": "sr", "hrv": "hr"}
_URL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)


# ---- record -> Dublin Core -------------------------------------------------------------------

def record_to_dc(record: r.Record, url: str | None = None, oai_identifier=None) -> dict[str, list[str]]:
    """The Simple Dublin Core of a record; `oai_identifier(doc_id)` names related documents."""
    dc: dict[str, list[str]] = {name: [] for name in DC_ELEMENTS}
    dc["title"].append(record.title)
    dc["creator"] += [link.name for link in record.authors]
    dc["subject"] += list(dict.fromkeys([*record.topics, *record.subjects]))
    if record.summary:
        dc["description"].append(record.summary)
    if record.date:
        dc["date"].append(record.date.edtf)
    if record.type:
        dc["type"].append(record.type)
    dc["format"].append("text")
    if url:
        dc["identifier"].append(url)
    if record.source and record.source.citation:
        dc["source"].append(record.source.citation)
    dc["language"] += record.languages
    dc["relation"] += [_relation_value(rel, oai_identifier) for rel in record.related if rel.id or rel.title]
    dc["coverage"] += [link.name for link in record.places]
    if record.rights:
        dc["rights"] += [value for value in (record.rights.statement, record.rights.uri) if value]
    return {name: [v for v in values if v and v.strip()] for name, values in dc.items() if values}


def _relation_value(rel: r.Relation, oai_identifier) -> str:
    if rel.id and oai_identifier:
        return oai_identifier(rel.id)
    return rel.title or rel.id or ""


# ---- Dublin Core -> record -------------------------------------------------------------------

def record_id(oai_identifier: str) -> str:
    """The stable local id of a harvested record: a readable slug plus a hash of the identifier.

    The hash keeps identifiers that slug alike ("A/1" and "a-1") apart; the slug keeps ids
    readable in URLs; the whole stays within the catalog's 160 characters.
    """
    digest = hashlib.sha256(oai_identifier.encode("utf-8")).hexdigest()[:12]
    readable = slug(oai_identifier.removeprefix("oai:"), max_length=MAX_ID - len(digest) - 1)
    return f"{readable}-{digest}"


def dc_to_record(oai_identifier: str, dc: dict[str, list[str]], provenance: r.Provenance | None = None) -> r.Record:
    """A published fonds record from one harvested Dublin Core description."""
    values = {name: [clean(v) for v in dc.get(name, []) if clean(v)] for name in DC_ELEMENTS}
    titles = values["title"]
    return r.Record(
        id=record_id(oai_identifier),
        title=titles[0] if titles else oai_identifier,
        date=_date(values["date"]),
        summary="\n\n".join(values["description"]) or None,
        type=values["type"][0] if values["type"] else None,
        languages=list(dict.fromkeys(_language(v) for v in values["language"])),
        authors=_links(values["creator"]),
        places=_links(values["coverage"]),
        subjects=list(dict.fromkeys(values["subject"])),
        related=[_relation(v) for v in dict.fromkeys(values["relation"])],
        source=_source(values["source"], values["identifier"]),
        rights=_rights(values["rights"]),
        status="published",
        provenance=provenance,
    )


def _date(values: list[str]) -> r.DateValue | None:
    """The first dc:date that reads as EDTF (W3CDTF is a subset) or as a written date."""
    for value in values:
        try:
            return from_edtf(value, display=value)
        except ValueError:
            pass
        parsed = from_text(value)
        if parsed:
            return parsed
    return None


def _language(value: str) -> str:
    """ISO 639-1 where the value is a recognisable code ("en", "en-US", "eng"); else as given."""
    code = value.split("-")[0].split("_")[0].strip().lower()
    if len(code) == 2 and code.isalpha():
        return code
    return ISO639_2.get(code, value)


def _links(names: list[str]) -> list[r.Link]:
    unique = dict.fromkeys(names)
    return [r.Link(id=authority_id(name), name=name) for name in unique]


def _relation(value: str) -> r.Relation:
    # An OAI identifier names a record this harvest stores (or will) under record_id(value).
    if value.startswith("oai:"):
        return r.Relation(id=record_id(value), title=None)
    return r.Relation(title=value)


def _source(sources: list[str], identifiers: list[str]) -> r.Source | None:
    citation = sources[0] if sources else next((i for i in identifiers if not _URL.match(i)), None)
    parts = {"identifier": identifiers[0]} if identifiers else {}
    if len(identifiers) > 1:
        parts.update({f"identifier{i}": value for i, value in enumerate(identifiers[1:], start=2)})
    if not citation and not parts:
        return None
    return r.Source(citation=citation, parts=parts)


def _rights(values: list[str]) -> r.Rights | None:
    uri = next((v for v in values if _URL.match(v)), None)
    statement = next((v for v in values if not _URL.match(v)), None)
    return r.Rights(statement=statement, uri=uri) if (uri or statement) else None
