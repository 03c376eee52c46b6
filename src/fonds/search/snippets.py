"""Snippets and highlighting: which words of a text match the query, and the best window on them.

Matching works on folded words (so a Cyrillic query marks the Latin spelling in a translation)
and on English stems (so "negotiations" marks "negotiating"), the same way the index matches.
"""

from __future__ import annotations

import html
import re
from itertools import islice

from fonds.search import query as q
from fonds.search.fold import WORD, fold_word
from fonds.search.index import EXACT, analyzers

WINDOW_WORDS = 36
MIN_STEM = 4
# A snippet is looked for in the opening of a text only: long texts (a FRUS document can run to
# 100 KB) would otherwise make every search pay for reading them whole.
SNIPPET_SCAN_CHARS = 12_000


class Highlighter:
    """Knows the query's words and marks them in any text."""

    def __init__(self, leaves: list, exact_script: bool = False):
        self.exact_script = exact_script
        stemmer = analyzers()[EXACT]
        self.folded: set[str] = set()
        self.stems: set[str] = set()
        self.prefixes: set[str] = set()
        self._verdicts: dict[str, bool] = {}
        for leaf in leaves:
            for word in WORD.findall(leaf.text):
                folded = fold_word(word)
                if isinstance(leaf, q.Term) and leaf.prefix:
                    self.prefixes.add(folded)
                    continue
                self.folded.add(word.lower() if exact_script else folded)
                self.stems.update(s for s in stemmer.analyze(word) if len(s) >= MIN_STEM)

    def matches(self, word: str) -> bool:
        """Does this word of a text match the query?"""
        key = word.lower() if self.exact_script else fold_word(word)
        if key in self.folded or any(key.startswith(p) for p in self.prefixes):
            return True
        lowered = word.lower()
        return any(lowered.startswith(stem) for stem in self.stems)

    def matching_words(self, text: str) -> set[str]:
        """The distinct words of `text` that match. Each distinct word is judged once: a text
        repeats its words, and judging (folding, stems) is the expensive part."""
        if not (self.folded or self.stems or self.prefixes):
            return set()
        verdicts = self._verdicts
        matching = set()
        for word in set(WORD.findall(text)):
            verdict = verdicts.get(word)
            if verdict is None:
                verdict = verdicts[word] = self.matches(word)  # remembered across this search's texts
            if verdict:
                matching.add(word)
        return matching

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Character spans of every matching word."""
        matching = self.matching_words(text)
        return [m.span() for m in WORD.finditer(text) if m.group() in matching] if matching else []

    def mark(self, text: str) -> str:
        """The whole text as HTML with every match wrapped in <mark>."""
        return _render(text, self.spans(text), 0, len(text))

    def snippet(self, text: str, words: int = WINDOW_WORDS) -> str:
        """HTML of the window of `words` words with the most distinct matches (or the opening)."""
        text = text[:SNIPPET_SCAN_CHARS]
        matching = self.matching_words(text)
        # Without a match the opening is the snippet, and only its words need finding.
        tokens = list(WORD.finditer(text)) if matching else list(islice(WORD.finditer(text), words + 1))
        if not tokens:
            return ""
        hits = [i for i, t in enumerate(tokens) if t.group() in matching]
        start = _best_window(tokens, hits, words)
        end = min(start + words, len(tokens)) - 1
        first, last = tokens[start].start(), tokens[end].end()
        spans = [tokens[i].span() for i in hits if start <= i <= end]
        prefix = "… " if first > 0 else ""
        suffix = " …" if last < len(text) else ""
        return prefix + re.sub(r"\s+", " ", _render(text, spans, first, last)).strip() + suffix


def _best_window(tokens: list[re.Match], hits: list[int], words: int) -> int:
    if not hits:
        return 0
    best, best_score = hits[0], -1
    for i in hits:
        start = max(0, i - 4)
        score = len({tokens[j].group().lower() for j in hits if start <= j < start + words})
        if score > best_score:
            best, best_score = start, score
    return best


def _render(text: str, spans: list[tuple[int, int]], first: int, last: int) -> str:
    out, position = [], first
    for start, end in spans:
        out.append(html.escape(text[position:start]))
        out.append(f"<mark>{html.escape(text[start:end])}</mark>")
        position = end
    out.append(html.escape(text[position:last]))
    return "".join(out)
