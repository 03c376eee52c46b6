"""The search index: a tantivy index of public documents, derived from the catalog.

Plain Python (no Django). Texts are indexed in exact fields (lowercased, English stemming and
Russian stemming, any script as written, so Черчилль finds Черчилля and Ленин finds Ленина) and
folded fields (transliterated and diacritic-free, see `fold`; a Russian word by the folded form of
its dictionary lemma, so Хрущёва is "khrushchev"), so that Хрущёв finds Khrushchev unless the
exact-script switch is on. The folded fields hold only what the
exact ones cannot answer: the words whose folded form differs from the word itself (Хрущёв,
Khrushchov, Satō, President's; under 1% of the words of English archival prose) and, so that a
phrase across such a word still matches, the folded forms of the few words on either side. A
query looks for a word's folded form in the exact fields as well (see `engine`). Facet values are
kept as raw fast fields for aggregations; dates as date fast fields for ranges, sorting and the
year histogram. Document texts are not stored here: snippets are cut from the catalog's text
(passed in by the caller), which keeps the index small.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import tantivy

from fonds.records import Record
from fonds.search.fold import WORD, fold_word

EXACT = "fonds_exact"
FOLDED = "fonds_folded"
# Facet name -> the record's values for it; also the field-query name of the same data.
FACETS = ("type", "lang", "classification", "archive", "author", "person", "organization", "place", "topic", "subject",
          "withheld")
CLASSIFICATION_LABELS = {"top-secret": "Top Secret", "secret": "Secret", "confidential": "Confidential",
                         "restricted": "Restricted", "unclassified": "Unclassified"}
LANGUAGE_NAMES = {"en": "English", "ru": "Russian", "de": "German", "fr": "French", "zh": "Chinese", "pl": "Polish",
                  "cs": "Czech", "hu": "Hungarian", "ro": "Romanian", "bg": "Bulgarian", "es": "Spanish", "ko": "Korean",
                  "ja": "Japanese", "vi": "Vietnamese", "uk": "Ukrainian", "it": "Italian", "pt": "Portuguese"}
# Words on either side of a word whose folded form differs that are indexed folded too: a phrase
# of up to NEIGHBOURS + 1 words over a variant spelling matches in the folded fields.
NEIGHBOURS = 3
MAX_TOKEN_BYTES = 40  # as the analyzers' remove_long filter
POINTER = "CURRENT"
POSITION = "position.json"
# How texts are analysed: 1 = English stemming only; 2 = English and Russian stemming, Russian words
# folded by lemma. A generation records the version it was built with (ANALYSIS file; none = 1) and
# is searched with that version's analyzers, so an older index keeps working until `fonds reindex`.
ANALYSIS = "analysis.json"
ANALYSIS_VERSION = 2
NAMES = "names.json"


@functools.cache
def analyzers(version: int = ANALYSIS_VERSION) -> dict[str, tantivy.TextAnalyzer]:
    """The two analyzers: exact (lowercase + English stemming, and since version 2 Russian
    stemming, which leaves Latin words alone as the English stemmer leaves Cyrillic ones) and
    folded (text arrives pre-folded)."""
    exact = (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple()).filter(tantivy.Filter.remove_long(40))
             .filter(tantivy.Filter.lowercase()).filter(tantivy.Filter.stemmer("english")))
    if version >= 2:
        exact = exact.filter(tantivy.Filter.stemmer("russian"))
    exact = exact.build()
    folded = (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).filter(tantivy.Filter.remove_long(40))
              .filter(tantivy.Filter.lowercase()).build())
    return {EXACT: exact, FOLDED: folded}


def build_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, fast=True, tokenizer_name="raw")
    for name in ("title", "summary", "body"):
        builder.add_text_field(name, stored=name == "title", tokenizer_name=EXACT)
    builder.add_text_field("title_folded", tokenizer_name=FOLDED)
    builder.add_text_field("text_folded", tokenizer_name=FOLDED)
    for facet in FACETS:
        builder.add_text_field(facet, tokenizer_name=FOLDED)  # field queries: person:khrushchev
        builder.add_text_field(f"{facet}_f", stored=facet in ("type", "archive"), fast=True, tokenizer_name="raw")
    # Days are proleptic Gregorian ordinals (date.toordinal()), not tantivy dates, which stop at
    # 1677 and 2262: archives hold older documents and embargoes can run far ahead.
    builder.add_integer_field("date_min", indexed=True, fast=True)
    builder.add_integer_field("date_max", indexed=True, fast=True)
    builder.add_integer_field("year", indexed=True, fast=True)
    builder.add_integer_field("embargo_until", indexed=True, fast=True)
    builder.add_text_field("date_display", stored=True, tokenizer_name="raw")
    return builder.build()


SCHEMA = build_schema()


@dataclass
class IndexDoc:
    """What the index needs of one document: its record and the name variants of its links."""

    record: Record
    variants: dict[str, list[str]]  # authority id -> other names (any script)


def day_number(value: str | None) -> int | None:
    """An ISO day as the integer the index stores (None when absent or not a day)."""
    try:
        return date.fromisoformat(value).toordinal() if value else None
    except ValueError:
        return None


def _facet_values(doc: IndexDoc) -> dict[str, list[str]]:
    rec = doc.record
    classification = rec.classification
    level_label = classification and (CLASSIFICATION_LABELS.get(classification.level or "") or classification.marking)
    repository = rec.source and rec.source.repository
    return {
        "type": [rec.type] if rec.type else [],
        "lang": [LANGUAGE_NAMES.get(code, code) for code in rec.languages],
        "classification": [level_label] if level_label else [],
        "archive": [repository.name] if repository else [],
        "author": [link.name for link in rec.authors],
        "person": [link.name for link in rec.people],
        "organization": [link.name for link in rec.organizations],
        "place": [link.name for link in rec.places],
        "topic": list(rec.topics),
        "subject": list(rec.subjects),
        # "yes" when part of the text is known to be withheld (marked passages, a redacted release).
        "withheld": ["yes" if rec.declassification and rec.declassification.has_withheld_text() else "no"],
    }


def _query_text(doc: IndexDoc, facet: str, values: list[str]) -> str:
    """What a field query on `facet` searches: the values, plus variants, codes and abbreviations."""
    rec, extra = doc.record, []
    links = {"author": rec.authors, "person": rec.people, "organization": rec.organizations, "place": rec.places}.get(facet, [])
    for link in links:
        extra += doc.variants.get(link.id, [])
    if facet == "lang":
        extra += rec.languages
    if facet == "classification" and rec.classification:
        extra.append(rec.classification.marking)
    repository = rec.source and rec.source.repository
    if facet == "archive" and repository:
        extra += [repository.abbreviation or "", *doc.variants.get(repository.id or "", [])]
    return fold_text(" ; ".join(values + extra))


@functools.lru_cache(maxsize=262_144)
def _folding_changes(word: str) -> bool:
    return folded_word(word) != word.lower()


_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)


@functools.lru_cache(maxsize=262_144)
def folded_word(word: str) -> str:
    """A word as the folded fields hold it: `fold_word`, and a Russian word by its dictionary
    lemma first (Хрущёва, Хрущёвым -> хрущёв -> khrushchev), so a Latin spelling finds its cases."""
    if _CYRILLIC.search(word):
        return fold_word(lemma(word))
    return fold_word(word)


def lemma(word: str) -> str:
    """The likeliest dictionary form of a Russian word the dictionary knows (pymorphy3), lowercased;
    a word it only guesses at (a foreign surname: Даллес) as written, lowercased."""
    parsed = morphology().parse(word)
    return parsed[0].normal_form if parsed and parsed[0].is_known else word.lower()


@functools.cache
def morphology():
    import pymorphy3  # loaded on the first Cyrillic word only

    return pymorphy3.MorphAnalyzer(lang="ru")


def fold_text(text: str) -> str:
    """The folded form of a text as the folded fields and queries see it (`folded_word` per word)."""
    return " ".join(folded_word(word) for word in WORD.findall(text or ""))


def folded_tokens(text: str, neighbours: int = NEIGHBOURS) -> list[tantivy.Token]:
    """The folded field's tokens of a text: each word whose folded form differs from its lowercase,
    and the `neighbours` words on either side, folded, at their word positions (the gaps between
    keep phrases from matching across words that are not there)."""
    words = WORD.findall(text or "")
    # Each distinct word is judged once; a set lookup per word is much cheaper than a call.
    changing = {word for word in set(words) if _folding_changes(word)}
    keep: set[int] = set()
    for position in [i for i, word in enumerate(words) if word in changing] if changing else ():
        keep.update(range(max(0, position - neighbours), min(len(words), position + neighbours + 1)))
    tokens = []
    for position in sorted(keep):
        folded = folded_word(words[position])
        if folded and len(folded.encode("utf-8")) < MAX_TOKEN_BYTES:
            tokens.append(tantivy.Token(folded, position, 0, 0))
    return tokens


def to_tantivy(doc: IndexDoc) -> tantivy.Document:
    """The tantivy document for one public record."""
    rec = doc.record
    body = "\n\n".join(text.body for text in rec.texts)
    out = tantivy.Document()
    out.add_text("id", rec.id)
    out.add_text("title", rec.title)
    out.add_text("summary", rec.summary or "")
    out.add_text("body", body)
    for name, text in (("title_folded", rec.title), ("text_folded", f"{rec.summary or ''}\n{body}")):
        tokens = folded_tokens(text)
        if tokens:
            out.add_pre_tokenized_text(name, tantivy.PreTokenizedString("", tokens))
    for facet, values in _facet_values(doc).items():
        out.add_text(facet, _query_text(doc, facet, values))
        for value in dict.fromkeys(values):
            out.add_text(f"{facet}_f", value)
    if rec.date:
        low, high = day_number(rec.date.min), day_number(rec.date.max)
        if low:
            out.add_integer("date_min", low)
            out.add_integer("year", date.fromordinal(low).year)
        if high:
            out.add_integer("date_max", high)
        out.add_text("date_display", rec.date.display or rec.date.edtf)
    embargo = day_number(rec.embargo_until)
    if embargo:
        out.add_integer("embargo_until", embargo)
    return out


def indexable(record: Record) -> bool:
    """Only published records are indexed; embargoes are applied at search time, since they
    expire without any change to the catalog."""
    return record.status == "published"


class IndexStore:
    """The index folder: generations built side by side, `CURRENT` naming the live one.

    `fonds reindex` builds a new generation while searches go on against the current one, then
    switches the pointer atomically; readers notice the switch on their next search.
    """

    def __init__(self, root: Path):
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)

    def current_path(self) -> Path:
        """The live generation's folder, creating an empty first generation if there is none."""
        pointer = self.root / POINTER
        if not pointer.exists():
            self.switch(self.new_generation())
        return self.root / pointer.read_text().strip()

    def new_generation(self) -> Path:
        path = self.root / f"gen-{time.time_ns()}"
        path.mkdir()
        (path / ANALYSIS).write_text(json.dumps({"version": ANALYSIS_VERSION}))
        open_index(path)  # create an empty index there
        return path

    def switch(self, path: Path) -> None:
        """Make `path` the live generation (atomic rename of the pointer file) and drop old ones."""
        tmp = self.root / f".{POINTER}.tmp"
        tmp.write_text(path.name)
        os.replace(tmp, self.root / POINTER)
        for old in self.root.glob("gen-*"):
            if old != path and old.is_dir():
                shutil.rmtree(old, ignore_errors=True)

    def pointer_mtime(self) -> float:
        try:
            return (self.root / POINTER).stat().st_mtime_ns
        except FileNotFoundError:
            return 0


