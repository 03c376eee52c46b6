"""The authority records enrichers link to, indexed by folded name, and the packaged ones.

Names are folded with `fonds.search.fold.fold` (Хрущёв, Khrushchov and Khrushchev meet), so a
name as found in a text is looked up the same way whatever script it was written in.

An `AuthorityIndex` may stand on a `base` index: the archive's own authorities (a snapshot of the
catalog, with every variant) and the packaged lists are indexed once per process as the base,
and each batch gets a small index of its own authorities on top of it. Lookups ask the batch's
index first, then the base, so a volume's List of Persons wins over the catalog's copy of a
person, and the catalog's wins over the packaged one.

Packaged lists (data/*.json): `people-frus.json`, the person seed built from the Lists of Persons
of the FRUS volumes by tools/build_people_seed.py (names, variants in other scripts, roles, the
volumes a person is listed in); people.json, the hand-checked entries merged into that seed;
organizations.json and repositories.json.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from fonds.names import authority_id
from fonds.records import Authority
from fonds.search.fold import fold, fold_word

# Folding a word costs ~20 µs and the words of a corpus repeat endlessly: remember them.
fold_token = lru_cache(maxsize=200_000)(fold_word)
SEED = "people-frus.json"


class AuthorityIndex:
    """Authorities by kind and by folded name, variant and abbreviation, in the order added, on
    top of an optional `base` index that is consulted after this one.

    Earlier authorities win ties, so the batch's own and the caller's come before packaged ones.
    `catalog` holds the (kind, id) of authorities the archive already has, which a batch links to
    without carrying them again.
    """

    def __init__(self, authorities: Iterable[Authority] = (), base: AuthorityIndex | None = None,
                 catalog: Iterable[tuple[str, str]] = ()):
        self.base = base
        self.by_key: dict[tuple[str, str], Authority] = {}
        self.names: dict[tuple[str, str], list[Authority]] = {}
        self.catalog: set[tuple[str, str]] = set(catalog)
        self.kinds: dict[str, list[Authority]] = {}  # in the order added, so derived indexes extend cheaply
        self.version = 0  # bumped on every add, so derived indexes know when to rebuild
        self._derived: dict[str, list] = {}
        self.views: dict[str, object] = {}  # what other modules keep current of this index (`People.of`)
        for authority in authorities:
            self.add(authority)

    def has(self, authority: Authority) -> bool:
        return self.get(authority.kind, authority.id) is not None

    def get(self, kind: str, key: str) -> Authority | None:
        """The authority of this kind and id, here or in the base."""
        found = self.by_key.get((kind, key))
        if found is None and self.base is not None:
            return self.base.get(kind, key)
        return found

    def in_catalog(self, authority: Authority) -> bool:
        """Whether the archive already holds this authority (so a batch need not carry it)."""
        key = (authority.kind, authority.id)
        return key in self.catalog or (self.base is not None and self.base.in_catalog(authority))

    def add(self, authority: Authority) -> None:
        """Index one authority under each of its names (ignored if its id is already known here)."""
        if (authority.kind, authority.id) in self.by_key:
            return
        self.by_key[(authority.kind, authority.id)] = authority
        self.kinds.setdefault(authority.kind, []).append(authority)
        self.version += 1
        for name in {authority.name, *authority.variants, *([authority.abbreviation] if authority.abbreviation else [])}:
            key = fold(name)
            if key:
                bucket = self.names.setdefault((authority.kind, key), [])
                if authority not in bucket:
                    bucket.append(authority)

    def of_kind(self, kind: str, skip: int = 0) -> list[Authority]:
        """The authorities of one kind added to this index (not the base), in order, leaving out
        the first `skip` of them."""
        return self.kinds.get(kind, [])[skip:]

    def lookup(self, kind: str, name: str) -> list[Authority]:
        """Authorities of `kind` one of whose names folds like `name`, this index's first."""
        found = list(self.names.get((kind, fold(name)), []))
        if self.base is not None:
            found += [a for a in self.base.lookup(kind, name) if (a.kind, a.id) not in self.by_key]
        return found

    def derived(self, name: str, build: Callable[[list[Authority]], object],
                extend: Callable[[object, list[Authority]], None], kind: str):
        """A structure built from this index's authorities of `kind` (a person index, a phrase
        matcher), kept current as authorities are added: built once, then extended."""
        cached = self._derived.get(name)
        if cached is None:
            authorities = self.of_kind(kind)
            cached = [self.version, build(authorities), len(authorities)]
            self._derived[name] = cached
        elif cached[0] != self.version:
            new = self.of_kind(kind, skip=cached[2])
            extend(cached[1], new)
            cached[0], cached[2] = self.version, cached[2] + len(new)
        return cached[1]


