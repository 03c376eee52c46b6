"""People named in a document's text, linked to person authority records.

Names are found as runs of capitalised words ("Secretary Dulles", "John Foster Dulles",
"com. Khrushchev N.S.", "N. S. Khrushchev", "тов. Малиновский") whose surname is the surname of a
known authority, compared folded (`fonds.search.fold`) so Хрущёв = Khrushchov = Khrushchev and
Russian case endings are tried off (Хрущева -> Хрущев). Several authorities with one surname are
told apart by the given names or initials written with it, by a title that their description
carries ("Secretary Dulles" -> "Dulles, John Foster, Secretary of State"), or by a fuller mention
in the same document. A titled or addressed surname that no authority has ("Ambassador Zarubin",
"com. Ivanov") becomes a new authority made from the name as found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from fonds.enrich.authorities import AuthorityIndex, fold_token, packaged
from fonds.enrich.findings import Context, Finding, Span, spans
from fonds.names import authority_id
from fonds.records import Authority, Link, Record
from fonds.search.fold import fold

NAME = "people"
PEOPLE = "people.json"

# Titles and forms of address written before a name; the value is the word an authority's name or
# description must contain for the title to single it out (None: it singles out nobody).
TITLES = {
    "mr": None, "mrs": None, "miss": None, "ms": None, "dr": None, "sir": "sir", "lord": "lord", "lady": "lady",
    "com": None, "comrade": None, "comrades": None, "tov": None, "t": None, "товарищ": None, "тов": None,
    "president": "president", "secretary": "secretary", "ambassador": "ambassador", "minister": "minister",
    "premier": "premier", "chairman": "chairman", "chancellor": "chancellor", "senator": "senator", "sen": "senator",
    "governor": "governor", "general": "general", "gen": "general", "admiral": "admiral", "adm": "admiral",
    "marshal": "marshal", "colonel": "colonel", "col": "colonel", "major": "major", "captain": "captain",
    "capt": "captain", "commander": "commander", "congressman": "representative", "representative": "representative",
    "judge": "judge", "justice": "justice", "king": "king", "queen": "queen", "shah": "shah", "prince": "prince",
    "director": "director", "deputy": None, "under": None, "assistant": None, "vice": "vice", "prime": "prime",
    "foreign": "foreign", "defense": "defense", "state": None, "first": "first", "general secretary": "general",
    "генерал": "general", "маршал": "marshal", "посол": "ambassador", "министр": "minister", "председатель": "chairman",
    "президент": "president", "секретарь": "secretary",
}
# Words that open a name run only as an address, and may be written in lower case.
_LOWER_ADDRESS = {"com", "comrade", "comrades", "tov", "t", "товарищ", "тов", "товарищи"}
_PARTICLES = {"de", "da", "di", "du", "van", "von", "der", "den", "la", "le", "bin", "ibn", "al", "el", "y", "ter"}
_SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}
# Capitalised words that are far more often something else when they stand alone.
COMMON_WORDS = set("""
january february march april may june july august september october november december monday tuesday wednesday
thursday friday saturday sunday will long young brown white black green gray grey king rich hall wood price case page
bell rice ball hunter little strong cook mills banks park lord field bishop day wise hope love bond grant marshall
north south east west english french german soviet american chinese british state house senate congress united
nations union new good early late more most much many any some such this that these those there here then when
what which who how after before under over through during since until while where whether also only just still even
home powers four three two five great big allied western eastern free
""".split())
# Words after a surname that make it part of another name ("Eisenhower Library", "Dulles Papers").
NOT_A_PERSON_AFTER = {"library", "papers", "diaries", "diary", "files", "file", "collection", "administration",
                      "doctrine", "foundation", "institute", "airport", "center", "records", "series"}
# Titles that tell namesakes apart: "Senator Humphrey" is not "Humphrey, George M., Secretary of the Treasury".
SEPARATING_TITLES = {"senator", "representative", "king", "queen", "shah", "prince"}
TOKEN = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*\.?")
_INITIAL = re.compile(r"^[A-ZА-ЯЁ]\.$")
_INITIALS_RUN = re.compile(r"^(?:[A-ZА-ЯЁ]\.){2,3}$")  # "N.S." written as one token
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
# Russian case endings of surnames, longest first, with what the nominative ends in.
_RUSSIAN_ENDINGS = [("ого", "ий"), ("ому", "ий"), ("ым", "ий"), ("им", "ий"), ("ой", "ий"), ("ом", ""), ("ым", ""),
                    ("ою", "а"), ("ой", "а"), ("ую", "ая"), ("ей", "а"), ("ы", "а"), ("а", ""), ("у", ""), ("е", ""), ("ы", "")]


@dataclass
class Person:
    """A person authority as the matcher sees it: folded surname, given names and title words."""

    authority: Authority
    surnames: set[str] = field(default_factory=set)
    given: list[str] = field(default_factory=list)
    words: str = ""


def _split_name(name: str) -> tuple[list[str], list[str]]:
    """(surname words, given words) of 'Surname, Given Middle, Jr.' or 'Given Surname' / 'Surname I.O.'."""
    name = re.sub(r"\([^)]*\)", " ", name)
    if "," in name:
        surname, _, rest = name.partition(",")
        given = [w for w in fold(rest).split() if w not in TITLES and w not in _SUFFIXES]
        return fold(surname).split(), given
    words = fold(name).split()
    if len(words) > 1 and all(len(w) == 1 for w in words[1:]):  # "Khrushchev N S"
        return words[:1], words[1:]
    return words[-1:], words[:-1]


def _same_person(known: Person, other: Person) -> bool:
    """Two authorities of one surname whose first given names agree ("Nikita S." and "Nikita Sergeyevich")."""
    if not known.given or not other.given:
        return False
    first, second = known.given[0], other.given[0]
    return first == second or (len(first) == 1 and second.startswith(first)) or (len(second) == 1 and first.startswith(second))


class PersonIndex:
    """Person authorities by folded surname, built once per authority index version."""

    def __init__(self, authorities: list[Authority]):
        self.by_surname: dict[str, list[Person]] = {}
        self.multiword: dict[str, list[list[str]]] = {}  # last word -> surnames of several words
        self.size = 0
        self.extend(authorities)

    def extend(self, authorities: list[Authority]) -> None:
        """Index more authorities (those added to the authority index since the last call)."""
        for authority in authorities:
            self._add(authority)
            self.size += 1

    def _add(self, authority: Authority) -> None:
        person = Person(authority, words=fold(f"{authority.name} {authority.description or ''}"))
        for number, name in enumerate([authority.name, *authority.variants]):
            surname, given = _split_name(name)
            if not surname:
                continue
            person.surnames.add(" ".join(surname))
            person.given += [g for g in given if g not in person.given]
            if number == 0 and "," not in name and len(surname + given) == 2:
                person.surnames.add(given[0])  # "Zhou Enlai": the family name may come first
        for surname in person.surnames:
            bucket = self.by_surname.setdefault(surname, [])
            if any(p.authority.id == authority.id or _same_person(p, person) for p in bucket):
                continue  # the list given first (a volume's) wins over a packaged copy of the same person
            bucket.append(person)
            words = surname.split()
            if len(words) > 1 and words not in self.multiword.get(words[-1], []):
                self.multiword.setdefault(words[-1], []).append(words)
                self.multiword[words[-1]].sort(key=len, reverse=True)


_INDEXES: dict[int, list] = {}


def person_index(known: AuthorityIndex) -> PersonIndex:
    """The PersonIndex of an authority index, rebuilt only when authorities were added since."""
    cached = _INDEXES.get(id(known))
    if cached is None or cached[1] is not known:
        cached = [known.version, known, PersonIndex(known.of_kind("person"))]
        _INDEXES.clear()  # one live index at a time: a batch is enriched at a time
        _INDEXES[id(known)] = cached
    elif cached[0] != known.version:  # authorities were added: index only the new ones
        cached[2].extend(known.of_kind("person", skip=cached[2].size))
        cached[0] = known.version
    return cached[2]


@dataclass
class Mention:
    """A name found in a text and the authority it names (None while ambiguous)."""

    start: int
    end: int
    surname: str
    candidates: list[Person]
    given: list[str]
    titles: list[str]
    person: Person | None = None
    confidence: float = 0.0


def _surname_forms(token: str) -> list[str]:
    """Folded forms a surname token may stand for: itself, and for Russian, without its case ending."""
    word = token.rstrip(".")
    forms = [fold_token(word)]
    if _CYRILLIC.search(word):
        lower = word.lower()
        for ending, nominative in _RUSSIAN_ENDINGS:
            if lower.endswith(ending) and len(lower) - len(ending) >= 3:
                forms.append(fold_token(lower[: -len(ending)] + nominative))
    return forms


def _is_name_word(token: str) -> bool:
    """Capitalised words, ALL-CAPS words and initials can be part of a name."""
    return token[:1].isupper()


# A stretch of capitalised words (with the particles of names and a leading form of address),
# found by the regex engine so that Python only looks at the few stretches a text has.
_RUN = re.compile(r"(?:(?<![\w.])(?:com|comrade|comrades|tov|t|тов|товарищ|товарищи)\.?[ \t]{1,2})?"
                  r"(?<![\w'’-])[^\W\d_a-zа-яё][\w'’-]*\.?"
                  r"(?:[ \t]{0,2}(?:[^\W\d_a-zа-яё][\w'’-]*\.?|(?:de|da|di|du|van|von|der|den|la|le|bin|ibn|al|el|y|ter)"
                  r"(?=[ \t]+[^\W\d_a-zа-яё])))*")


def _runs(text: str) -> list[list[re.Match]]:
    """Runs of name-like tokens separated only by spaces on one line; a dot ends a run unless it
    ends a title or an initial ("Mr.", "com.", "N.")."""
    runs: list[list[re.Match]] = []
    for stretch in _RUN.finditer(text):
        current: list[re.Match] = []
        for match in TOKEN.finditer(text, stretch.start(), stretch.end()):
            if current and current[-1].group(0).endswith(".") and not _ends_title(current[-1]):
                runs.append(current)
                current = []
            current.append(match)
        if current:
            runs.append(current)
    return runs


def _gap_is_space(text: str, start: int, end: int) -> bool:
    gap = text[start:end]
    return gap == "" or (gap.isspace() and "\n" not in gap and len(gap) <= 2)


def _ends_title(match: re.Match) -> bool:
    """A token ending in a dot that does not end a sentence: 'Mr.', 'com.', 'N.'."""
    word = match.group(0).rstrip(".").lower()
    return word in TITLES or len(word) == 1 or bool(_INITIALS_RUN.match(match.group(0)))


def _initials(token: str) -> list[str]:
    """'N.' -> ['n'], 'N.S.' -> ['n', 's']; [] for other tokens."""
    if _INITIAL.match(token) or _INITIALS_RUN.match(token):
        return [fold_token(letter) for letter in token.split(".") if letter]
    return []


def _mentions_in_run(run: list[re.Match], text: str, index: PersonIndex) -> list[Mention]:
    """The known surnames of one run, with the given names, initials and titles around each."""
    found: list[Mention] = []
    position = len(run) - 1
    while position >= 0:
        surname, width = _surname_at(run, position, index)
        if surname is None:
            position -= 1
            continue
        start = position - width + 1
        given, titles, first = _before(run, start, index.by_surname[surname])
        after = [i for m in run[position + 1:position + 3] for i in _initials(m.group(0))]
        mention = Mention(run[first].start(), run[position].end(), surname, index.by_surname[surname],
                          given + after, titles)
        if after:
            mention.end = run[min(position + 2, len(run) - 1)].end()
        if _plausible(mention, run, start, text):
            found.append(mention)
        position = first - 1
    return found[::-1]


def _surname_at(run: list[re.Match], position: int, index: PersonIndex) -> tuple[str | None, int]:
    """(surname, number of words) when the run's token at `position` ends a known surname."""
    token = run[position].group(0)
    if _initials(token) or len(token.rstrip(".")) < 2:
        return None, 0
    for form in _surname_forms(token):
        for words in index.multiword.get(form, []):  # "Couve de Murville", read back from its last word
            first = position - len(words) + 1
            if first >= 0 and [fold_token(m.group(0).rstrip(".")) for m in run[first:position + 1]] == words:
                return " ".join(words), len(words)
        if form in index.by_surname:
            return form, 1
    return None, 0


