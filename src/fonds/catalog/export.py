"""Exports of the catalog: JSON Lines (lossless, re-ingestable), CSV (one row per document) and TEI P5.

Documents are streamed in chunks with their details prefetched, so memory stays flat whatever
the size of the archive.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator
from typing import TextIO

from django.urls import reverse
from lxml import etree

from fonds.catalog import models as m
from fonds.catalog.store import documents_with_details, to_authority, to_record
from fonds.records import Record
from fonds.settings import get_settings

CHUNK = 500
CSV_COLUMNS = ["id", "title", "date", "type", "classification", "languages", "authors", "recipients", "people",
               "organizations", "places", "topics", "subjects", "source", "repository", "summary", "status",
               "release_status", "review_date", "restrictions", "withheld_passages", "withheld_lines"]


def records(queryset=None) -> Iterator[Record]:
    """Every document (or those of `queryset`: the public ones come from `fonds.archive.visibility`)
    as a plain record, in id order."""
    queryset = (m.Document.objects.all() if queryset is None else queryset).order_by("id")
    for doc in documents_with_details(queryset).iterator(chunk_size=CHUNK):
        yield to_record(doc)


class _Counted:
    """Passes records through, counting them (the writers' return value)."""

    def __init__(self, items: Iterator[Record]):
        self.items, self.count = items, 0

    def __iter__(self) -> Iterator[Record]:
        for item in self.items:
            self.count += 1
            yield item


def stream(fmt: str, docs: Iterable[Record], authorities=None) -> Iterator[str]:
    """The export of `docs` in `fmt` as text pieces, a document at a time (for files and HTTP).
    JSON Lines starts with the authority records of `authorities` (default: all of them)."""
    if fmt == "jsonl":
        return jsonl_chunks(docs, authorities)
    return CHUNKS[fmt](docs)


def write(fmt: str, out: TextIO, queryset=None, authorities=None) -> int:
    """Write the catalog (or the documents of `queryset`, and the authorities of `authorities`) to
    `out` in `fmt` ("jsonl", "csv" or "tei"); returns the number of documents."""
    docs = _Counted(records(queryset))
    for chunk in stream(fmt, docs, authorities):
        out.write(chunk)
    return docs.count


def write_jsonl(out: TextIO, queryset=None) -> int:
    return write("jsonl", out, queryset)


def write_csv(out: TextIO, queryset=None) -> int:
    return write("csv", out, queryset)


def jsonl_chunks(docs: Iterable[Record], authorities=None) -> Iterator[str]:
    """Authorities first (as {"authority": ...} lines), then one record per line."""
    authorities = (m.Authority.objects.all() if authorities is None else authorities)
    for row in authorities.order_by("kind", "key").prefetch_related("variants").iterator(chunk_size=CHUNK):
        yield json.dumps({"authority": to_authority(row).to_json()}, ensure_ascii=False) + "\n"
    for record in docs:
        yield json.dumps(record.to_json(), ensure_ascii=False) + "\n"


def _names(links) -> str:
    return "; ".join(link.name for link in links)


# A cell starting with one of these is a formula to a spreadsheet (=HYPERLINK(...), +cmd|...).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def neutral_cell(value: str) -> str:
    """A CSV cell no spreadsheet evaluates: one that would start a formula gets a leading
    apostrophe (OWASP's advice), which spreadsheets show as text and do not display."""
    return "'" + value if value.startswith(FORMULA_START) else value


def _declassification_cells(rec: Record) -> list:
    """Release status, review date, restrictions, and the count and extent of withheld passages."""
    found = rec.declassification
    if not found:
        return ["", "", "", "", ""]
    return [found.status or "", found.review_date or "", "; ".join(found.restrictions), str(len(found.withheld)),
            f"{found.withheld_lines():g}" if found.withheld_lines() else ""]


def csv_chunks(docs: Iterable[Record]) -> Iterator[str]:
    """A spreadsheet-friendly summary, one row per document; JSON Lines is the lossless format."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for rec in docs:
        source = rec.source
        writer.writerow(neutral_cell(cell) for cell in [
            rec.id, rec.title, rec.date.edtf if rec.date else "", rec.type or "",
            rec.classification.marking if rec.classification else "", "; ".join(rec.languages),
            _names(rec.authors), _names(rec.recipients), _names(rec.people), _names(rec.organizations), _names(rec.places),
            "; ".join(rec.topics), "; ".join(rec.subjects), (source and source.citation) or "",
            (source and source.repository and source.repository.name) or "", rec.summary or "", rec.status or "",
            *_declassification_cells(rec),
        ])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()  # the header row, when there were no documents


# ---- TEI P5 -------------------------------------------------------------------------------
# A teiCorpus with one TEI per document. Each TEI is built and serialised on its own, so memory
# stays flat; names point at the authority pages with @ref (relative URLs of this archive).

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Role -> the kind of authority page a name links to (URL names are the kinds).
AUTHORITY_KIND = {"people": "person", "authors": "person", "recipients": "person", "organizations": "organization",
                  "places": "place"}
# Characters XML 1.0 forbids; a stray one in an OCR'd text must not break the whole export.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _el(parent, tag: str, text: str | None = None, **attrs):
    """A TEI child element with optional text and attributes (None values left out)."""
    node = etree.SubElement(parent, f"{{{TEI_NS}}}{tag}", {k: v for k, v in attrs.items() if v is not None})
    if text:
        node.text = _NOT_XML.sub("", text)
    return node


def _tei_string(node) -> str:
    return etree.tostring(node, encoding="unicode") + "\n"


def tei_chunks(docs: Iterable[Record]) -> Iterator[str]:
    """The teiCorpus: its header, then one TEI per document, then the closing tag."""
    yield f'<?xml version="1.0" encoding="UTF-8"?>\n<teiCorpus xmlns="{TEI_NS}">\n'
    yield _tei_string(_corpus_header())
    for record in docs:
        yield _tei_string(tei_document(record))
    yield "</teiCorpus>\n"


def _corpus_header():
    """The corpus teiHeader, declaring the taxonomies that each document's classCodes point at."""
    header = etree.Element(f"{{{TEI_NS}}}teiHeader", nsmap={None: TEI_NS})
    file_desc = _el(header, "fileDesc")
    _el(_el(file_desc, "titleStmt"), "title", f"{get_settings().site_name}: catalog export")
    _el(_el(file_desc, "publicationStmt"), "p", "Exported from the fonds catalog.")
    _el(_el(file_desc, "sourceDesc"), "p", "Born-digital export; each TEI describes its own source.")
    class_decl = _el(_el(header, "encodingDesc"), "classDecl")
    for key, label in (("document-type", "Document type"), ("classification", "Security classification as marked"),
                       ("topics", "Topics and collections"), ("subjects", "Subject headings")):
        _el(_el(class_decl, "taxonomy", **{"{http://www.w3.org/XML/1998/namespace}id": key}), "desc", label)
    return header


def tei_document(record: Record):
    """One document as a TEI element: teiHeader (title, date, source, classification, names) and text."""
    tei = etree.Element(f"{{{TEI_NS}}}TEI", n=record.id, nsmap={None: TEI_NS})
    header = _el(tei, "teiHeader")
    _tei_file_desc(header, record)
    _tei_profile_desc(header, record)
    body = _el(_el(tei, "text"), "body")
    for text in record.texts:
        div = _el(body, "div", type=text.kind, **{XML_LANG: text.language})
        for line in text.body.splitlines():
            if line.strip():
                _el(div, "p", line.strip())
    if not record.texts:
        _el(body, "p")  # TEI requires content in body; the record has no text layer yet
    return tei


def _tei_name(parent, role: str, link) -> None:
    tag = {"places": "placeName", "organizations": "orgName"}.get(role, "persName")
    _el(parent, tag, link.name, ref=reverse(AUTHORITY_KIND[role], kwargs={"key": link.id}))


def _tei_file_desc(header, record: Record) -> None:
    file_desc = _el(header, "fileDesc")
    title_stmt = _el(file_desc, "titleStmt")
    _el(title_stmt, "title", record.title)
    for link in record.authors:
        _tei_name(_el(title_stmt, "author"), "authors", link)
    for text in record.texts:
        if text.translator:
            resp = _el(title_stmt, "respStmt")
            _el(resp, "resp", "translation")
            _el(resp, "name", text.translator)
    publication = _el(file_desc, "publicationStmt")
    _el(publication, "publisher", get_settings().site_name)
    _el(publication, "idno", record.id, type="fonds")
    if record.rights and (record.rights.statement or record.rights.uri):
        _el(_el(publication, "availability"), "licence", record.rights.statement, target=record.rights.uri)
    for funder in record.funders:
        _el(title_stmt, "funder", funder)
    _tei_source_desc(_el(file_desc, "sourceDesc"), record)


def _tei_source_desc(source_desc, record: Record) -> None:
    """The archival reference: repository, citation and its parsed parts (fond, opis, delo, ...),
    and how the original was declassified."""
    source = record.source
    has_reference = bool(source and (source.citation or source.repository or source.parts))
    if not has_reference and not record.declassification:
        _el(source_desc, "p", "No archival reference recorded.")
        return
    ms_desc = _el(source_desc, "msDesc")
    ms_identifier = _el(ms_desc, "msIdentifier")
    if not has_reference:
        _el(ms_identifier, "idno", record.id, type="fonds")
    elif source.repository:
        _el(ms_identifier, "repository", source.repository.name,
            ref=reverse("repository", kwargs={"key": source.repository.id}) if source.repository.id else None)
    if has_reference and source.citation:
        _el(ms_identifier, "idno", source.citation, type="citation")
    for part, value in (source.parts.items() if has_reference else ()):
        _el(ms_identifier, "idno", value, type=part)
    _tei_declassification(ms_desc, record)


def _tei_declassification(ms_desc, record: Record) -> None:
    """Release status, review and release dates, restrictions and withheld passages as the
    availability of the original (msDesc/additional/adminInfo)."""
    found = record.declassification
    if not found:
        return
    availability = _el(_el(_el(ms_desc, "additional"), "adminInfo"), "availability",
                       status="restricted" if found.has_withheld_text() else "unknown")
    for label, value in (("Release status", found.status), ("Released", found.release_date),
                         ("Last reviewed", found.review_date), ("Restrictions", "; ".join(found.restrictions))):
        if value:
            _el(availability, "p", f"{label}: {value}")
    for item in found.withheld:
        _el(availability, "p", item.marker, n="withheld")


def _tei_date(parent, record: Record) -> None:
    """@when for a single day, @from/@to for a span; the EDTF and display form as text."""
    date = record.date
    if not date:
        return
    attrs = {"when": date.min} if date.min and date.min == date.max else {"from": date.min, "to": date.max}
    _el(parent, "date", date.display or date.edtf, **attrs, type="edtf" if not date.display else None)


def _tei_profile_desc(header, record: Record) -> None:
    profile = _el(header, "profileDesc")
    creation = _el(profile, "creation")
    _tei_date(creation, record)
    if record.languages:
        lang_usage = _el(profile, "langUsage")
        for code in record.languages:
            _el(lang_usage, "language", ident=code)
    text_class = _el(profile, "textClass")
    if record.type:
        _el(text_class, "classCode", record.type, scheme="#document-type")
    if record.classification:
        _el(text_class, "classCode", record.classification.marking, scheme="#classification")
    for scheme, terms in (("#topics", record.topics), ("#subjects", record.subjects)):
        if terms:
            keywords = _el(text_class, "keywords", scheme=scheme)
            for term in terms:
                _el(keywords, "term", term)
    _tei_correspondence(profile, record)
    _tei_participants(profile, record)


def _tei_correspondence(profile, record: Record) -> None:
    """Authors as senders and recipients as receivers, as TEI's correspDesc records letters."""
    if not (record.authors or record.recipients):
        return
    corresp = _el(profile, "correspDesc")
    for kind, role in (("sent", "authors"), ("received", "recipients")):
        links = getattr(record, role)
        if links:
            action = _el(corresp, "correspAction", type=kind)
            for link in links:
                _tei_name(action, role, link)


def _tei_participants(profile, record: Record) -> None:
    """People and organizations named in the document, and the places it concerns."""
    if record.people or record.organizations:
        partic = _el(profile, "particDesc")
        if record.people:
            people = _el(partic, "listPerson")
            for link in record.people:
                _tei_name(_el(people, "person"), "people", link)
        if record.organizations:
            orgs = _el(partic, "listOrg")
            for link in record.organizations:
                _tei_name(_el(orgs, "org"), "organizations", link)
    if record.places:
        places = _el(_el(profile, "settingDesc"), "listPlace")
        for link in record.places:
            _tei_name(_el(places, "place"), "places", link)


CHUNKS = {"jsonl": jsonl_chunks, "csv": csv_chunks, "tei": tei_chunks}