@lru_cache(maxsize=None)
def packaged(filename: str) -> tuple[Authority, ...]:
    """The authorities of a packaged list (data/*.json), validated once per process."""
    if filename == SEED:
        return tuple(entry.authority for entry in seed())
    text = resources.files("fonds.enrich").joinpath(f"data/{filename}").read_text(encoding="utf-8")
    return tuple(Authority.model_validate(item) for item in json.loads(text))


@dataclass(frozen=True)
class SeedPerson:
    """A person of the packaged seed: the authority, and the span of years and number of FRUS
    volumes that list them (how prominent, and when, to choose among namesakes)."""

    authority: Authority
    first_year: int | None
    last_year: int | None
    volumes: int
    curated: bool = False  # one of the hand-checked entries of data/people.json (Marx, Churchill...)


_PERIOD = re.compile(r"^(\d{4})(?:-(\d{2,4}))?")


def _years(volume: str) -> tuple[int, int] | None:
    """'1955-57v20' -> (1955, 1957); '1917-72PubDip' -> (1917, 1972); '1948v01p2' -> (1948, 1948)."""
    match = _PERIOD.match(volume)
    if not match:
        return None
    start = int(match.group(1))
    end = match.group(2)
    if not end:
        return start, start
    return start, int(end) if len(end) == 4 else start // 100 * 100 + int(end)


@lru_cache(maxsize=1)
def seed() -> tuple[SeedPerson, ...]:
    """The packaged person seed (data/people-frus.json), read once per process."""
    text = resources.files("fonds.enrich").joinpath(f"data/{SEED}").read_text(encoding="utf-8")
    people = []
    for item in json.loads(text)["people"]:
        volumes = item.get("volumes", "").split()
        spans = [span for span in map(_years, volumes) if span]
        first = min((s[0] for s in spans), default=None)
        last = max((s[1] for s in spans), default=None)
        listed = f"Listed in {len(volumes)} FRUS volume{'s' if len(volumes) != 1 else ''}, {first}–{last}." if spans else ""
        description = " ".join(part for part in (item.get("role", "").rstrip(".") + "." if item.get("role") else "", listed)
                               if part) or None
        authority = Authority(id=item.get("id") or authority_id(item["name"]), kind="person", name=item["name"],
                              variants=item.get("variants", []), description=description, dates=item.get("dates"))
        people.append(SeedPerson(authority, first, last, len(volumes), bool(item.get("curated"))))
    return tuple(people)


@lru_cache(maxsize=1)
def seed_by_id() -> dict[str, SeedPerson]:
    found: dict[str, SeedPerson] = {}
    for person in seed():
        found.setdefault(person.authority.id, person)  # the first of an id is its most listed entry
    return found


@lru_cache(maxsize=1)
def common_surnames() -> frozenset[str]:
    """Surnames of the seed that are far more often ordinary words (folded): written bare they are
    not taken as a person (see tools/build_people_seed.py)."""
    text = resources.files("fonds.enrich").joinpath(f"data/{SEED}").read_text(encoding="utf-8")
    return frozenset(json.loads(text).get("common_surnames", []))