def _before(run: list[re.Match], start: int, candidates: list[Person]) -> tuple[list[str], list[str], int]:
    """Given names, initials and titles written before a surname, and where the name begins."""
    given: list[str] = []
    titles: list[str] = []
    first = start
    known_given = {g for person in candidates for g in person.given}
    for position in range(start - 1, -1, -1):
        token = run[position].group(0)
        word = fold_token(token.rstrip("."))
        if _initials(token):
            given = _initials(token) + given
        elif word in TITLES or token.rstrip(".").lower() in TITLES:
            titles.insert(0, TITLES.get(word) or TITLES.get(token.rstrip(".").lower()) or word)
        elif word in known_given and not titles:
            given.insert(0, word)
        else:
            break
        first = position
    return given, titles, first


_NEXT_WORD = re.compile(r"[ \t]*([^\W\d_]+)")


def _plausible(mention: Mention, run: list[re.Match], start: int, text: str) -> bool:
    """False for a bare common word at a sentence start ("May", "Young"), an ALL-CAPS heading word,
    a surname naming something else ("Eisenhower Library") or a group ("the Western Powers")."""
    token = run[start].group(0).rstrip(".")
    following = _NEXT_WORD.match(text, mention.end)
    if following and following.group(1).lower() in NOT_A_PERSON_AFTER:
        return False
    if mention.given or mention.titles:
        return True
    if start > 0 and run[start - 1].group(0).rstrip(".").lower() in COMMON_WORDS:
        return False
    if token.lower() in COMMON_WORDS:
        return False
    if token.isupper() and len(token) <= 3:
        return False
    return True


