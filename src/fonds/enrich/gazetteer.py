"""Finding names from a fixed list in a text: phrases of one to several words, compared folded.

Shared by the organization and place enrichers. Each word is folded (`fonds.search.fold`), so
Cyrillic and Latin spellings meet; an abbreviation ("NATO", "КГБ") matches only when written in
capitals, and a name only when its first word is capitalised, so "union" in prose is not a union.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fonds.enrich.authorities import fold_token
from fonds.records import Authority
from fonds.search.fold import fold

TOKEN = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*")
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
# Russian case endings tried off a word that is not found as written ("в Москве" -> Москва).
_RUSSIAN_ENDINGS = [("ой", "а"), ("ом", ""), ("ию", "ия"), ("ии", "ия"), ("е", "а"), ("у", "а"), ("ы", "а"), ("и", "ия"),
                    ("е", ""), ("а", ""), ("у", "")]


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
        tokens = list(TOKEN.finditer(text))
        folded = _Folded(tokens)
        hits: list[Hit] = []
        position = 0
        while position < len(tokens):
            if not tokens[position].group(0)[:1].isupper():  # the cheap test first: most words are lower case
                position += 1
                continue
            hit = self._at(text, tokens, folded, position)
            if hit is None:
                position += 1
                continue
            hits.append(hit[0])
            position += hit[1]
        return hits

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
            if found is None and width == 1 and _CYRILLIC.search(first):
                found = next((self.phrases[(form,)] for form in _russian_forms(first) if (form,) in self.phrases), None)
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


class _Folded:
    """The folded words of a token list, computed only for the positions a lookup reaches."""

    def __init__(self, tokens):
        self.tokens = tokens
        self.cache: dict[int, str] = {}

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


def _russian_forms(word: str) -> list[str]:
    lower = word.lower()
    return [fold_token(lower[: -len(ending)] + base) for ending, base in _RUSSIAN_ENDINGS
            if lower.endswith(ending) and len(lower) - len(ending) >= 3]


class KnownMatcher:
    """A PhraseMatcher over the known authorities of one kind, kept current as a batch adds some.

    One live matcher per kind (a batch is enriched at a time); authorities added to the same index
    are indexed incrementally instead of rebuilding the matcher.
    """

    def __init__(self, kind: str):
        self.kind = kind
        self._known = None
        self._version = None
        self._count = 0
        self._matcher: PhraseMatcher | None = None

    def __call__(self, known) -> PhraseMatcher:
        if self._known is not known:
            authorities = known.of_kind(self.kind)
            self._known, self._matcher, self._count = known, PhraseMatcher(authorities), len(authorities)
        elif self._version != known.version:
            for authority in known.of_kind(self.kind, skip=self._count):
                self._matcher.add(authority)
                self._count += 1
        self._version = known.version
        return self._matcher
