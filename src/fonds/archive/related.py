"""Related documents of a document page: curated relations first, then the documents its text
cites ("see Document 58" in the same volume, "telegram 4782 from London" where that telegram's
number is known), the other documents of the same archival file, and "more like this" from the
search index. Each document appears once, under the first reason found for it; only documents the
visitor may read are linked, and a curated target the visitor may not read shows only the title
the relation itself gives. The cited documents' references are also linked where they stand in the
text and its notes (`CrossReferences.links`, which fonds.web.reading uses).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from django.db.models import Count, Max

from fonds.archive import search, visibility
from fonds.catalog import models as m

# "Document 58", "Documents 58 and 59", "Documents 12, 14, and 20": an edition's own numbers.
DOCUMENT_REFERENCE = re.compile(r"\bDocuments?\s+(\d{1,4}(?:(?:\s*,\s*|\s*,?\s+and\s+)\d{1,4})*)\b")
# "telegram 4782", "Telegram 903 from London", "our telegram 4551": a telegram's number.
TELEGRAM_REFERENCE = re.compile(r"\b[Tt]elegram\s+(\d{1,5})\b(?:,?\s+(?:from|to)\s+([A-Z][A-Za-z .-]{1,30}?)(?=[,;.)]|\s+[a-z(]|$))?")
# A telegram's own number opens its first paragraph after the dateline: "2305. Please deliver ..."
OWN_NUMBER = re.compile(r"^\s*(\d{1,5})\.\s", re.MULTILINE)
TELEGRAM_DAYS = 120  # how far apart a citing document and the telegram it cites may be dated
OPENING = 600  # characters of a telegram's text in which its own number is looked for
# Parts of a source citation that together name an archival file (a US decimal file or lot, a
# Russian fond/opis/delo, a box and folder); folios and document numbers do not.
FILE_PARTS = ("record_group", "series", "collection", "lot", "file", "fond", "opis", "delo", "papka", "box", "folder")
# Without one of these the parts name a series or a whole retired lot, not a file.
FILE_NAMING = ("file", "delo", "folder")
SAME_FILE_LIMIT = 20


@dataclass
class Group:
    """One reason documents are related, with its documents ({document, title, why})."""

    name: str  # "curated", "cited", "same-file", "similar"
    label: str
    items: list[dict] = field(default_factory=list)


def related_documents(user, doc: m.Document, texts: list[str], similar_limit: int,
                      references: CrossReferences | None = None) -> list[Group]:
    """The related documents of `doc` in groups, curated first; empty groups left out. `texts` are
    the document's text layers (the page has them loaded already); `references` are its resolved
    cross-references when the page has them already (it links them in the text)."""
    references = references or CrossReferences(user, doc, texts)
    seen = {doc.id}
    groups = [Group("curated", "Related documents", curated(user, doc)),
              Group("cited", "Cited in this document", references.cited()),
              Group("same-file", "From the same archival file", same_file(user, doc)),
              Group("similar", "More like this", similar(doc, texts, similar_limit))]
    for group in groups:
        kept = []
        for item in group.items:
            target = item["document"]
            if target is None or target.id not in seen:
                kept.append(item)
                seen.add(target.id if target is not None else None)
        group.items = kept
    return [group for group in groups if group.items]


def curated(user, doc: m.Document) -> list[dict]:
    """The record's own relations: linked when the visitor may read the target (found by id, else
    by exact title); otherwise the title the relation gives, so nothing of a hidden document shows."""
    relations = list(doc.relations.all())
    visible = visibility.visible_to(user)
    by_id = {d.id: d for d in visibility.visible_among(user, [r.target_id for r in relations if r.target_id])}
    by_title = {d.title: d for d in visible.filter(title__in=[r.target_title for r in relations
                                                             if not r.target_id and r.target_title])}
    return [{"relation": r, "document": by_id.get(r.target_id) or by_title.get(r.target_title),
             "title": r.target_title or r.target_id, "why": r.relation if r.relation != "related" else ""}
            for r in relations]


def cited(user, doc: m.Document, texts: list[str]) -> list[dict]:
    """Documents of the same edition volume that the text cites by document or telegram number."""
    return CrossReferences(user, doc, texts).cited()


@dataclass(frozen=True)
class Reference:
    """Words of a text that cite one document of the same edition volume by its number."""

    start: int
    end: int
    number: str  # the cited document's number in the volume
    words: str  # how the Related panel names the citation: "Document 58", "telegram 4709 from Bonn"


class CrossReferences:
    """The cross-references of one document to other documents of its edition volume ("Document 58",
    "telegram 4709"), read from its summary, source note and `texts`, and resolved to the documents
    the visitor may read. Made once per page: the cited list and the links in the text share it."""

    def __init__(self, user, doc: m.Document, texts: list[str]):
        self.doc = doc
        self.volume = doc.source_parts.get("volume") or ""
        self._telegrams = telegram_numbers(self.volume) if self.volume else {}
        texts = [doc.summary, str(doc.source_parts.get("note", "")), *texts]
        self._found = [ref for text in texts for ref in self.find(text)]  # in the order of the texts
        wanted = {ref.number for ref in self._found}
        rows = (visibility.visible_to(user).filter(edition_volume=self.volume, edition_number__in=list(wanted))
                if wanted else [])
        self.targets: dict[str, m.Document] = {row.edition_number: row for row in rows}

    def find(self, text: str) -> list[Reference]:
        """The references of `text` to other documents of the volume, in the order they stand,
        whether or not the visitor may read what they cite."""
        if not self.volume or not text:
            return []
        own = self.doc.source_parts.get("document")
        found = [*_document_references(text), *self._telegram_references(text)]
        return sorted((ref for ref in found if ref.number != own), key=lambda ref: ref.start)

    def cited(self) -> list[dict]:
        """The documents cited that the visitor may read, each once, in the order first cited."""
        first: dict[str, str] = {}  # document number -> the words that first cite it
        for ref in self._found:
            first.setdefault(ref.number, ref.words)
        return [{"document": self.targets[n], "title": self.targets[n].title, "why": why}
                for n, why in first.items() if n in self.targets]

    def links(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, address) of each reference of `text` to a document the visitor may read;
        a reference to a hidden or unknown document is left out (it stays plain text)."""
        return [(ref.start, ref.end, self.targets[ref.number].get_absolute_url())
                for ref in self.find(text) if ref.number in self.targets]

    def _telegram_references(self, text: str) -> list[Reference]:
        found = []
        for match in TELEGRAM_REFERENCE.finditer(text):
            candidates = [c for c in self._telegrams.get(match.group(1), []) if _may_be(c, match, self.doc.date_min)]
            if len(candidates) == 1:  # a number several telegrams share is left unresolved, not guessed
                words = match.group(0).strip()
                found.append(Reference(match.start(), match.start() + len(words), candidates[0][0], words))
        return found


