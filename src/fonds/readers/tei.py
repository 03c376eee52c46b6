"""Reader for Foreign Relations of the United States (FRUS) volumes in TEI P5.

One volume file holds hundreds of `<div type="document">`; each becomes one `Record`. The
volume's "List of Persons" (`<div xml:id="persons">`) is harvested as person authorities and the
`<persName corresp="#p_X">` links in the documents point into it. The whole file is parsed once
(lxml, no DTD, no entities, no network) and walked with plain element iteration, which keeps the
99-volume corpus (310 MB, 31,500 documents) well under a minute.

Two generations of FRUS markup are read:
- modern volumes: `<head>1. Title<note type="source">Source: ..., Top Secret. ...</note></head>`
  followed by `<dateline>`;
- 1948-1954 volumes: `<note type="source" rend="inline">711.00/1-248: Telegram</note>` before the
  head, `<opener><dateline>...</dateline><seg><hi rend="smallcaps">secret</hi></seg></opener>`.

The Office of the Historian also publishes standalone TEI documents (a `<TEI>` of one or a few
`<div type="document">`, no volume idno, no List of Persons; the "History of the Foreign Relations
Series" documents). For those the source note is the body's "Source: ..." paragraph around the
documents, the date is the dateline's text ("June 20-August 31, 1961") or, for a file of one
document, the header's `<date type="created">`, authors and recipients come from heads of the form
"X to Y" ("Memorandum From William Z. Slany and Edwin S. Costrell to PA/HO Staff"), and a document
without an `xml:id` is the file (or the file and its position in it). Whatever a file holds that
fonds does not map (unknown elements, figures, text outside the documents) is reported once per
file as a warning; the documents are stored all the same.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from pathlib import Path

from lxml import etree

from fonds.enrich import classification as marking
from fonds.enrich.dates import from_edtf, from_text, mentions
from fonds.readers.parties import party
from fonds.names import authority_id, clean
from fonds.readers import guards
from fonds.records import (
    Authority, Batch, Classification, DateValue, Link, Provenance, ReadError, Record, Repository,
    Note, Rights, Source, Text,
)

FORMAT = "frus-tei"
TEI_NS = "http://www.tei-c.org/ns/1.0"
NS = {"t": TEI_NS}
_T = "{%s}" % TEI_NS
_XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
_ATTACHMENT = "{http://history.state.gov/ns/1.0}attachment"

RIGHTS = Rights(statement="Public domain (U.S. Government work)", uri="http://rightsstatements.org/vocab/NoC-US/1.0/")

# Document type from the leading words of the title, first match wins (so the longer phrases
# come before their prefixes: "Memorandum of Conversation" before "Memorandum").
TYPES: list[tuple[str, str]] = [
    (r"editorial note", "Editorial Note"),
    (r"memorandum of (?:a )?(?:telephone )?conversation|memorandum of (?:a )?conference"
     r"|(?:transcript of )?telephone conversation|record of (?:a )?conversation", "Memorandum of Conversation"),
    (r"memorandum of discussion|minutes|summary (?:record|minutes)|record of (?:a )?meeting"
     r"|notes (?:of|on) (?:a |the )?meeting|summary notes", "Minutes"),
    (r"(?:special )?national intelligence estimate", "Intelligence Estimate"),
    (r"record of actions", "Minutes"),
    (r"conversation (?:between|among)", "Memorandum of Conversation"),
    (r"national security study memorandum", "Memorandum"),
    (r"(?:national security council |nsc |intelligence |contact |current intelligence weekly )?report", "Report"),
    (r"intelligence note", "Note"),
    (r"(?:draft )?telegram", "Telegram"),
    (r"oral message", "Message"),
    (r"(?:circular |backchannel )?telegram", "Telegram"),
    (r"(?:circular )?airgram", "Airgram"),
    (r"despatch|dispatch", "Despatch"),
    (r"(?:circular )?instruction", "Instruction"),
    (r"letter", "Letter"),
    (r"(?:backchannel )?message", "Message"),
    (r"national security (?:action|decision) memorandum", "Decision"),
    (r"(?:information |action |briefing |research |intelligence |draft )?memorandum", "Memorandum"),
    (r"(?:draft |position |briefing |background )?paper", "Paper"),
    (r"(?:special |situation )?report", "Report"),
    (r"aide-m[ée]moire", "Aide-Mémoire"),
    (r"notes?", "Note"),
    (r"diary entry", "Diary Entry"),
    (r"(?:address|remarks|statement)\b", "Statement"),
]
_TYPES = [(re.compile(rf"^(?:{pattern})\b", re.IGNORECASE), name) for pattern, name in TYPES]

# A classification marking in a source note: preferably a sentence of its own ("... 600.0012/1-455.
# Top Secret. Drafted by..."), else a marking run on after the file number ("POL 26 S VIET Top Secret;").
_MARKS = (r"(?:Top Secret|Secret|Confidential|Restricted|Unclassified|Limited Official Use|Official Use Only"
          r"|No classification marking|Personal and Confidential)\b")
_MARK_SENTENCE = re.compile(rf"(?:^|(?<=\.\s))(?={_MARKS})", re.IGNORECASE)
_MARK_RUN_ON = re.compile(rf"(?<=\s)(?={_MARKS}[^.]*?(?:[.;]|$))")
_AFTER_CITATION = re.compile(
    r"\.\s+(?=(?:Drafted|Prepared|Transcribed|Initialed|Cleared|Approved|Repeated|Sent|Also|Transmitted"
    r"|Printed|Received|Copies|The|This|These|A|An|No|According|Attached|Another|Typed|Signed)\b)"
)
_REPOSITORY = re.compile(
    r"\b(?:Library|Department|Archives|Agency|Center|Centre|University|Institution|Office|Council|Congress"
    r"|Museum|Foundation|Ministry|Records|Collection|House|Bureau|Command|Staff|Service|Commission|Materials)\b"
)
_DOC_NUMBER = re.compile(r"^(?:No\.\s*)?\d+[A-Za-z]?\.?\s+(?=\S)")
_SMALLCAPS_MARK = re.compile(r"^(top secret|secret|confidential|restricted|unclassified)\b\W*(.*)$", re.IGNORECASE)

_PARSER_OPTIONS = dict(huge_tree=True, collect_ids=False, remove_comments=True, remove_pis=True)


def detect(path: Path, head: bytes) -> bool:
    """True for XML in the TEI namespace (FRUS volumes all are)."""
    return TEI_NS.encode() in head and b"<" in head


# ---------------------------------------------------------------- parsing


def _parse(path: Path) -> etree._Element:
    """Parse safely; malformed XML and entity declarations become ReadError."""
    _refuse_declared_entities(path)
    try:
        tree = guards.parse_xml(path, **_PARSER_OPTIONS)
    except etree.XMLSyntaxError as error:
        line = error.lineno or (error.position[0] if error.position else None)
        raise ReadError(path, f"malformed XML: {error.msg}", where=f"line {line}" if line else None) from error
    except OSError as error:
        raise ReadError(path, f"cannot read the file: {error}") from error
    _refuse_entities(path, tree)
    guards.check_xml_nesting(path, tree)
    return tree.getroot()


_DOCTYPE = re.compile(rb"<!DOCTYPE\b[^\[>]*(?:\[.*?\]\s*)?>", re.DOTALL)
PROLOG_BYTES = 1 << 20


def _refuse_declared_entities(path: Path) -> None:
    """Refuse a DOCTYPE declaring entities before libxml2 sees it, so the error says why.

    (libxml2 would otherwise stop a billion-laughs file with a bare "amplification factor" error.)
    """
    try:
        with open(path, "rb") as handle:
            prolog = handle.read(PROLOG_BYTES)
    except OSError as error:
        raise ReadError(path, f"cannot read the file: {error}") from error
    doctype = _DOCTYPE.search(prolog)
    if doctype and re.search(rb"<!DOCTYPE\s+[\w:.-]+\s+(?:SYSTEM|PUBLIC)\b", doctype.group(0)):
        line = prolog.count(b"\n", 0, doctype.start()) + 1
        raise ReadError(path, "the DOCTYPE points at an external DTD (refused: fonds never opens one)", where=f"line {line}")
    if doctype and b"<!ENTITY" in doctype.group(0):
        line = prolog.count(b"\n", 0, doctype.start()) + 1
        raise ReadError(path, "the DOCTYPE declares entities (refused: possible entity expansion or external file)",
                        where=f"line {line}")


def _refuse_entities(path: Path, tree: etree._ElementTree) -> None:
    """Entity declarations are the vehicle of expansion bombs and external-file leaks; FRUS has none."""
    dtd = tree.docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise ReadError(path, "the DOCTYPE declares entities (refused: possible entity expansion or external file)",
                        where="line 1")
    if tree.docinfo.system_url or tree.docinfo.public_id:
        raise ReadError(path, "the DOCTYPE points at an external DTD (refused)", where="line 1")


def _local(element) -> str:
    tag = element.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""  # as etree.QName's localname, without the object


def _string(element) -> str:
    """All text of an element, whitespace collapsed."""
    return clean("".join(element.itertext()))


def _string_without_notes(element) -> str:
    """Text of an element leaving out its `<note>`s (but not the text after them); `lb` is a space."""
    parts = [element.text or ""]
    for child in element:
        if child.tag == _T + "note":
            pass
        elif child.tag == _T + "lb":
            parts.append(" ")
        elif isinstance(child.tag, str):
            parts.append(_string_without_notes(child))
        parts.append(child.tail or "")
    return clean("".join(parts))


# ---------------------------------------------------------------- volume-level data


def _volume_id(root, path: Path) -> str:
    idno = root.find(f".//{_T}publicationStmt/{_T}idno[@type='frus']")
    return clean(idno.text) if idno is not None and idno.text and idno.text.strip() else Path(path).stem


def _volume_title(root) -> str | None:
    title = root.find(f".//{_T}titleStmt/{_T}title[@type='complete']")
    return _string(title) or None if title is not None else None


def persons(root) -> tuple[dict[str, Authority], list[Authority]]:
    """The List of Persons: {xml:id: authority} for links, and every authority in list order."""
    by_id: dict[str, Authority] = {}
    ordered: list[Authority] = []
    for division in root.iterfind(f".//{_T}div[@{_XML_ID}='persons']"):
        for item in division.iter(_T + "item"):
            person = _person(item)
            if person is None:
                continue
            authority, ids = person
            ordered.append(authority)
            for xml_id in ids:
                by_id.setdefault(xml_id, authority)
    return by_id, ordered


def _person(item) -> tuple[Authority, list[str]] | None:
    """One list item: 'Surname, Given, role...' with the name(s) in `persName[@xml:id]`."""
    names = [element for element in item.iter(_T + "persName") if element.get(_XML_ID)]
    if not names:
        return None  # the editor's note at the head of the list
    name = _string(names[0])
    variants = [_string(element).strip("()") for element in names[1:]]
    rest = _string(item)
    for element in names:  # the role is what follows the name(s): "Deng Xiaoping (Teng...), Vice Premier"
        text = _string(element)
        if rest.startswith(text):
            rest = rest[len(text):].lstrip(" ,;:")
    authority = Authority(id=authority_id(name), kind="person", name=name,
                          variants=[v for v in variants if v and v != name], description=rest or None)
    return authority, [element.get(_XML_ID) for element in names]


# ---------------------------------------------------------------- one document


def _own(document, tag: str):
    """Descendants `tag` of the document that are not inside an attachment (which has its own dateline)."""
    for element in document.iter(_T + tag):
        parent = element.getparent()
        while parent is not None and parent is not document:
            if parent.tag == _ATTACHMENT or parent.tag == _T + "div":
                break
            parent = parent.getparent()
        else:
            yield element


def _title(head) -> str:
    """The head without its notes and without the leading document number ("1. ", "No. 1")."""
    return _DOC_NUMBER.sub("", _string_without_notes(head), count=1) if head is not None else ""


def document_type(title: str, source_note: str | None = None) -> str | None:
    """Type from the title's leading words, else from an old-style note ("711.00/1-248: Telegram")."""
    for pattern, name in _TYPES:
        if pattern.match(title):
            return name
    if source_note and ":" in source_note:
        return document_type(source_note.rsplit(":", 1)[1].strip())
    return None


