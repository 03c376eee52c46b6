"""Spelling suggestions ("did you mean") from the index's own terms.

When a search finds nothing, each plain word of the query that the index does not hold is compared
with the terms the index does hold (tantivy's term dictionary) that begin with the same letter and
are about as long; the closest, most frequent one that a document the search may show holds wins
(difflib's similarity ratio), so a hidden document lends no word. The dictionary is walked without
a filter (filtered counts cost a set intersection per term) and only the few best candidates are
checked against the visible documents. Terms are stems ("disarma"), so the word offered is the
first word of such a document whose stem it is ("disarmament", "Khrushchev"). Nothing here
imports Django.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable

import tantivy

from fonds.search import query as q
from fonds.search.fold import WORD
from fonds.search.index import EXACT, SCHEMA, analyzers

SIMILARITY = 0.75  # difflib ratio a term must reach to be offered (Krushchev/khrushchev: 0.95)
LENGTH_SLACK = 4  # candidate terms at most this many characters longer or shorter
FIELDS = ("body", "title")
MAX_WORDS = 6  # longer queries are not corrected word by word
CANDIDATES = 5  # the best-scored terms checked for a visible document holding them


def suggestion(searcher: tantivy.Searcher, query: str, node: q.Node | None, visible: tantivy.Query,
               texts: Callable[[list[str]], dict[str, str]]) -> str | None:
    """`query` with its unknown words replaced by the closest words the index holds, or None when
    no word needs (or finds) a replacement."""
    words = [t for t in q.terms(node) if isinstance(t, q.Term) and not t.prefix and not t.fuzzy][:MAX_WORDS]
    corrected = query
    for term in words:
        better = _word_for(searcher, term.text, visible, texts)
        if better and better.lower() != term.text.lower():
            corrected = re.sub(rf"(?<!\w){re.escape(term.text)}(?!\w)", lambda _: better, corrected, count=1)
    return corrected if corrected != query else None


def _stem(word: str) -> str | None:
    tokens = analyzers()[EXACT].analyze(word)
    return tokens[0] if len(tokens) == 1 else None


def _counts(searcher: tantivy.Searcher, prefix: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for field in FIELDS:
        for term, count in searcher.terms_with_prefix(field, prefix):
            counts[term] = counts.get(term, 0) + count
    return counts


def _holding(stem: str, visible: tantivy.Query, field: str) -> tantivy.Query:
    """The visible documents whose `field` holds `stem`."""
    return tantivy.Query.boolean_query([(tantivy.Occur.Must, tantivy.Query.term_query(SCHEMA, field, stem)),
                                        (tantivy.Occur.Must, visible)])


def _visible(searcher: tantivy.Searcher, stem: str, visible: tantivy.Query) -> bool:
    return any(searcher.search(_holding(stem, visible, field), limit=1, count=True).count for field in FIELDS)


def _word_for(searcher, word: str, visible: tantivy.Query, texts) -> str | None:
    """The word to offer instead of `word`, or None when the index knows it or nothing is close."""
    stem = _stem(word)
    if not stem or stem.isdigit():
        return None
    counts = _counts(searcher, stem[0])
    if counts.get(stem):
        return None
    near = [t for t in counts if abs(len(t) - len(stem)) <= LENGTH_SLACK]
    scored = [(difflib.SequenceMatcher(None, stem, t).ratio(), counts[t], t) for t in near]
    ranked = sorted((item for item in scored if item[0] >= SIMILARITY), reverse=True)
    best = next((term for _, _, term in ranked[:CANDIDATES] if _visible(searcher, term, visible)), None)
    return (_surface(searcher, best, visible, texts) or best) if best else None


def _surface(searcher, stem: str, visible: tantivy.Query, texts) -> str | None:
    """A word as written that the index reduces to `stem`, from a visible document holding it."""
    for field in FIELDS:
        for _, address in searcher.search(_holding(stem, visible, field), limit=1).hits:
            stored = searcher.doc(address)
            text = " ".join(stored.get_all("title")) + "\n" + texts([stored.get_all("id")[0]]).get(stored.get_all("id")[0], "")
            for match in WORD.finditer(text):
                if _stem(match.group(0)) == stem:
                    return match.group(0)
    return None