def _matches_given(person: Person, given: list[str]) -> bool:
    """Every given name or initial written is one of the person's (in any order, initials by letter)."""
    for word in given:
        if len(word) == 1:
            if not any(g.startswith(word) for g in person.given):
                return False
        elif word not in person.given:
            return False
    return True


def _resolve(mention: Mention) -> None:
    """Pick the authority a mention names, when its own words single one out."""
    candidates = mention.candidates
    if mention.given:
        matching = [p for p in candidates if _matches_given(p, mention.given)]
        if len(matching) == 1:
            mention.person, mention.confidence = matching[0], 0.95
            return
        candidates = matching or candidates
        if not matching:
            mention.candidates = []  # a namesake the list does not have
            return
    for title in mention.titles:
        titled = [p for p in candidates if title in p.words.split()]
        if not titled and title in SEPARATING_TITLES:
            mention.candidates = []
            return
        if len(titled) == 1:
            mention.person, mention.confidence = titled[0], 0.9
            return
        if titled:
            candidates = titled
    if len(candidates) == 1:
        mention.person, mention.confidence = candidates[0], 0.8 if not mention.titles else 0.9
    mention.candidates = candidates


def find(text: str, known: AuthorityIndex) -> list[Mention]:
    """Every person mention of `text` whose surname a known authority has, resolved where possible.

    Ambiguous bare surnames take the authority a fuller mention in the same text resolved to.
    """
    index = person_index(known)
    text = text.replace("[", " ").replace("]", " ")  # editors' insertions: "com. [Rodion] Malinovsky"
    mentions = [m for run in _runs(text) for m in _mentions_in_run(run, text, index)]
    for mention in mentions:
        _resolve(mention)
    resolved = {m.person.authority.id for m in mentions if m.person}
    for mention in mentions:
        if mention.person is None and mention.candidates:
            seen = [p for p in mention.candidates if p.authority.id in resolved]
            if len(seen) == 1:
                mention.person, mention.confidence = seen[0], 0.85
    return mentions