def date_of(document) -> DateValue | None:
    """The document date from its own dateline(s): the first `<date>` that carries one, else the
    first date written in a dateline's text ("Athens, August 19, 2002, 1425Z")."""
    datelines = list(_own(document, "dateline"))
    for dateline in datelines:
        for element in dateline.iter(_T + "date"):
            value = _date_value(element)
            if value is not None:
                return value
    for dateline in datelines:
        found = mentions(_string(dateline))
        if found:
            return found[0].value
    return None


def _date_value(element) -> DateValue | None:
    """@when (day, month or day+time), @from/@to, @when/@to or @notBefore/@notAfter; else the text."""
    display = _string(element) or None
    start = element.get("from") or element.get("notBefore")
    end = element.get("to") or element.get("notAfter")
    when = element.get("when")
    try:
        if when and not end:
            return edtf_date(when.strip(), display=display)
        start = start or when
        if start and end:
            # EDTF intervals are of days: a time on either end ("July 16/17—midnight") is dropped.
            return edtf_date(f"{start.strip()[:10]}/{end.strip()[:10]}", display=display)
        if start or end:
            return _open_interval(start, end, display)
    except ValueError:
        pass  # an attribute that is not EDTF: fall back on the written date
    return from_text(display) if display else None


_ISO = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2})(?:T\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?)?$")