def _document_references(text: str) -> list[Reference]:
    """Every document number an edition reference of `text` names: in "Documents 12, 14, and 20"
    the first reference takes in the word ("Documents 12"), the others are their numbers alone."""
    found = []
    for match in DOCUMENT_REFERENCE.finditer(text):
        for index, number in enumerate(re.finditer(r"\d+", match.group(1))):
            start, end = match.start(1) + number.start(), match.start(1) + number.end()
            found.append(Reference(match.start() if index == 0 else start, end, number.group(),
                                   f"Document {number.group()}"))
    return found


def _may_be(candidate: tuple[str, str, date | None], match: re.Match, when: date | None) -> bool:
    """Whether a telegram of the volume can be the one a reference cites: posts number their
    telegrams anew each year, so it must be dated within TELEGRAM_DAYS of the citing document (when
    both are dated); a telegram "from London" must have been sent from London, one "to London" from
    elsewhere."""
    _, sent_from, sent = candidate
    if when is not None and sent is not None and abs((sent - when).days) > TELEGRAM_DAYS:
        return False
    place = (match.group(2) or "").strip().lower()
    if not place:
        return True
    direction = "from" if re.search(r"\bfrom\s", match.group(0)) else "to"
    return sent_from.lower().startswith(place) == (direction == "from")


def telegram_numbers(volume: str) -> dict[str, list[tuple[str, str, date | None]]]:
    """{telegram number: [(document number, dateline place, date)]} for the telegrams of an edition
    volume, cached until a document of the volume changes."""
    telegrams = m.Document.objects.filter(edition_volume=volume, type="Telegram")
    stamp = telegrams.aggregate(n=Count("pk"), last=Max("updated"))
    return _telegram_numbers(volume, stamp["n"], stamp["last"])


@lru_cache(maxsize=64)
def _telegram_numbers(volume: str, count: int, last) -> dict[str, list[tuple[str, str, date | None]]]:
    numbers: dict[str, list[tuple[str, str, date | None]]] = {}
    layers = m.TextLayer.objects.filter(document__edition_volume=volume, document__type="Telegram", position=0)
    for layer in layers.select_related("document").only("body", "document__edition_number", "document__date_min"):
        opening = layer.body[:OPENING]
        own = OWN_NUMBER.search(opening.split("\n", 1)[1] if "\n" in opening else opening)
        if own:
            place = opening.split(",", 1)[0].strip()  # the dateline: "London, April 27, 1956"
            numbers.setdefault(own.group(1), []).append((layer.document.edition_number or "", place,
                                                         layer.document.date_min))
    return numbers


def same_file(user, doc: m.Document) -> list[dict]:
    """Other documents whose source citation names the same archival file in the same archive: the
    same archival unit (the most specific part naming the file, `models.ARCHIVAL_UNIT_PARTS`), and
    the same values for every other file part this document's citation gives."""
    parts = {key: doc.source_parts[key] for key in FILE_PARTS if isinstance(doc.source_parts.get(key), str)
             and doc.source_parts[key].strip()}
    names_file = any(key in parts for key in FILE_NAMING) or ("lot" in parts and "collection" in parts)
    if doc.repository_id is None or not names_file or not doc.archival_unit:
        return []
    # Found through the (repository, archival unit) index; the other parts must agree as well.
    others = (visibility.visible_to(user).filter(repository_id=doc.repository_id, archival_unit=doc.archival_unit,
                                                 **{f"source_parts__{key}": value for key, value in parts.items()})
              .exclude(pk=doc.pk).order_by("date_min", "id")[:SAME_FILE_LIMIT])
    label = ", ".join(parts[key] for key in FILE_PARTS if key in parts)
    return [{"document": other, "title": other.title, "why": label} for other in others]


def similar(doc: m.Document, texts: list[str], limit: int) -> list[dict]:
    """Public documents the search index finds most like this one."""
    hits = search.similar(doc.id, {"title": doc.title, "summary": doc.summary, "body": "\n".join(texts)}, limit)
    rows = {d.id: d for d in visibility.visible_among(None, [hit.id for hit in hits])}
    return [{"document": rows[hit.id], "title": rows[hit.id].title, "why": ""} for hit in hits if hit.id in rows]
