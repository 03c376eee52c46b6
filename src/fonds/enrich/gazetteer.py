"""Finding names from a fixed list in a text: phrases of one to several words, compared folded.

Shared by the organization and place enrichers. Each word is folded (`fonds.search.fold`), so
Cyrillic and Latin spellings meet; an abbreviation ("NATO", "КГБ") matches only when written in
capitals, and a name only when its first word is capitalised, so "union" in prose is not a union.
Names are matched whole, never as word stems: a Russian word in another case is looked up by the
nominative the pymorphy3 analyser gives it ("в Москве" -> Москва, "Китая" -> Китай), and a
one-word Cyrillic name of the list matches only where the dictionary knows the word as a place
name, so "Дума" (the parliament) is not Douma in Syria.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from fonds.enrich import personnames as pn
from fonds.enrich.authorities import fold_token
from fonds.records import Authority
from fonds.search.fold import fold

TOKEN = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*")
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    authority: Authority
    text: str


class PhraseMatcher:
    """Authorities by the folded words of each name, abbreviation and variant."""

    def __init__(self, authorities=()):
        self.phrases: dict[tuple[str, ...], tuple[Authority, bool]] = {}
        self.widths: dict[str, list[int]] = {}  # first word -> phrase lengths starting with it, longest first
        for authority in authorities:
            self.add(authority)

    def add(self, authority: Authority, names: list[str] | None = None) -> None:
        """Index an authority under its names (or the given ones); the first authority to claim a name keeps it."""
        for name in names if names is not None else [authority.name, *authority.variants]:
            self._put(name, authority, abbreviation=False)
        if names is None and authority.abbreviation:
            self._put(authority.abbreviation, authority, abbreviation=True)

    def _put(self, name: str, authority: Authority, abbreviation: bool) -> None:
        words = tuple(fold(name).split())
        if words and words not in self.phrases:
            self.phrases[words] = (authority, abbreviation or (name.isupper() and len(name) <= 6))
            widths = self.widths.setdefault(words[0], [])
            if len(words) not in widths:
                widths.append(len(words))
                widths.sort(reverse=True)

    def find(self, text: str) -> list[Hit]:
        """Non-overlapping names of the list in `text`, longest first at each position."""
        if not self.phrases:
            return []
        tokens, capitals, folded = tokenized(text)
        # Only a capitalised word can start a name, and only one that starts a name of the list
        # (or a Cyrillic word, which may be a listed name in another case): one pass over the text's
        # capitals per list, which the several lists of a batch share.
        starts = [position for position, word, cyrillic in folded.capitals(capitals) if cyrillic or word in self.widths]
        hits: list[Hit] = []
        end = 0
        for position in starts:
            if position < end:
                continue  # inside the previous name
            hit = self._at(text, tokens, folded, position)
            if hit is not None:
                hits.append(hit[0])
                end = position + hit[1]
        return hits

    def _russian(self, word: str, found: tuple[Authority, bool] | None) -> tuple[Authority, bool] | None:
        """A one-word Cyrillic name: as written, else by its nominative; only where the dictionary
        lets the word be a place or a name (not "Дума", "Союза"), unless it is an abbreviation."""
        if found is not None and found[1]:
            return found  # ЦК, КГБ: abbreviations are checked for capitals by the caller
        analyses = pn.analyses(word)
        if not any(g & {"Geox", "Orgn", "Abbr", "Name", "Surn"} or "UNKN" in g for _, g in analyses):
            return None
        if found is not None:
            return found
        return next((self.phrases[(fold_token(normal),)] for normal, grammemes in analyses
                     if grammemes & {"Geox", "Orgn"} and (fold_token(normal),) in self.phrases), None)

    def _at(self, text: str, tokens, folded, position: int) -> tuple[Hit, int] | None:
        first = tokens[position].group(0)
        if not first[:1].isupper():
            return None
        widths = self.widths.get(folded.word(position))
        if widths is None:
            if not _CYRILLIC.search(first):
                return None
            widths = [1]  # a Russian word in another case than the listed one ("в Москве")
        for width in widths:
            if position + width > len(tokens):
                continue
            words = folded.words(position, width)
            found = self.phrases.get(words)
            if width == 1 and _CYRILLIC.search(first):
                found = self._russian(first, found)
            if found is None:
                continue
            authority, abbreviation = found
            end = tokens[position + width - 1].end()
            if abbreviation and not text[tokens[position].start():end].replace(".", "").replace(" ", "").isupper():
                continue
            if not _joined(text, tokens, position, width):
                continue
            return Hit(tokens[position].start(), end, authority, text[tokens[position].start():end]), width
        return None


@lru_cache(maxsize=4)
def tokenized(text: str) -> tuple[list[re.Match], list[int], _Folded]:
    """The words of a text, the positions of the capitalised ones and their folded forms, made once
    for the several lists (known organizations and places, each layer, the gazetteer) that look."""
    tokens = list(TOKEN.finditer(text))
    capitals = [i for i, token in enumerate(tokens) if token.group(0)[:1].isupper()]
    return tokens, capitals, _Folded(tokens)


class _Folded:
    """The folded words of a token list, computed only for the positions a lookup reaches."""

    def __init__(self, tokens):
        self.tokens = tokens
        self.cache: dict[int, str] = {}
        self.folded_capitals: list[tuple[int, str, bool]] | None = None

    def capitals(self, capitals: list[int]) -> list[tuple[int, str, bool]]:
        """(position, folded form, written in Cyrillic) of each capitalised word of `tokenized`'s
        list, computed once per text."""
        if self.folded_capitals is None:
            self.folded_capitals = [(position, self.word(position), bool(_CYRILLIC.search(self.tokens[position].group(0))))
                                    for position in capitals]
        return self.folded_capitals

    def word(self, position: int) -> str:
        if position not in self.cache:
            self.cache[position] = fold_token(self.tokens[position].group(0).replace(".", ""))
        return self.cache[position]

    def words(self, position: int, width: int) -> tuple[str, ...]:
        return tuple(self.word(i) for i in range(position, position + width))


def _joined(text: str, tokens, position: int, width: int) -> bool:
    """The words of a phrase follow each other with only spaces between (not across lines or commas)."""
    for left, right in zip(tokens[position:position + width - 1], tokens[position + 1:position + width]):
        gap = text[left.end():right.start()]
        if gap and not (gap.isspace() and "\n" not in gap):
            return False
    return True


def known_hits(known, kind: str, text: str) -> list[Hit]:
    """Names of the known authorities of `kind` in `text`: the batch's own first, then each base
    layer's where no earlier layer found a name (see `AuthorityIndex`)."""
    hits: list[Hit] = []
    index = known
    while index is not None:
        matcher = index.derived(f"phrases-{kind}", PhraseMatcher, _extend, kind)
        hits += [hit for hit in matcher.find(text) if not any(h.start < hit.end and hit.start < h.end for h in hits)]
        index = index.base
    return sorted(hits, key=lambda hit: hit.start)


def _extend(matcher: PhraseMatcher, authorities: list[Authority]) -> None:
    for authority in authorities:
        matcher.add(authority)