def edtf_date(value: str, display: str | None = None) -> DateValue:
    """Like `dates.from_edtf`, with a fast path for the plain ISO forms FRUS uses.

    The edtf library's grammar costs ~15 ms a call, which alone would make the 31,500-document
    corpus take minutes; day, month and day+time values (and intervals of them) are computed here,
    anything else goes to the library. Raises ValueError when the value is not EDTF.
    """
    if "/" in value:
        start, _, end = value.partition("/")
        low, high = _iso_bounds(start), _iso_bounds(end)
        if low and high and low[0] <= high[1]:
            return DateValue(edtf=value, display=display, min=low[0], max=high[1])
    else:
        bounds = _iso_bounds(value)
        if bounds:
            return DateValue(edtf=value, display=display, min=bounds[0], max=bounds[1])
    return from_edtf(value, display=display)


def _iso_bounds(value: str) -> tuple[str, str] | None:
    """First and last day of '1955-01', '1955-01-14' or '1955-01-14T14:00:00[Z]'; None otherwise."""
    match = _ISO.match(value)
    if not match:
        return None
    year, month, day = int(match.group(1)), int(match.group(2)), match.group(3)
    try:
        if day is not None:
            iso = date(year, month, int(day)).isoformat()
            return iso, iso
        last = calendar.monthrange(year, month)[1]
    except ValueError:
        return None
    return f"{year:04d}-{month:02d}-01", f"{year:04d}-{month:02d}-{last:02d}"


