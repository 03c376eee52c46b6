"""People named in a document's text, linked to person authority records.

This first enricher reads the forms Soviet party documents use for people ("com. Khrushchev N.S.",
"com. [Rodion] Malinovsky", "comrade Gromyko"): a surname after a form of address. A surname is
linked to a packaged authority (data/people.json) when one has it as its surname or a variant;
otherwise a new authority is made from the name as found.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources

from fonds.names import authority_id
from fonds.records import Authority, Batch, Link, Record

_ADDRESS = r"(?:com\.|comrade|Comrade|tov\.|Com\.)"
_GIVEN = r"(?:\[(?P<given>[A-Z][a-z]+)\]\s+)?"
_SURNAME = r"(?P<surname>[A-Z][a-z]+(?:-[A-Z][a-z]+)?)"
_INITIALS = r"(?:\s+(?P<initials>[A-Z]\.\s?[A-Z]\.))?"
MENTION = re.compile(rf"\b{_ADDRESS}\s+{_GIVEN}{_SURNAME}{_INITIALS}")


@lru_cache(maxsize=1)
def known_people() -> dict[str, Authority]:
    """Packaged person authorities by lowercased surname and variant."""
    data = json.loads(resources.files("fonds.enrich").joinpath("data/people.json").read_text(encoding="utf-8"))
    index: dict[str, Authority] = {}
    for item in data:
        authority = Authority.model_validate(item)
        for name in [authority.name, *authority.variants]:
            index.setdefault(name.split(",")[0].strip().lower(), authority)
            index.setdefault(name.lower(), authority)
    return index


def find(text: str) -> list[tuple[str, Authority]]:
    """(name as found, authority) for each distinct person addressed in `text`, in order."""
    found: dict[str, tuple[str, Authority]] = {}
    for match in MENTION.finditer(text):
        surname, given, initials = match.group("surname", "given", "initials")
        authority = known_people().get(surname.lower()) or _new_authority(surname, given, initials)
        if authority.id not in found:
            found[authority.id] = (match.group(0).split(None, 1)[1].replace("[", "").replace("]", ""), authority)
    return list(found.values())


def _new_authority(surname: str, given: str | None, initials: str | None) -> Authority:
    name = f"{surname}, {given or initials}" if (given or initials) else surname
    return Authority(id=authority_id(name), kind="person", name=name)


def enrich(record: Record, batch: Batch) -> None:
    """Add people addressed in the text when the source linked none."""
    if record.people:
        return
    text = "\n".join(t.body for t in record.texts)
    for name, authority in find(text):
        record.people.append(Link(id=authority.id, name=authority.name))
        batch.authorities.append(authority)