def analysis_version(path: Path) -> int:
    """The analysis version a generation was built with (1 for generations from before versions)."""
    try:
        return int(json.loads((path / ANALYSIS).read_text())["version"])
    except (FileNotFoundError, ValueError, KeyError):
        return 1


def schema_matches(path: Path) -> bool:
    """Whether the index in `path` was built with this version's schema (an older one needs a rebuild)."""
    try:
        open_index(path)
    except ValueError:
        return False
    return True


def open_index(path: Path) -> tantivy.Index:
    """Open (or create) the tantivy index in `path` with the analyzers of its version registered."""
    index = tantivy.Index(SCHEMA, path=str(path), reuse=True)
    for name, analyzer in analyzers(analysis_version(path)).items():
        index.register_tokenizer(name, analyzer)
    return index


def write_names(path: Path, groups: Iterable[list[str]]) -> None:
    """Store the name groups (an authority's names in several scripts) a search of this generation
    widens a name with (see `engine.NameForms`)."""
    tmp = path / f".{NAMES}.tmp"
    tmp.write_text(json.dumps([list(group) for group in groups], ensure_ascii=False))
    os.replace(tmp, path / NAMES)


def read_names(path: Path) -> list[list[str]]:
    try:
        return json.loads((path / NAMES).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return []


def read_position(path: Path) -> int:
    """The last change-log sequence number applied to the index in `path` (0 for none)."""
    try:
        return json.loads((path / POSITION).read_text())["seq"]
    except (FileNotFoundError, ValueError, KeyError):
        return 0


def write_position(path: Path, seq: int) -> None:
    tmp = path / f".{POSITION}.tmp"
    tmp.write_text(json.dumps({"seq": seq}))
    os.replace(tmp, path / POSITION)


class IndexWriter:
    """Applies upserts and deletes to one index generation, committing with the change position.

    The position is written only after tantivy has committed, so a crash between the two re-applies
    some changes on restart, which is harmless: an upsert deletes by id before adding.
    """

    def __init__(self, path: Path, heap_bytes: int = 128_000_000):
        self.path = path
        self.index = open_index(path)
        self.writer = self.index.writer(heap_size=heap_bytes, num_threads=0)

    def upsert(self, docs: Iterable[IndexDoc]) -> None:
        for doc in docs:
            self.writer.delete_documents_by_term("id", doc.record.id)
            if indexable(doc.record):
                self.writer.add_document(to_tantivy(doc))

    def delete(self, ids: Iterable[str]) -> None:
        for doc_id in ids:
            self.writer.delete_documents_by_term("id", doc_id)

    def commit(self, seq: int) -> None:
        self.writer.commit()
        write_position(self.path, seq)

    def close(self, merge: bool = False) -> None:
        if merge:
            self.writer.wait_merging_threads()
        del self.writer