def _open_interval(start: str | None, end: str | None, display: str | None) -> DateValue:
    """'1955-09-09/..' (only @from): the edtf library cannot bound an open end, so build it here."""
    low = edtf_date(start.strip()[:10]) if start else None
    high = edtf_date(end.strip()[:10]) if end else None
    edtf = f"{low.edtf if low else '..'}/{high.edtf if high else '..'}"
    return DateValue(edtf=edtf, display=display, min=low.min if low else None, max=high.max if high else None)


def _source_note(document, head):
    """The source note: typed in the head, an untyped head note starting 'Source:', or (old volumes)
    a typed note directly in the document div."""
    notes = head.findall(_T + "note") if head is not None else []
    for note in notes:
        if note.get("type") == "source":
            return note
    for note in notes:
        if _string(note).startswith("Source:"):
            return note
    for note in document.findall(_T + "note"):
        if note.get("type") == "source":
            return note
    return None


def split_summary(text: str) -> tuple[str | None, str]:
    """Some volumes put 'Summary: ... Source: ...' in one note: (summary or None, source text)."""
    if text.startswith("Summary:") and "Source:" in text:
        summary, _, source = text.partition("Source:")
        return clean(summary[len("Summary:"):]) or None, "Source: " + source.strip()
    return None, text


def _summary_note(head) -> str | None:
    """The editors' summary (`<note type="summary">` in the head) of recent volumes."""
    for note in head.findall(_T + "note") if head is not None else []:
        if note.get("type") == "summary":
            return _string(note) or None
    return None


def split_source(text: str, run_on: bool = True) -> tuple[str, str | None]:
    """'Source: Dept, Files, 123. Top Secret; Priority. Drafted...' -> (citation, marking or None).
    `run_on`: also a marking run on after a file number ("POL 26 S VIET Top Secret;"), as FRUS
    volumes print them (not in prose notes, where "the attached Confidential airgram" is no marking)."""
    body = re.sub(r"^Source\W*", "", text)  # also the typos "Source;" and "Source "
    found = _MARK_SENTENCE.search(body) or (_MARK_RUN_ON.search(body) if run_on else None)
    if found:
        sentence = re.split(r"\.(?:\s|$)", body[found.start():], maxsplit=1)[0]
        return _trim(body[:found.start()]), clean(sentence).rstrip(".") or None
    after = _AFTER_CITATION.search(body)
    return _trim(body[:after.start()] if after else body), None


