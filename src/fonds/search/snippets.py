"""Snippets and highlighting: which words of a text match the query, and the best window on them.

Matching works on folded words (so a Cyrillic query marks the Latin spelling in a translation)
and on English stems (so "negotiations" marks "negotiating"), the same way the index matches.
Judging a word (folding, stems) is Python work, so a text is not walked word by word: one
regular expression, built from the query, finds the words that could match (those starting
with a seed of a query word, and any word with a non-ASCII letter, which folding may change
wholesale) and only those are judged. The seeds are chosen so that no matching word is missed
(`seeds` says how; a property test holds it to that).
"""

from __future__ import annotations

import html
import re
from itertools import islice

from fonds.search import query as q
from fonds.search.fold import CONSONANTS, WORD, fold_word
from fonds.search.index import EXACT, analyzers

WINDOW_WORDS = 36
WORDS_BEFORE = 4
# Words run about seven characters with their spaces in English prose: enough to compare windows
# by characters, which spares tokenizing the text.
CHARS_PER_WORD = 7
MIN_STEM = 4
# A snippet is looked for in the opening of a text only: long texts (a FRUS document can run to
# 100 KB) would otherwise make every search pay for reading them whole.
SNIPPET_SCAN_CHARS = 12_000
# ... and among its first matches only: a common word matches all through a text, and the best
# window among the first few dozen matches is as good a snippet as any.
SNIPPET_HITS = 40
APOSTROPHES = "'’ʹʼ"
# The rest of a word from its first letters on, as `fold.WORD` delimits it.
_WORD = r"[^\W_]+(?:[" + APOSTROPHES + r"][^\W_]+)*"
# A word whose first, second or third letter is not ASCII: the only words whose folded opening can
# differ from their own beyond what `seeds` allows for (Хрущёв, Édouard, aЩ, and "Kyō", whose
# "yō" the rule for Pyotr folds to "e" once its mark is gone).
_NON_ASCII_OPENING = r"[^\W_]{0,2}[^\W\x00-\x7f]"


def seeds(target: str, folded: bool) -> set[str]:
    """Lowercase openings, one of which begins every word whose key equals or starts with
    `target`, unless one of the word's first three letters is not ASCII (those words are all judged).
    An unfolded key is the lowercased word, so its opening is the target's. Folding an ASCII word
    changes its first two letters only through `fold`'s rules: "ye" at the start loses its y
    (Yeltsin), a consonant's "yo" becomes "e" (Pyotr), an apostrophe drops out (d'Estaing), and a
    short word's ending collapses to "y" (Kii)."""
    head = target[:2]
    if not head:
        return {""}  # an empty prefix (from a query word that folds away) matches every word
    if not folded:
        return {head}
    out = {head}
    if head[0] == "e":
        out.add("ye")
    if len(head) == 1:
        return out | ({"i"} if head == "y" else set())  # Ii -> y
    out |= {head[0] + mark for mark in APOSTROPHES}
    if head[1] == "e" and head[0] in CONSONANTS:
        out.add(head[0] + "yo")
    if head[1] == "y":
        out.add(head[0] + "i")
    return out


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
        self._candidates = self._candidate_pattern()

    def _candidate_pattern(self) -> re.Pattern | None:
        """A pattern for the words of a text that could match (see the module's docstring)."""
        if not (self.folded or self.stems or self.prefixes):
            return None
        openings = set(self.stems)
        for target in self.folded | self.prefixes:
            openings |= seeds(target, folded=not self.exact_script)
        starts = "|".join(re.escape(o) for o in sorted(openings, key=len, reverse=True))
        lookahead = f"{starts}|{_NON_ASCII_OPENING}" if starts else _NON_ASCII_OPENING
        return re.compile(rf"(?<![^\W_])(?={lookahead}){_WORD}", re.IGNORECASE)

    def matches(self, word: str) -> bool:
        """Does this word of a text match the query?"""
        key = word.lower() if self.exact_script else fold_word(word)
        if key in self.folded or any(key.startswith(p) for p in self.prefixes):
            return True
        lowered = word.lower()
        return any(lowered.startswith(stem) for stem in self.stems)

    def spans(self, text: str, limit: int | None = None) -> list[tuple[int, int]]:
        """Character spans of the matching words in order (the first `limit` of them)."""
        if self._candidates is None:
            return []
        verdicts = self._verdicts  # a text repeats its words: each distinct word is judged once
        spans = []
        for found in self._candidates.finditer(text):
            word = found.group()
            verdict = verdicts.get(word)
            if verdict is None:
                verdict = verdicts[word] = self.matches(word)
            if verdict:
                spans.append(found.span())
                if len(spans) == limit:
                    break
        return spans

    def mark(self, text: str) -> str:
        """The whole text as HTML with every match wrapped in <mark>."""
        return _render(text, self.spans(text), 0, len(text))

    def snippet(self, text: str, words: int = WINDOW_WORDS) -> str:
        """HTML of the window of `words` words with the most distinct matches (or the opening)."""
        text = text[:SNIPPET_SCAN_CHARS]
        hits = self.spans(text, SNIPPET_HITS)
        start = _window_start(text, hits, words) if hits else 0
        tokens = list(islice(WORD.finditer(text, start), words))
        if not tokens:
            return ""
        first, last = tokens[0].start(), tokens[-1].end()
        # At either end of the text, its own punctuation rather than an ellipsis.
        first = first if WORD.search(text, 0, first) else 0
        last = last if WORD.search(text, last) else len(text)
        shown = [span for span in hits if first <= span[0] and span[1] <= last]
        prefix = "… " if first > 0 else ""
        suffix = " …" if last < len(text) else ""
        return prefix + re.sub(r"\s+", " ", _render(text, shown, first, last)).strip() + suffix



def _window_start(text: str, hits: list[tuple[int, int]], words: int) -> int:
    """Where the window begins: a few words before the hit that opens the window with the most
    distinct matching words."""
    reach = words * CHARS_PER_WORD
    best, best_score = hits[0][0], 0
    for i, (start, _) in enumerate(hits):
        distinct = set()
        for a, b in islice(hits, i, None):
            if a >= start + reach:
                break
            distinct.add(text[a:b].lower())
        if len(distinct) > best_score:
            best, best_score = start, len(distinct)
    low = max(0, best - WORDS_BEFORE * 3 * CHARS_PER_WORD)
    starts = [m.start() for m in WORD.finditer(text, low, best)]
    if low > 0:
        starts = starts[1:]  # the first may be the tail of a cut word
    if len(starts) >= WORDS_BEFORE:
        return starts[-WORDS_BEFORE]
    return 0 if low == 0 else (starts[0] if starts else best)


def _render(text: str, spans: list[tuple[int, int]], first: int, last: int) -> str:
    out, position = [], first
    for start, end in spans:
        out.append(html.escape(text[position:start]))
        out.append(f"<mark>{html.escape(text[start:end])}</mark>")
        position = end
    out.append(html.escape(text[position:last]))
    return "".join(out)
