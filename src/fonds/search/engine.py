"""Searching the index: a request in, ranked hits with snippets, facet counts and a histogram out.

The parsed query (see `query`) is compiled node by node into tantivy query objects; no user text
is ever placed into a query string. Facet filters combine with OR within a facet and AND across
facets; each facet's counts follow the query and every other facet's filter (so a selected value
does not hide its siblings), and the year histogram ignores the date range for the same reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

import tantivy

from fonds.search import facets as counting
from fonds.search import query as q
from fonds.search.facets import FACET_SIZE
from fonds.search.spelling import suggestion as did_you_mean
from fonds.search.fold import words
from fonds.search.notes import Note, gettext_noop
from fonds.search.index import (EXACT, FACETS, NAMES, SCHEMA, IndexStore, analysis_version, analyzers, fold_text,
                                open_index, read_names, read_position)
from fonds.search.snippets import Highlighter

fold = fold_text  # queries fold as the index does: Russian words by their lemma

Sort = Literal["relevance", "date-asc", "date-desc"]
SORTS = ("relevance", "date-asc", "date-desc")
# Field boosts: a word in the title counts more than in the summary, which counts more than the text.
DEFAULT_FIELDS = {"title": 3.0, "summary": 2.0, "body": 1.0}
FOLDED_FIELDS = {"title_folded": 2.0, "text_folded": 0.7}
FIELD_TARGETS = {
    "title": ({"title": 1.0}, {"title_folded": 1.0}),
    "text": ({"summary": 1.0, "body": 1.0}, {"text_folded": 1.0}),
}
MAX_PAGE = 500
# "More like this": the words of a document it looks for, and how much of its text it reads.
SIMILAR_TERMS = 25
SIMILAR_TEXT = 50_000


@dataclass
class SearchRequest:
    """One search: query text, facet filters, date range, sort, page."""

    query: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    date_from: str | None = None
    date_to: str | None = None
    sort: Sort = "relevance"
    page: int = 1
    page_size: int = 20
    exact_script: bool = False
    facet_size: int = FACET_SIZE
    with_facets: bool = True
    with_hits: bool = True


@dataclass
class Hit:
    id: str
    title: str
    date: str | None
    type: str | None
    archive: str | None
    snippet: str
    score: float | None


@dataclass
class SearchResponse:
    query: str
    total: int
    hits: list[Hit]
    facets: dict[str, list[dict]]
    histogram: list[dict]
    messages: list[str]
    page: int = 1
    page_size: int = 20
    suggestion: str | None = None  # "did you mean": the query with unknown words spelled as the index has them
    # How far the index searched was behind the catalog: change-log positions, and the age in
    # seconds of the oldest change it lacked (both 0 when current).
    index_behind: int = 0
    index_lag_seconds: float = 0.0

    def to_json(self) -> dict:
        """The JSON shape of /api/search and `fonds search --json`."""
        data = asdict(self)
        return {key: data[key] for key in ("query", "total", "hits", "facets", "histogram", "messages", "page", "page_size",
                                           "suggestion", "index_behind", "index_lag_seconds")}


def _day_or_none(value: str | None) -> str | None:
    try:
        return date.fromisoformat(value).isoformat() if value else None
    except ValueError:
        return None


class NameForms:
    """The spellings of a name in other scripts, from the archive's authorities: "Churchill" ->
    "Черчилль", "Moscow" -> "Москва". A query word that is one of them also looks for the others,
    so a Latin query reaches Russian documents (and the reverse) through the authority variants of
    the people and places it names, where transliteration alone cannot ("Churchill" folds to
    "churchill", Черчилль to "cherchill"). Built from groups of one-word names (an authority's
    surname or name in each script), stored with the index generation (`index.write_names`)."""

    def __init__(self, groups: list[list[str]] = ()):
        self.others: dict[str, list[str]] = {}
        for group in groups:
            for word in group:
                key = fold(word)
                for other in group:
                    if fold(other) != key and other not in self.others.setdefault(key, []):
                        self.others[key].append(other)

    def of(self, text: str) -> list[str]:
        """The other-script spellings of a one-word query text ([] for others)."""
        return self.others.get(fold(text), []) if " " not in text.strip() else []


class Compiler:
    """Turns an AST into a tantivy Query."""

    def __init__(self, exact_script: bool, version: int | None = None, names: NameForms | None = None):
        self.exact_script = exact_script
        self.exact = analyzers(*([version] if version else []))[EXACT]
        self.names = names or NameForms()

    def compile(self, node: q.Node | None) -> tantivy.Query:
        if node is None:
            return tantivy.Query.all_query()
        if isinstance(node, q.Not):
            return self._boolean([], [node.item])
        return getattr(self, f"_{type(node).__name__.lower()}")(node)

    def _and(self, node: q.And) -> tantivy.Query:
        positive = [item for item in node.items if not isinstance(item, q.Not)]
        negative = [item.item for item in node.items if isinstance(item, q.Not)]
        return self._boolean(positive, negative)

    def _boolean(self, positive: list, negative: list) -> tantivy.Query:
        clauses = [(tantivy.Occur.Must, self.compile(item)) for item in positive]
        if not clauses:
            clauses.append((tantivy.Occur.Must, tantivy.Query.all_query()))
        clauses += [(tantivy.Occur.MustNot, self.compile(item)) for item in negative]
        return tantivy.Query.boolean_query(clauses)

    def _or(self, node: q.Or) -> tantivy.Query:
        return tantivy.Query.boolean_query([(tantivy.Occur.Should, self.compile(item)) for item in node.items])

    def _daterange(self, node: q.DateRange) -> tantivy.Query:
        return date_range(node.start, node.end)

    def _targets(self, field_name: str | None) -> tuple[dict[str, float], dict[str, float]]:
        """(exact fields, folded fields) with boosts that a term in `field_name` searches."""
        if field_name in FACETS:
            return {}, {field_name: 1.0}
        exact, folded = FIELD_TARGETS.get(field_name or "", (DEFAULT_FIELDS, FOLDED_FIELDS))
        if self.exact_script:
            # Field queries on names still fold (they are authority names, not text).
            return exact, {}
        return exact, folded

    def _spellings(self, text: str, folded_fields: dict) -> list[str]:
        """The forms of `text` to look for in the exact fields: as written and, when folding is on
        and changes it, folded (the folded fields hold only words whose folded form differs, so
        Хрущёв finds a plain "Khrushchev" through the exact fields)."""
        folded = fold(text)
        return [text, folded] if folded_fields and folded != " ".join(words(text)).lower() else [text]

    def _term(self, node: q.Term) -> tantivy.Query:
        exact_fields, folded_fields = self._targets(node.field)
        texts = [node.text]
        if folded_fields and not node.prefix and not node.fuzzy and node.field not in FACETS:
            texts += self.names.of(node.text)  # Churchill: also Черчилль (and so Черчилля)
        clauses = []
        for text in texts:
            for spelling in self._spellings(text, folded_fields):
                for name, boost in exact_fields.items():
                    clauses.append(self._word_query(name, self._exact_tokens(spelling, node), node, boost))
            for name, boost in folded_fields.items():
                clauses.append(self._word_query(name, fold(text).split(), node, boost))
        return _should([c for c in clauses if c is not None])

    def _exact_tokens(self, text: str, node: q.Term) -> list[str]:
        if node.prefix or node.fuzzy:
            return text.lower().split()  # stemming a partial or misspelt word would distort it
        return self.exact.analyze(text)

    def _word_query(self, name: str, tokens: list[str], node: q.Term, boost: float) -> tantivy.Query | None:
        if not tokens:
            return None
        if len(tokens) > 1:
            query = tantivy.Query.phrase_query(SCHEMA, name, tokens)
        elif node.prefix:
            query = tantivy.Query.fuzzy_term_query(SCHEMA, name, tokens[0], distance=0, prefix=True)
        elif node.fuzzy:
            query = tantivy.Query.fuzzy_term_query(SCHEMA, name, tokens[0], distance=node.fuzzy)
        else:
            query = tantivy.Query.term_query(SCHEMA, name, tokens[0])
        return tantivy.Query.boost_query(query, boost) if boost != 1.0 else query

    def _phrase(self, node: q.Phrase) -> tantivy.Query:
        exact_fields, folded_fields = self._targets(node.field)
        clauses = []
        for spelling in self._spellings(node.text, folded_fields):
            for name, boost in exact_fields.items():
                clauses.append(self._phrase_query(name, self.exact.analyze(spelling), boost))
        for name, boost in folded_fields.items():
            clauses.append(self._phrase_query(name, fold(node.text).split(), boost))
        return _should([c for c in clauses if c is not None])

    def _phrase_query(self, name: str, tokens: list[str], boost: float) -> tantivy.Query | None:
        if not tokens:
            return None
        query = tantivy.Query.term_query(SCHEMA, name, tokens[0]) if len(tokens) == 1 else tantivy.Query.phrase_query(SCHEMA, name, tokens)
        return tantivy.Query.boost_query(query, boost) if boost != 1.0 else query


def _should(clauses: list[tantivy.Query]) -> tantivy.Query:
    if not clauses:
        return tantivy.Query.empty_query()
    if len(clauses) == 1:
        return clauses[0]
    return tantivy.Query.boolean_query([(tantivy.Occur.Should, c) for c in clauses])


def date_range(start: str | None, end: str | None) -> tantivy.Query:
    """Documents whose date span overlaps [start, end] (ISO days, None for open ends)."""
    clauses = []
    if end:
        clauses.append((tantivy.Occur.Must, _int_range("date_min", None, date.fromisoformat(end).toordinal())))
    if start:
        clauses.append((tantivy.Occur.Must, _int_range("date_max", date.fromisoformat(start).toordinal(), None)))
    if not clauses:
        return tantivy.Query.exists_query("date_min")
    return tantivy.Query.boolean_query(clauses)


def _int_range(name: str, low: int | None, high: int | None) -> tantivy.Query:
    return tantivy.Query.range_query(SCHEMA, name, tantivy.FieldType.Integer, low, high)


def facet_filter(facet: str, values: list[str]) -> tantivy.Query:
    return tantivy.Query.boolean_query([(tantivy.Occur.Should, tantivy.Query.term_query(SCHEMA, f"{facet}_f", v)) for v in values])


def embargoed(today: date) -> tantivy.Query:
    """Documents still under embargo on `today`."""
    return _int_range("embargo_until", today.toordinal() + 1, None)


def excluded(today: date, hidden: list[str] = ()) -> tantivy.Query:
    """What no search shows: documents under embargo, and the `hidden` ids."""
    if not hidden:
        return embargoed(today)
    ids = tantivy.Query.term_set_query(SCHEMA, "id", list(hidden))
    return tantivy.Query.boolean_query([(tantivy.Occur.Should, embargoed(today)), (tantivy.Occur.Should, ids)])


TextSource = Callable[[list[str]], dict[str, str]]


class Search:
    """Searches the live generation of an index folder, reopening it after `fonds reindex` switches."""

    def __init__(self, root: Path, texts: TextSource | None = None):
        self.store = IndexStore(root)
        self.texts = texts or (lambda ids: {})
        self._opened_at = None
        self._index = None
        self._version = None
        self._names = NameForms()
        self._names_at = None
        self._universes = counting.Universes()

    def _searcher(self) -> tantivy.Searcher:
        stamp = self.store.pointer_mtime()
        if self._index is None or stamp != self._opened_at:
            path = self.store.current_path()
            self._index, self._version, self._path = open_index(path), analysis_version(path), path
            self._opened_at = stamp
        self._index.reload()
        self._reload_names()
        return self._index.searcher()

    def _reload_names(self) -> None:
        try:
            stamp = (self._path / NAMES).stat().st_mtime_ns
        except FileNotFoundError:
            stamp = None
        if stamp != self._names_at:
            self._names, self._names_at = NameForms(read_names(self._path)), stamp

    def _state(self, searcher: tantivy.Searcher) -> tuple:
        """What identifies the index state a searcher sees, for counts kept between searches: the
        generation, the change-log position it has applied, and its documents and segments (a
        commit lands a moment before its position is written)."""
        return str(self._path), read_position(self._path), searcher.num_docs, searcher.num_segments

    def compiler(self, exact_script: bool) -> Compiler:
        """A query compiler for the live generation: its analyzers and its name spellings."""
        return Compiler(exact_script, self._version, self._names)

    def search(self, request: SearchRequest, today: date | None = None, hidden: list[str] = ()) -> SearchResponse:
        """Run one search; never raises for any user input. Documents whose id is in `hidden` are
        left out of hits, totals, facets and the histogram (the catalog knows they are no longer
        public, the index does not yet). `request.with_hits` and `request.with_facets` ask for one
        half only (the total comes with both): on a large archive the hits are ready long before
        the counts."""
        parsed = q.parse(request.query)
        messages = list(parsed.messages)
        filters = {f: [v for v in vs if v] for f, vs in request.filters.items() if f in FACETS and any(vs)}
        messages += [Note(gettext_noop("Unknown facet '%(facet)s' ignored."), facet=f) for f in request.filters if f not in FACETS]
        date_from, date_to = _day_or_none(request.date_from), _day_or_none(request.date_to)
        searcher = self._searcher()
        text_query = self.compiler(request.exact_script).compile(parsed.node) if parsed.node is not None else None
        hide = excluded(today or date.today(), hidden)

        def narrowed(matching: tantivy.Query | None, kept: dict, dated: bool) -> tantivy.Query:
            return _filtered((tantivy.Query.all_query() if matching is None else matching, hide), kept,
                             *((date_from, date_to) if dated else (None, None)))

        full = narrowed(text_query, filters, True)
        jobs = (counting.facet_jobs(narrowed, text_query, filters, bool(date_from or date_to), request.facet_size)
                if request.with_facets else [])
        matches = counting.Matches(searcher)
        pending = counting.start(jobs, matches, self._universes, self._state(searcher))
        page = min(max(request.page, 1), MAX_PAGE)
        page_size = min(max(request.page_size, 1), 100)
        total, hits = (self._hits(searcher, full, request.sort, page, page_size) if request.with_hits
                       else (matches(full), []))
        highlighter = Highlighter(q.terms(parsed.node) if parsed.node else [], request.exact_script)
        texts = self.texts([hit.id for hit in hits])
        for hit in hits:
            hit.snippet = highlighter.snippet(texts.get(hit.id, ""))
        facets, histogram, approximate = counting.collect(jobs, pending)
        if approximate:
            messages.append(Note(gettext_noop("Some facet counts are approximate.")))
        suggested = None
        if not total and parsed.node is not None and request.with_hits:
            visible = tantivy.Query.boolean_query([(tantivy.Occur.Must, tantivy.Query.all_query()),
                                                   (tantivy.Occur.MustNot, hide)])
            suggested = did_you_mean(searcher, request.query, parsed.node, visible, self.texts)
        return SearchResponse(query=request.query, total=total, hits=hits, facets=facets, histogram=histogram,
                              messages=messages, page=page, page_size=page_size, suggestion=suggested)

    def _narrowed(self, request: SearchRequest, today: date | None, hidden: list[str], dated: bool) -> tantivy.Query:
        """The request's query and facet filters (and date range when `dated`), minus what no
        search shows."""
        filters = {f: [v for v in vs if v] for f, vs in request.filters.items() if f in FACETS and any(vs)}
        main = self.compiler(request.exact_script).compile(q.parse(request.query).node)
        date_from, date_to = (_day_or_none(request.date_from), _day_or_none(request.date_to)) if dated else (None, None)
        return _filtered((main, excluded(today or date.today(), hidden)), filters, date_from, date_to)

    def date_counts(self, request: SearchRequest, spans: list[tuple[date, date]], today: date | None = None,
                    hidden: list[str] = ()) -> list[int]:
        """How many documents a search finds whose earliest date falls in each span (first and last
        day); the request's own date range is ignored, as for the histogram."""
        if not spans:
            return []
        query = self._narrowed(request, today, hidden, dated=False)
        ranges = [{"key": str(i), "from": first.toordinal(), "to": last.toordinal() + 1} for i, (first, last) in enumerate(spans)]
        result = self._searcher().aggregate(query, {"spans": {"range": {"field": "date_min", "ranges": ranges, "keyed": True}}})
        buckets = result["spans"]["buckets"]
        return [buckets.get(str(i), {}).get("doc_count", 0) for i in range(len(spans))]

    def ids(self, request: SearchRequest, limit: int, today: date | None = None, hidden: list[str] = ()) -> tuple[int, list[str]]:
        """(total, the ids of the first `limit` documents) a search finds, in its order."""
        searcher = self._searcher()
        total, hits = self._hits(searcher, self._narrowed(request, today, hidden, dated=True), request.sort, 1, max(1, limit))
        return total, [hit.id for hit in hits]

    def matching_ids(self, query: str, exact_script: bool = False, today: date | None = None) -> list[str]:
        """The ids of every document a query finds (no paging, no facets), for batch work on them."""
        parsed = q.parse(query)
        searcher = self._searcher()
        main = self.compiler(exact_script).compile(parsed.node)
        full = _filtered((main, embargoed(today or date.today())), {}, None, None)
        total = searcher.search(full, limit=1, count=True).count
        if not total:
            return []
        result = searcher.search(full, limit=total, count=False)
        return [searcher.doc(address)["id"][0] for _, address in result.hits]

    def similar(self, fields: dict[str, str], exclude: list[str], limit: int, today: date | None = None) -> list[Hit]:
        """Documents like one whose texts are given ({"title": ..., "body": ...}): tantivy's
        more-like-this over the words that are frequent in them and rare in the index; the ids in
        `exclude` (the document itself, ones not public now) are left out."""
        if not any(text.strip() for text in fields.values()):
            return []
        like = tantivy.Query.more_like_this_document_fields_query(
            SCHEMA, {name: [text[:SIMILAR_TEXT]] for name, text in fields.items() if name in DEFAULT_FIELDS},
            min_doc_frequency=2, min_term_frequency=2, max_query_terms=SIMILAR_TERMS, min_word_length=3)
        query = _filtered((like, excluded(today or date.today(), exclude)), {}, None, None)
        if not limit:
            return []
        # Equal scores come back in the index's own order, which differs between two builds of one
        # catalog (a node's and a restored copy's): more are fetched and ties are put in id order.
        hits = self._hits(self._searcher(), query, "relevance", 1, 2 * limit)[1]
        return sorted(hits, key=lambda hit: (-(hit.score or 0), hit.id))[:limit]

    def _hits(self, searcher, query, sort: str, page: int, page_size: int) -> tuple[int, list[Hit]]:
        options = {}
        if sort in ("date-asc", "date-desc"):
            options = {"order_by_field": "date_min", "order": tantivy.Order.Asc if sort == "date-asc" else tantivy.Order.Desc}
        result = searcher.search(query, limit=page_size, count=True, offset=(page - 1) * page_size, **options)
        hits = []
        for key, address in result.hits:
            stored = searcher.doc(address)
            hits.append(Hit(id=stored["id"][0], title=stored["title"][0], date=_first(stored, "date_display"),
                            type=_first(stored, "type_f"), archive=_first(stored, "archive_f"), snippet="",
                            score=round(key, 4) if sort == "relevance" else None))
        return result.count, hits


def _filtered(base: tuple[tantivy.Query, tantivy.Query], filters: dict[str, list[str]], date_from, date_to) -> tantivy.Query:
    """The query (base[0]) minus embargoed documents (base[1]), narrowed by facet values and dates."""
    matching, excluded = base
    clauses = [(tantivy.Occur.Must, matching), (tantivy.Occur.MustNot, excluded)]
    clauses += [(tantivy.Occur.Must, facet_filter(f, v)) for f, v in filters.items()]
    if date_from or date_to:
        clauses.append((tantivy.Occur.Must, date_range(date_from, date_to)))
    return tantivy.Query.boolean_query(clauses)


def _first(stored, name: str) -> str | None:
    values = stored.get_all(name) if hasattr(stored, "get_all") else stored[name]
    return values[0] if values else None