def _trim(citation: str) -> str:
    return citation.strip().rstrip(".").strip()


def _repository(citation: str) -> Repository | None:
    """The holding institution, when the citation's first segment names one ("Eisenhower Library")."""
    first = citation.split(",", 1)[0].strip()
    if not first or ":" in first or re.search(r"\d", first) or not _REPOSITORY.search(first):
        return None
    return Repository(name=re.sub(r"^the\s+", "", first, flags=re.IGNORECASE))


def _opener_marking(document) -> str | None:
    """Old volumes print the marking in small caps in the opener: 'secret us urgent'."""
    for opener in _own(document, "opener"):
        for seg in opener.iter(_T + "seg", _T + "hi"):
            match = _SMALLCAPS_MARK.match(_string(seg))
            if match:
                level, rest = match.group(1).title(), match.group(2).upper()
                return f"{level} {rest}".strip()
    return None


def _classification(source_marking: str | None, document) -> Classification | None:
    text = source_marking or _opener_marking(document)
    if not text:
        return None
    return Classification(marking=text, level=marking.level_of(text))


def footnotes(document) -> list[tuple[str, str]]:
    """The document's notes (source note included) as (n, text), in document order."""
    return [(note.get("n") or "", _string(note)) for note in document.iter(_T + "note")]


# ---------------------------------------------------------------- body text

_BLOCKS = {
    "p", "head", "item", "dateline", "signed", "salute", "postscript", "ab", "byline", "label", "row",
    "l", "trailer", "docAuthor", "argument", "epigraph", "div", "attachment", "quote", "seg",
}
_JOINED = {"list", "table", "lg", "opener", "closer"}  # their lines stay together as one paragraph


# Where a footnote's mark stands while the body is collected; taken out (with the space before
# it) once the text is final, leaving the note's character offset.
_MARK = "\ue000"
_SPACE_BEFORE_MARK = re.compile(f"[ \n]+({_MARK}+)")
_SKIPPED_NOTES = {"source", "summary"}  # kept as the source note and the summary, not as footnotes


class _Body:
    """Collects paragraphs of plain text, leaving out page breaks and taking notes apart as footnotes."""

    def __init__(self):
        self.paragraphs: list[str] = []
        self.buffer: list[str] = []
        self.notes: list = []  # the <note> elements whose marks are in the text, in order

    def flush(self) -> None:
        lines = (clean(line) for line in "".join(self.buffer).split("\n"))
        text = "\n".join(line for line in lines if line)
        if text:
            self.paragraphs.append(text)
        self.buffer = []

    def children(self, element, skip=()) -> None:
        self.buffer.append(element.text or "")
        for child in element:
            if child not in skip:
                self.walk(child)
            self.buffer.append(child.tail or "")

    def walk(self, element) -> None:
        name = _local(element)
        if name == "note" and element.get("type") not in _SKIPPED_NOTES:
            self.notes.append(element)
            self.buffer.append(_MARK)
            return
        if name in ("note", "pb", "") or element.tag == _T + "figure":
            return
        if name == "lb":
            self.buffer.append("\n")
        elif name in _JOINED:
            self.flush()
            inner = _Body()
            inner.children(element)
            inner.flush()
            if inner.paragraphs:
                self.paragraphs.append("\n".join(inner.paragraphs))
        elif name in _BLOCKS:
            self.flush()
            self.children(element)
            self.flush()
        else:
            self.children(element)
            if name == "cell":
                self.buffer.append(" ")


def body_text(document, head) -> str:
    """The document as plain text: paragraphs separated by blank lines, no head, notes or pb."""
    return body_with_notes(document, head)[0]


def body_with_notes(document, head) -> tuple[str, list[Note]]:
    """The document's plain text and its footnotes, each placed where its mark stands in the text."""
    body = _Body()
    body.children(document, skip={head} if head is not None else ())
    body.flush()
    text, offsets = _take_marks("\n\n".join(body.paragraphs))
    notes = [Note(n=note.get("n") or str(i), at=at, body=_note_text(note))
             for i, (note, at) in enumerate(zip(body.notes, offsets), start=1)]
    return text, notes


