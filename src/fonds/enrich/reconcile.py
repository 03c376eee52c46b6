"""Reconciling a batch's authorities with the ones the archive already has, before enrichment.

Readers name people and bodies in several ways: a FRUS volume declares its List of Persons, an
archive page or a text's front matter gives names, a metadata sheet gives From/To values, an
OAI-PMH record its creators. Each such name becomes a link whose id is made from the name. Here
every one of them is looked up among the known authorities (the archive's, then the packaged),
with all their variants, before anything new is made:

- a declared person who is one of the known ("Khrushchev, Nikita Sergeyevich" in one volume,
  "Khrushchev, Nikita S." in the seed) takes the known id; the batch's form of the name and its
  role become a variant and a description the catalog adds where it lacks one;
- a link by name only takes the id of the known authority of that name (a person by surname and
  agreeing given names, a body or place by any of its names);
- a name given as a person's that is an organization's (CIA, "Japan. Foreign Ministry", office
  codes) becomes an organization: people links move to organizations, authors and recipients stay
  but point at the organization;
- names are cleaned: whitespace collapsed, control characters and line breaks removed.

Every relinking is reported as a finding of the "authorities" enricher, so curators see from which
name, to which authority and how sure.
"""

from __future__ import annotations

import re

from fonds.enrich import personnames as pn
from fonds.enrich.authorities import AuthorityIndex
from fonds.names import authority_id, clean_name
from fonds.records import Authority, Batch, Finding, Link, Record
from fonds.search.fold import fold

NAME = "authorities"
PERSON_ROLES = ("authors", "recipients", "people")
ROLES = {"authors": "person", "recipients": "person", "people": "person", "organizations": "organization",
         "places": "place"}
def reconcile(batch: Batch, known: AuthorityIndex, keep_declared: bool = False) -> list[Finding]:
    """Link the batch's declared and named authorities to the known ones (see the module); returns
    a finding for every link that now points elsewhere. With `keep_declared` (JSON Lines, the
    lossless interchange) the batch's declared authorities and every link given with an id stay as
    they are, and only the links the reader made from a name alone (`batch.named`) are looked up."""
    declared = {(a.kind, a.id): a for a in batch.authorities}
    findings: list[Finding] = []
    people = None
    renamed: dict[tuple[str, str], Authority] = dict(declared) if keep_declared else {}
    for key, authority in [] if keep_declared else list(declared.items()):
        authority = authority.model_copy(update={"name": clean_name(authority.name) or authority.id,
                                                 "variants": [v for v in map(clean_name, authority.variants) if v]})
        kind = _kind(authority.name, known) if authority.kind == "person" and not known.get("person", authority.id) else None
        if kind == "organization":
            authority = _organization(authority.name, known)
        elif kind is None and authority.kind == "person" and not known.get("person", authority.id):
            continue  # a placeholder or a word that names no one: its links are dropped below
        elif authority.kind == "person" and not known.get("person", authority.id):
            people = people or _people(known)
            match = _known_person(authority.name, people, need_given=True)
            if match is not None:
                authority = _merged(match, authority)
        renamed[key] = authority
    needed: dict[tuple[str, str], Authority] = {}
    only = set(batch.named) if keep_declared else None
    for record in batch.records:
        findings += _relink(record, renamed, known, needed, only)
    batch.authorities = list({(a.kind, a.id): a for a in [*renamed.values(), *needed.values()]}.values())
    return findings


def _people(known: AuthorityIndex):
    from fonds.enrich.people import People  # people imports this module's neighbours; import when needed

    return People.of(known)


def _known_person(name: str, people, need_given: bool) -> Authority | None:
    """The one known person a written name can be: same surname (any romanisation) and given names
    that agree. A bare surname (when `need_given` is off) matches a single known person who has
    it, or the one listed in clearly the most volumes."""
    parsed = pn.parse(name)
    if not parsed.surname or (need_given and not parsed.given):
        return None
    hit = people.candidates([" ".join(parsed.surname)])
    if hit is None:
        return None
    candidates = hit.people
    if parsed.given:
        # any of the person's names: a list's "Radford, Admiral Arthur M." is the seed's Arthur W.,
        # who has that slip among his variants
        candidates = [p for p in candidates
                      if p.given and any(pn.given_compatible(parsed.given, form) for form in p.forms or [p.given])]
        full = [p for p in candidates if not pn.is_initial(parsed.given[0]) and p.given and p.given[0] == parsed.given[0]]
        candidates = full if len(candidates) > 1 and full else candidates
    if len(candidates) == 1:
        return candidates[0].authority
    if not parsed.given and candidates:
        from fonds.enrich.people import _most_listed

        return getattr(_most_listed(candidates)[0], "authority", None)
    return None


def _named_person(name: str, known: AuthorityIndex) -> tuple[Authority | None, float]:
    """What a name given as a person's links to: (a known person or organization, confidence), or
    (None, 1) for a new person made from the name, or (None, 0) for no link at all (a placeholder,
    or one unknown word that may as well be a crypt or a station: "JMWAVE")."""
    kind = _kind(name, known)
    if kind is None:
        return None, 0
    if kind == "organization":
        return _organization(name, known), 0.8
    name = pn.person_part(name)
    parsed = pn.parse(name)
    match = _known_person(name, _people(known), need_given=False)
    if match is not None:
        return match, 0.9 if parsed.given else 0.6
    if not parsed.given and not _people(known).candidates([" ".join(parsed.surname)]):
        return None, 0
    return None, 1


