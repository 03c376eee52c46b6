"""What the views of a whole search need beyond the search itself: where its places are, and the
documents its correspondence network reads."""

from __future__ import annotations

from fonds.archive import visibility
from fonds.catalog import models as m
from fonds.enrich.locations import locate


def located_places(buckets: list[dict]) -> tuple[list[dict], list[dict]]:
    """The place facet of a search ([{value, count}]) split into places with coordinates
    ({name, count, lat, lon}) and places the gazetteer cannot put on a map ({name, count}). A name
    is placed through the place authority public documents link it to (its GeoNames or ISO id),
    else by the name itself."""
    names = [bucket["value"] for bucket in buckets]
    authorities = {}
    links = (visibility.mentions_for(None).filter(role=m.Mention.Role.PLACE, name__in=names).order_by()
             .values_list("name", "authority__key", "authority__name", "authority__external_ids").distinct())
    for name, key, preferred, external_ids in links:
        authorities.setdefault(name, (key, preferred, external_ids))
    located, unlocated = [], []
    for bucket in buckets:
        key, preferred, external_ids = authorities.get(bucket["value"], ("", bucket["value"], {}))
        point = locate(preferred, key, external_ids) or locate(bucket["value"])
        if point:
            located.append({"name": bucket["value"], "count": bucket["count"], "lat": point[0], "lon": point[1]})
        else:
            unlocated.append({"name": bucket["value"], "count": bucket["count"]})
    return located, unlocated


def documents(ids: list[str]):
    """The public documents among `ids` (a search's matches, checked against the catalog)."""
    return visibility.public().filter(pk__in=ids)