def _note_text(note) -> str:
    """A footnote's text; the paragraphs of a long note joined by a space, not run together."""
    parts = [note.text or ""]
    for child in note:
        if child.tag == _T + "p":
            parts.append(f" {_string(child)} ")
        elif isinstance(child.tag, str):
            parts.append("".join(child.itertext()))
        parts.append(child.tail or "")
    return clean("".join(parts))


def _take_marks(text: str) -> tuple[str, list[int]]:
    """`text` without its note marks, and the offsets they stood at. A mark after a space or a line
    break moves before it (the note belongs to the words it follows), and the spaces and blank lines
    a mark leaves behind are closed up."""
    if _MARK in text:  # most documents have no notes: spare them the slowest pattern
        text = _SPACE_BEFORE_MARK.sub(lambda m: m.group(1) + m.group(0)[:-len(m.group(1))], text)
    text = re.sub(f"^({_MARK}+) +", r"\1", re.sub(r"\n{3,}", "\n\n", re.sub(r"\n +", "\n", re.sub(r"  +", " ", text))))
    pieces = text.strip(" \n").split(_MARK)
    offsets, length = [], 0
    for piece in pieces[:-1]:
        length += len(piece)
        offsets.append(length)
    return "".join(pieces), offsets


# ---------------------------------------------------------------- people and organizations


class _Names:
    """Authorities found while reading one volume, deduplicated by (kind, id)."""

    def __init__(self, people: list[Authority], volume_title: str | None = None):
        self.volume_title = volume_title
        self.authorities: dict[tuple[str, str], Authority] = {}
        for person in people:
            self.add(person)
        self.by_surname: dict[str, list[Authority]] = {}
        for person in people:
            self.by_surname.setdefault(person.name.split(",")[0].strip().lower(), []).append(person)

    def add(self, authority: Authority) -> Link:
        self.authorities.setdefault((authority.kind, authority.id), authority)
        return Link(id=authority.id, name=authority.name)

    def named(self, kind: str, name: str) -> Link | None:
        name = clean(name).strip(" ,.()")
        return self.add(Authority(id=authority_id(name), kind=kind, name=name)) if name else None

    def surname(self, text: str) -> Authority | None:
        """An unlinked author ('Austin') resolved only when one listed person has that surname."""
        matches = self.by_surname.get(clean(text).strip(" ,.()").lower(), [])
        return matches[0] if len(matches) == 1 else None


def _resolve(element, by_id: dict[str, Authority]) -> Authority | None:
    target = (element.get("corresp") or "").strip().lstrip("#$")
    return by_id.get(target) if target else None


def _people(document, by_id) -> list[Link]:
    """Linked persons (`persName/@corresp`) anywhere in the document, first appearance first."""
    seen: dict[str, Link] = {}
    for element in document.iter(_T + "persName"):
        person = _resolve(element, by_id)
        if person is not None and person.id not in seen:
            seen[person.id] = Link(id=person.id, name=person.name)
    return list(seen.values())


def _parties(head, by_id, names: _Names) -> dict[str, list[Link]]:
    """Authors ('from') and recipients ('to') marked in the head: persons and organizations (gloss)."""
    found: dict[str, list[Link]] = {"from": [], "to": [], "organizations": [], "people": []}
    if head is None:
        return found
    for element in head.iter(_T + "persName", _T + "gloss"):
        role = element.get("type")
        if role not in ("from", "to") or _inside_note(element, head):
            continue
        if element.tag == _T + "gloss":
            link = names.named("organization", _string(element))
            if link is not None:
                _append(found["organizations"], link)
        else:
            person = _resolve(element, by_id) or names.surname(_string(element))
            link = Link(id=person.id, name=person.name) if person else None
            if link is not None:
                _append(found["people"], link)
        if link is not None:
            _append(found[role], link)
    return found


def _inside_note(element, head) -> bool:
    parent = element.getparent()
    while parent is not None and parent is not head:
        if parent.tag == _T + "note":
            return True
        parent = parent.getparent()
    return False


def _append(links: list[Link], link: Link) -> None:
    if all(existing.id != link.id for existing in links):
        links.append(link)