_ADDRESSED = re.compile(
    r"(?<![\w.])(?P<title>com\.|comrade|Comrade|tov\.|тов\.|товарищ|Ambassador|Mr\.|Mrs\.|Senator|Marshal|General|Admiral|"
    r"Minister|Premier|Chairman|President|Chancellor|Secretary|Посол|Маршал|Генерал)\s+"
    r"(?P<given>\[?[A-ZА-ЯЁ][a-zа-яё]+\]?\s+)?(?P<surname>[A-ZА-ЯЁ][a-zа-яё]+(?:-[A-ZА-ЯЁ][a-zа-яё]+)?)"
    r"(?P<initials>\s+[A-ZА-ЯЁ]\.\s?[A-ZА-ЯЁ]\.)?")
_NOT_SURNAMES = COMMON_WORDS | {"of", "the", "and", "for", "to"}


def new_people(text: str, known: AuthorityIndex, taken: list[tuple[int, int]]) -> list[tuple[int, int, Authority]]:
    """Titled or addressed surnames no known authority has: new authorities named as found."""
    index = person_index(known)
    found = []
    for match in _ADDRESSED.finditer(text):
        surname = match.group("surname")
        if any(start <= match.start("surname") < end for start, end in taken) or surname.lower() in _NOT_SURNAMES:
            continue
        if any(form in index.by_surname for form in _surname_forms(surname)) or fold(surname) in _KNOWN_PLACES_AND_TITLES:
            continue
        given = (match.group("given") or "").strip(" []")
        initials = (match.group("initials") or "").strip().replace(" ", "")
        name = f"{surname}, {given or initials}" if (given or initials) else surname
        found.append((match.start("surname"), match.end(), Authority(id=authority_id(name), kind="person", name=name)))
    return found


