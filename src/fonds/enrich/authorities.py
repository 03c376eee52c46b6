"""An index of authority records by folded name, so linking works across scripts and spellings.

Names are folded with `fonds.search.fold.fold` (Хрущёв, Khrushchov and Khrushchev meet), so a
name as found in a text is looked up the same way whatever script it was written in.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources

from fonds.records import Authority
from fonds.search.fold import fold, fold_word

# Folding a word costs ~20 µs and the words of a corpus repeat endlessly: remember them.
fold_token = lru_cache(maxsize=200_000)(fold_word)


class AuthorityIndex:
    """Authorities by kind and by folded name, variant and abbreviation, in the order added.

    Earlier authorities win ties, so the batch's own and the caller's come before packaged ones.
    """

    def __init__(self, authorities: Iterable[Authority] = ()):
        self.by_key: dict[tuple[str, str], Authority] = {}
        self.names: dict[tuple[str, str], list[Authority]] = {}
        self.version = 0  # bumped on every add, so derived indexes know when to rebuild
        for authority in authorities:
            self.add(authority)

    def has(self, authority: Authority) -> bool:
        return (authority.kind, authority.id) in self.by_key

    def add(self, authority: Authority) -> None:
        """Index one authority under each of its names (ignored if its id is already known)."""
        if self.has(authority):
            return
        self.by_key[(authority.kind, authority.id)] = authority
        self.version += 1
        for name in {authority.name, *authority.variants, *([authority.abbreviation] if authority.abbreviation else [])}:
            key = fold(name)
            if key:
                bucket = self.names.setdefault((authority.kind, key), [])
                if authority not in bucket:
                    bucket.append(authority)

    def of_kind(self, kind: str, skip: int = 0) -> list[Authority]:
        """The authorities of one kind in the order added, leaving out the first `skip` of them."""
        return [a for (k, _), a in self.by_key.items() if k == kind][skip:]

    def lookup(self, kind: str, name: str) -> list[Authority]:
        """Authorities of `kind` one of whose names folds like `name`."""
        return self.names.get((kind, fold(name)), [])


@lru_cache(maxsize=None)
def packaged(filename: str) -> tuple[Authority, ...]:
    """The authorities of a packaged list (data/*.json), validated once per process."""
    text = resources.files("fonds.enrich").joinpath(f"data/{filename}").read_text(encoding="utf-8")
    return tuple(Authority.model_validate(item) for item in json.loads(text))