# ---------------------------------------------------------------- records


class _Around:
    """What a standalone TEI file gives its documents from outside them: the source note, the
    header's date (for a file of one document) and how many documents there are."""

    def __init__(self, root=None, standalone: bool = False):
        self.standalone = standalone
        self.count = sum(1 for _ in documents(root)) if root is not None else 0
        self.note = _body_source_note(root) if standalone else None
        self.date = _header_date(root) if standalone and self.count == 1 else None


def _record(document, volume: str, path: Path, by_id, names: _Names, around: _Around | None = None,
            position: int = 0) -> Record:
    around = around or _Around()  # a FRUS volume's document
    head = document.find(_T + "head")
    title = _title(head) or f"Document {document.get('n') or document.get(_XML_ID) or position}"
    note = _source_note(document, head)
    note_text = _string(note) if note is not None else around.note
    summary = None
    if note_text:
        summary, note_text = split_summary(note_text)
    citation, source_marking = split_source(note_text, run_on=not around.standalone) if note_text else (None, None)
    parties = _parties(head, by_id, names)
    if around.standalone and not (parties["from"] or parties["to"]):
        parties = _head_parties(title, names)
    people = _people(document, by_id)
    for link in parties["people"]:
        _append(people, link)
    places = [link for place in _own_places(document) if (link := names.named("place", place))]
    parts = {"volume": volume, "document": document.get("n") or ""} if not around.standalone else {}
    if names.volume_title and not around.standalone:
        parts["volume_title"] = names.volume_title
    if note_text:
        parts["note"] = note_text  # the whole source note: drafting, distribution, handling
        if note is not None and note.get("n"):
            parts["note_number"] = note.get("n")  # the footnote number it is printed under
    return Record(
        id=_document_id(document, volume, around, position),
        title=title,
        date=date_of(document) or around.date,
        summary=summary or _summary_note(head),
        type=document_type(title, note_text),
        classification=_classification(source_marking, document),
        languages=["en"],
        texts=[_original(document, head)],
        authors=parties["from"], recipients=parties["to"], people=people,
        organizations=parties["organizations"], places=_unique(places),
        source=Source(citation=citation or None, repository=_repository(citation) if citation else None,
                      parts=parts) if citation or parts else None,
        rights=RIGHTS,
        provenance=Provenance(format=FORMAT, file=str(path)),
    )


def _original(document, head) -> Text:
    body, notes = body_with_notes(document, head)
    return Text(kind="original", language="en", body=body, notes=notes)


def _document_id(document, volume: str, around: _Around, position: int) -> str:
    """`<volume>-<xml:id>`; without an xml:id, the file (its only document) or the file and the
    document's position in it: the same on every ingest of the file."""
    xml_id = document.get(_XML_ID)
    if xml_id:
        return f"{volume}-{xml_id}"
    return volume if around.count == 1 else f"{volume}-{position}"


def _body_source_note(root) -> str | None:
    """A standalone file's "Source: ..." paragraph, in the body before its documents."""
    body = root.find(f"{_T}text/{_T}body")
    for paragraph in body.iterfind(_T + "p") if body is not None else ():
        text = _string(paragraph)
        if re.match(r"Source\W", text):
            return text
    return None


def _header_date(root) -> DateValue | None:
    """The date the header gives the document (`<date type="created" when="...">`, or the
    profileDesc's creation date)."""
    for element in root.iterfind(f"{_T}teiHeader//{_T}date"):
        if element.get("type") == "created" or element.getparent().tag == _T + "creation":
            value = _date_value(element)
            if value is not None:
                return value
    return None


_HEAD_PARTIES = re.compile(r"^(?:[A-Z][\w-]*(?: [A-Za-z][\w-]*){0,3} From )?(?P<from>.+?) to (?P<to>.+)$")


def _head_parties(title: str, names: _Names) -> dict[str, list[Link]]:
    """Authors and recipients from a head of the form "X to Y" ("Richard W. Leopold to George F.
    Kennan", "Telegram From the Embassy in Greece to the Department of State"); people and
    offices told apart as in metadata sheets (`fonds.readers.parties`)."""
    found: dict[str, list[Link]] = {"from": [], "to": [], "organizations": [], "people": []}
    match = _HEAD_PARTIES.match(re.sub(r"\s*\([^()]*\)", "", title))
    if not match:
        return found
    for role in ("from", "to"):
        for name in re.split(r",\s*(?:and\s+)?|\s+and\s+", match.group(role)):
            who = party(re.sub(r"^the\s+", "", name.strip(" ,."), flags=re.IGNORECASE))
            if who.kind not in ("person", "organization"):
                continue
            link = names.named(who.kind, who.name)
            if link is not None:
                _append(found[role], link)
                _append(found["people" if who.kind == "person" else "organizations"], link)
    return found