def _kind(name: str, known: AuthorityIndex) -> str | None:
    """`_kind_of`, remembered per name while `known` (and its base) stay as they are: a volume's
    links name the same few hundred people thousands of times."""
    state = (known.version, known.base.version if known.base is not None else 0)
    memo = known.views.get("name kinds")
    if memo is None or memo[0] != state:
        memo = known.views["name kinds"] = (state, {})
    if name not in memo[1]:
        memo[1][name] = _kind_of(name, known)
    return memo[1][name]


def _kind_of(name: str, known: AuthorityIndex) -> str | None:
    """`personnames.kind_of_name`, and beyond it: a place ("MEXICO CITY", "Saigon") is the station
    or embassy there, an organization; a name in capitals with no comma is a person's only when it
    starts with a given name or an initial ("J. BARRY HARRELSON", "RICHARD HELMS") or is a known
    surname ("BELMONT"), else it names no one we can tell ("PRIORITY NO NIGHT ACTION", "ROUTING")."""
    from fonds.enrich.people import given_names, place_words  # loaded with the seed, on first use

    kind = pn.kind_of_name(name)
    if kind != "person":
        return kind
    if fold(name) in place_words() or _is_place(name):
        return "organization"
    letters = re.sub(r"[^\w]", "", name)
    if len(letters) <= 6 and not letters.islower() and known.lookup("organization", name):
        return "organization"  # "CiA": an OCR'd acronym of a known organization, in mixed case
    if letters.isupper() and "," not in name:
        words = pn.person_part(name).split()
        first = fold(words[0].strip(".")) if words else ""
        if len(words) > 1 and not (len(words[0].strip(".")) == 1 or first in given_names()):
            return None
        if len(words) == 1 and not _people(known).candidates([fold(words[0])]):
            return None
    return "person"


def _is_place(name: str) -> bool:
    from fonds.enrich.places import gazetteer_matcher

    hits = gazetteer_matcher().find(name.title() if name.isupper() else name)
    return len(hits) == 1 and hits[0].start == 0 and hits[0].end >= len(name.strip()) - 1


def _merged(known: Authority, found: Authority) -> Authority:
    """The known authority, carrying the batch's name and variants as variants and its role."""
    variants = [v for v in dict.fromkeys([*known.variants, found.name, *found.variants]) if v != known.name]
    return known.model_copy(update={"variants": variants, "description": found.description or known.description,
                                    "dates": found.dates or known.dates})


def _organization(name: str, known: AuthorityIndex) -> Authority:
    """The known organization of this name, or a new one."""
    found = known.lookup("organization", name)
    return found[0] if found else Authority(id=authority_id(name), kind="organization", name=clean_name(name))


def _relink(record: Record, renamed: dict[tuple[str, str], Authority], known: AuthorityIndex,
            needed: dict[tuple[str, str], Authority], only: set[str] | None = None) -> list[Finding]:
    """Point a record's links at the reconciled authorities; authorities they now need that the
    archive lacks go into `needed`. With `only`, the links whose ids are not in it stay untouched."""
    findings: list[Finding] = []
    for role, kind in ROLES.items():
        links: list[Link] = getattr(record, role)
        for position, link in reversed(list(enumerate(links))):  # from the end: links may be dropped
            if only is not None and link.id not in only:
                continue
            name = clean_name(link.name) or link.id
            target = renamed.get((kind, link.id)) or (renamed.get(("organization", link.id)) if role in PERSON_ROLES else None)
            confidence = 0.9
            if target is not None and (kind, link.id) in renamed and target.kind == "person" \
                    and _kind(name, known) is None and not known.get("person", target.id):
                target = None  # a declared "person" that names no one ("THE RECORD"): judged by name below
            if target is None and not known.get(kind, link.id):
                if kind == "person":
                    target, confidence = _named_person(name, known)
                    if target is None and confidence == 0:
                        del links[position]  # a placeholder ("WITHHELD"), or a word that names no one
                        findings.append(Finding(record.id, role, None, role, 0.9, NAME, link.name))
                        continue
                else:
                    found = known.lookup(kind, name)
                    target = found[0] if found else None
            if target is None:
                links[position] = Link(id=link.id, name=name)
                continue
            links[position] = Link(id=target.id, name=name)
            if (target.kind, target.id) not in renamed and not known.in_catalog(target):
                needed[(target.kind, target.id)] = target
            if target.id != link.id or target.kind != kind:
                findings.append(Finding(record.id, role, {"id": target.id, "name": target.name}, role, confidence, NAME,
                                        link.name))
        if only is None:
            _move_organizations(record, role)
    return findings


def _move_organizations(record: Record, role: str) -> None:
    """Organizations a reader gave as the people a document names go to its organizations."""
    if role != "people":
        return
    moved = [link for link in record.people if pn.is_organization(link.name)]
    if moved:
        record.people = [link for link in record.people if link not in moved]
        record.organizations += [link for link in moved if all(o.id != link.id for o in record.organizations)]