# Capitalised words after a title that are not names ("President Kennedy" yes, "Secretary General" no).
_KNOWN_PLACES_AND_TITLES = {fold(word) for word in TITLES} | {"general", "council", "department", "defense", "state",
                                                                "soviet", "united", "foreign"}


def enrich(record: Record, context: Context) -> list[Finding]:
    """Add the people a record's text names when the source linked none."""
    if record.people:
        return []
    findings: list[Finding] = []
    for span in spans(record, citation=False):
        mentions = find(span.text, context.known)
        for mention in mentions:
            if mention.person is not None:
                findings += _link(record, context, span, mention.start, mention.end, mention.person.authority,
                                  mention.confidence)
        taken = [(m.start, m.end) for m in mentions]
        for start, end, authority in new_people(span.text, context.known, taken):
            findings += _link(record, context, span, start, end, authority, 0.6)
    return findings


def _link(record: Record, context: Context, span: Span, start: int, end: int, authority: Authority,
          confidence: float) -> list[Finding]:
    """Link a person once per record (the first mention is the evidence) and put the authority in the batch."""
    if any(link.id == authority.id for link in record.people):
        return []
    authority = context.adopt(authority)
    record.people.append(Link(id=authority.id, name=authority.name))
    return [Finding(record.id, "people", {"id": authority.id, "name": authority.name}, span.source(start, end),
                    confidence, NAME, span.text[start:end])]


def packaged_people() -> tuple[Authority, ...]:
    """The packaged person authorities (data/people.json)."""
    return packaged(PEOPLE)