def _own_places(document) -> list[str]:
    return [_string(place) for dateline in _own(document, "dateline") for place in dateline.iter(_T + "placeName")]


def _unique(links: list[Link]) -> list[Link]:
    result: list[Link] = []
    for link in links:
        _append(result, link)
    return result


def documents(root):
    """The `<div type="document">` elements of a parsed volume, in order."""
    return (div for div in root.iter(_T + "div") if div.get("type") == "document")


def read(path: Path) -> Batch:
    """All documents of one FRUS volume, or of a standalone TEI file, with their persons, places
    and organizations; what the file holds that fonds does not map becomes the batch's warnings."""
    path = Path(path)
    root = _parse(path)
    standalone = root.find(f".//{_T}publicationStmt/{_T}idno[@type='frus']") is None
    volume = _volume_id(root, path)
    by_id, listed = persons(root)
    names = _Names(listed, _volume_title(root))
    around = _Around(root, standalone)
    records = [_record(document, volume, path, by_id, names, around, position)
               for position, document in enumerate(documents(root), start=1)]
    if not records:
        raise ReadError(path, 'no <div type="document"> in the file: fonds reads TEI documents as FRUS volumes and '
                              "the Office of the Historian's standalone documents mark them")
    return Batch(records=records, authorities=list(names.authorities.values()), warnings=unmapped(root, standalone))


# Elements the reader reads, or passes over on purpose (notes: only the source note is kept).
MAPPED = {
    "text", "front", "body", "back", "div", "head", "p", "note", "ref", "persName", "placeName", "orgName", "gloss",
    "term", "hi", "item", "list", "date", "time", "dateline", "pb", "lb", "cell", "row", "table", "signed", "closer",
    "opener", "label", "seg", "quote", "q", "title", "titlePart", "idno", "editor", "publisher", "pubPlace", "byline",
    "docImprint", "docTitle", "docDate", "titlePage", "name", "salute", "del", "add", "affiliation", "postscript",
    "unclear", "gap", "lg", "l", "trailer", "docAuthor", "argument", "epigraph", "ab", "foreign", "emph", "abbr",
    "expan", "sic", "corr", "choice", "rs", "num", "address", "addrLine", "said", "attachment",
}
_UNMAPPED_SHOWN = 8  # element names listed in a warning


def unmapped(root, standalone: bool) -> list[str]:
    """Warnings for what the file's text holds that fonds does not map, once per kind."""
    unknown: dict[str, int] = {}
    figures = 0
    text = root.find(_T + "text")
    for element in text.iter() if text is not None else ():
        if not isinstance(element.tag, str):
            continue
        name = _local(element)
        if name in ("figure", "graphic"):
            figures += name == "figure"
        elif name not in MAPPED:
            qname = etree.QName(element)
            shown = name if qname.namespace == TEI_NS else f"{{{qname.namespace}}}{name}"
            unknown[shown] = unknown.get(shown, 0) + 1
    warnings = []
    if unknown:
        listed = ", ".join(f"<{name}> ({count})" for name, count in sorted(unknown.items(), key=lambda x: -x[1]))
        warnings.append(f"TEI elements fonds does not map, read as plain text or left out: {listed}")
    if figures:
        warnings.append(f"{figures} figure{'s' if figures > 1 else ''} (images) left out of the text")
    if standalone:
        warnings += _outside_documents(root)
    return warnings


def _outside_documents(root) -> list[str]:
    """A standalone file's body text that is neither a document nor its source note."""
    body = root.find(f"{_T}text/{_T}body")
    left = [_string(child) for child in (body if body is not None else ())
            if isinstance(child.tag, str) and child.get("type") != "document" and _string(child)
            and not re.match(r"Source\W", _string(child))]
    if not left:
        return []
    return [f"text outside the documents left out ({len(left)} part{'s' if len(left) > 1 else ''}): {left[0][:80]!r}"]
