"""People named in a document's text, linked to person authority records.

Names are found as runs of capitalised words on one line, within one sentence ("Secretary
Dulles", "John Foster Dulles", "com. Khrushchev N.S.", "N. S. Khrushchev", "тов. Малиновский").
A run names a known person when its last name word is the surname of a known authority: the
batch's own, then the archive's (every variant), then the packaged seed. Surnames are compared
folded (`fonds.search.fold`), then by a key shared by the usual romanisations of Russian
(Khrushchev, Khrushchov, Chruschtschow, Hruŝëv, see `personnames.name_key`), and Russian words
by their nominative (Хрущёва, Хрущёвым -> Хрущёв, from the pymorphy3 analyser).

Several authorities with one surname are told apart by the given names or initials written with
it, by a title their description carries ("Secretary Dulles" -> "Dulles, John Foster, Secretary of
State"), by a fuller mention in the same text, by the years the seed lists them in against the
document's date, and last by how many volumes list them (a guess, with a low confidence).

A name no authority has becomes a new authority, named as found ("Zarubin, G."), only when the
text says it is a person: a title or form of address before it ("Ambassador Zarubin", "тов.
Иванова"), a known given name ("Georgi Zarubin") or initials ("G. N. Zarubin"). Guards keep out
what is not a person: a name never spans a line break or a sentence end; a capitalised common
word, a title alone, a place, an organization word or an office code is not a surname.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from fonds.enrich import personnames as pn
from fonds.enrich.authorities import AuthorityIndex, common_surnames, fold_token, seed, seed_by_id
from fonds.enrich.findings import Context, Finding, Span, spans
from fonds.names import authority_id
from fonds.records import Authority, Link, Record
from fonds.search.fold import fold

NAME = "people"
TITLES = pn.TITLES
# Capitalised words that are far more often something else when they stand alone.
COMMON_WORDS = set("""
january february march april may june july august september october november december monday tuesday wednesday
thursday friday saturday sunday will north south east west english french german soviet american chinese british
state house senate congress united nations union new good early late more most much many any some such this that
these those there here then when what which who how after before under over through during since until while where
whether also only just still even home powers four three two five great big allied western eastern free the a an and
or but of in on at to for from by with as if it its is was are were be he she they we you his her their our your not
no yes all each both other another dear sir madam gentlemen subject reference ref text summary note notes comment
comments page annex attachment enclosure draft copy original translation telegram memorandum letter minutes report
cable despatch dispatch airgram message top secret confidential unclassified eyes only limited official use priority
niact immediate routine operational section part chapter volume item paragraph point first second third fourth fifth
last next following mission embassy consulate department ministry office agency government committee council
commission conference president secretary ambassador minister chairman premier general admiral colonel director
deputy assistant chief republic federal democratic people peoples communist party socialist national international
central foreign affairs defense defence treasury commerce justice labor interior navy army air force forces command
god christ lord church saint st mr mrs dr one none per annex appendix tab
finn finns pole poles turk turks swede swedes dane danes scot scots arab arabs jew jews serb serbs czech czechs greek
greeks russian russians german germans briton britons frank franks dutch swiss latin
""".split())
# Words after a surname that make it part of another name ("Eisenhower Library", "Dulles Papers").
NOT_A_PERSON_AFTER = {"house", "sea", "book", "paper", "russian", "russians", "library", "papers", "diaries", "diary", "files", "file", "collection", "administration",
                      "doctrine", "foundation", "institute", "airport", "center", "records", "series", "plan",
                      "government", "line", "river", "street", "avenue", "square", "university", "college", "act",
                      "amendment", "program", "report", "committee", "commission", "mission", "station", "county"}
# ... except words for what a person did or led, which name the person ("the Diem government", "the
# Acheson Plan", "the Harriman mission", as the FRUS editors tag them); these still make no new person.
THEIR_DOING = {"administration", "government", "plan", "report", "mission", "doctrine"}
# Words that make an office another one ("Vice President", "Deputy Director", "Under Secretary").
OFFICE_MODIFIERS = {"vice", "deputy", "under", "assistant"}
# Titles that tell namesakes apart: "Senator Humphrey" is not "Humphrey, George M., Secretary of the Treasury".
SEPARATING_TITLES = {"senator", "representative", "king", "queen", "shah", "prince"}
# Titles that say the next name is a person, when no authority has it ("Ambassador Zarubin").
ADDRESSING = {title for title in TITLES if title not in {"state", "foreign", "defense", "first", "under", "vice",
                                                          "prime", "deputy", "assistant", "chief", "director"}}
# Titles that make the next capitalised word a new person's surname with no given name or initials.
ADDRESS_ALONE = {fold(word) for word in ("mr", "mrs", "ms", "miss", "dr", "messrs", "herr", "monsieur", "mme",
                                         "ambassador", "senator", "congressman", "secretary", "minister", "premier",
                                         "chancellor", "marshal", "admiral", "comrade", "com", "tov", "товарищ", "г-н",
                                         "господин", "посол", "маршал", "mister", "t")}
# Titles that are abbreviations: a dot after them does not end a sentence.
ABBREVIATED_TITLES = {"mr", "mrs", "ms", "dr", "messrs", "mme", "sen", "gen", "adm", "col", "capt", "lt", "sgt", "rev",
                      "prof", "com", "tov", "t", "st", "maj", "cdr", "gov", "amb", "m-r", "g-n", "g-zha", "gn", "sec",
                      "asst"}
# Military ranks: like a form of address, they say the next name is a person's ("General Grivas").
RANKS = {"general", "gen", "admiral", "adm", "colonel", "col", "major", "captain", "capt", "commander", "lieutenant",
         "lt", "marshal", "brigadier", "sergeant", "sgt"}
# A description that says the person served in the armed forces (the Lists of Persons write "USA", "USAF",
# "USN" after military names): a rank before the surname fits them.
_MILITARY = re.compile(r"\b(?:USA|USAF|USN|USMC|Army|Navy|Air Force|Marine Corps|Joint Chiefs|General|Admiral|"
                       r"Colonel|Commander|military|armed forces|Gen\.|Adm\.)\b")
_RANK_TITLES = {TITLES.get(rank) or rank for rank in RANKS}
LOOKUPS_KEPT = 400_000  # surname lookups a `People` remembers (an OCR'd release asks about 500,000)
KEY_MIN = 5  # letters a word needs before it is looked up by romanisation key, not only as written
YEARS_MARGIN = 2  # years around the span the seed lists a person in that still count as theirs
OUT_OF_TIME = 15  # years before or after the volumes that list a person when a bare surname is not theirs
DOMINANT = 5  # times more volumes than any namesake before a bare surname is taken as the prominent one's
PROMINENT = 10  # volumes listing a person before a bare surname that is also a place is taken as theirs
TOKEN = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*\.?")
_INITIAL = re.compile(r"^(?:[A-ZА-ЯЁ]|Ya|Yu|Ye|Yo|Zh|Kh|Ts|Ch|Sh|Shch)\.$")
_INITIALS_RUN = re.compile(r"^(?:[A-ZА-ЯЁ]\.){2,3}$")  # "N.S." written as one token
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
_POSSESSIVE = re.compile(r"['’]s$")


@dataclass
class Person:
    """A person authority as the matcher sees it: given names (folded), title words, and how
    prominent and when (from the seed)."""

    authority: Authority
    given: tuple[str, ...] = ()
    words: set[str] = field(default_factory=set)
    forms: list[tuple[str, ...]] = field(default_factory=list)  # the given names of each of its names
    first_year: int | None = None
    last_year: int | None = None
    volumes: int = 0
    born: int | None = None
    cyrillic: bool = False  # one of its names is written in Cyrillic ("Маркс, Карл")
    key: str = ""  # the romanisation key of the surname of its own name (not of a variant)


def _person_of(authority: Authority) -> tuple[Person, list[pn.PersonName]]:
    names = [pn.parse(name) for name in [authority.name, *authority.variants] if not pn.is_organization(name)]
    names = [name for name in names if name.surname]
    given = max((name.given for name in names), key=len, default=())
    seeded = seed_by_id().get(authority.id)
    words = set(fold(f"{authority.name} {_role(authority.description)}").split())
    words.update(TITLES[t] or t for name in names for t in name.titles)  # "Wheeler, General Earle G." (a variant)
    if _MILITARY.search(authority.description or ""):
        words.update(TITLES[rank] or rank for rank in RANKS)  # "USA, Chairman, Joint Chiefs of Staff"
    person = Person(authority, given, words, list(dict.fromkeys(name.given for name in names if name.given)))
    person.cyrillic = any(_CYRILLIC.search(name) for name in [authority.name, *authority.variants])
    person.key = pn.surname_key(" ".join(names[0].surname)) if names else ""
    if seeded:
        person.first_year, person.last_year = seeded.first_year, seeded.last_year
        # The hand-checked people (Marx, Churchill) count as prominent as the most listed ones.
        person.volumes = max(seeded.volumes, PROMINENT * 2) if seeded.curated else seeded.volumes
    born = re.match(r"(\d{4})", authority.dates or "")
    person.born = int(born.group(1)) if born else None
    return person, names


def _role(description: str | None) -> str:
    """The office a description starts with ("President of the United States..." -> "President"),
    which is what a title before the name refers to; the rest names whom they serve."""
    return re.split(r",|;|\.| of | to | for | in | on ", description or "", maxsplit=1)[0]


class PersonIndex:
    """Person authorities by folded surname and by romanisation key (one layer of a layered index)."""

    def __init__(self, authorities: list[Authority]):
        self.by_surname: dict[str, list[Person]] = {}
        self.by_key: dict[str, list[Person]] = {}
        self.multiword: dict[str, list[list[str]]] = {}  # last word -> surnames of several words
        self.added: list[tuple[str, str]] = []  # (surname, key) of each person indexed, for `People`'s caches
        self.extend(authorities)

    def extend(self, authorities: list[Authority]) -> None:
        """Index more authorities (those added to the authority index since the last call)."""
        for authority in authorities:
            if not pn.is_organization(authority.name):
                self._add(*_person_of(authority))

    def _add(self, person: Person, names: list[pn.PersonName]) -> None:
        surnames = {" ".join(name.surname) for name in names}
        first = pn.parse(person.authority.name)
        if "," not in person.authority.name and len(first.surname) == 1 and len(first.given) == 1 \
                and first.given[0] not in pn.PARTICLES:
            surnames.add(first.given[0])  # "Zhou Enlai": the family name may come first
        for surname in list(surnames):
            words = surname.split()
            surnames.add(" ".join(map(pn.without_article, words)))  # "Said" for al-Said, Nuri
            if len(words) >= 3 and words[1] in pn.PARTICLES and words[0] not in pn.PARTICLES:
                surnames.add(words[0])  # "Couve" for Couve de Murville (but no "De" for De la Grandville)
            if len(words) >= 2 and words[0] in pn.PARTICLES:
                surnames.add(" ".join(words[1:]))  # "Gaulle" when "de" stands before the run: "by de Gaulle"
        for surname in surnames:
            key = pn.surname_key(surname)
            self.added.append((surname, key))
            for table, entry in ((self.by_surname, surname), (self.by_key, key)):
                bucket = table.setdefault(entry, [])
                if not any(p.authority.id == person.authority.id for p in bucket):
                    bucket.append(person)
            words = surname.split()
            if len(words) > 1 and words not in self.multiword.get(words[-1], []):
                self.multiword.setdefault(words[-1], []).append(words)
                self.multiword[words[-1]].sort(key=len, reverse=True)


@dataclass
class Candidates:
    """The people a surname can be: `surname` as found, every candidate of every layer, and
    `earliest`, those of the earliest layer that knows the surname (the batch's own list, else the
    archive's)."""

    surname: str
    people: list[Person]
    earliest: list[Person]


Found = tuple[list[Person], list[Person]]  # (candidates of every layer, those of the earliest layer having any)


class People:
    """The person indexes of a layered authority index, the batch's first; candidates found in a
    later layer that repeat a person of an earlier one (same id, or one name) are left out.

    One is kept per authority index (`People.of`), standing on the one of its base, and each
    remembers its lookups: the capitalised words of a corpus repeat (an OCR'd release has half a
    million distinct ones), and the base (the archive's and the packaged authorities) outlives the
    batches. A person added to any layer forgets only the lookups of its own surname and key."""

    def __init__(self, known: AuthorityIndex):
        self.index = known
        self.rest = People.of(known.base) if known.base is not None else None
        self.chain: list[AuthorityIndex] = []  # this index and those below it
        index: AuthorityIndex | None = known
        while index is not None:
            self.chain.append(index)
            index = index.base
        self.seen = [len(self._layer(index).added) for index in self.chain]  # `added` entries the caches reflect
        self.by_surname: dict[str, Found | None] = {}  # by folded surname; None: no one
        self.by_key: dict[str, Found | None] = {}  # by romanisation key
        self.multiwords: dict[str, list[list[str]]] = {}

    @classmethod
    def of(cls, known: AuthorityIndex) -> People:
        """The people of `known`, current with the authorities added to it since last asked."""
        people = known.views.get("people")
        if people is None:
            people = known.views["people"] = cls(known)
        else:
            people.refresh()
        return people

    @staticmethod
    def _layer(index: AuthorityIndex) -> PersonIndex:
        return index.derived("people", PersonIndex, PersonIndex.extend, "person")

    @property
    def layer(self) -> PersonIndex:
        return self._layer(self.index)

    def refresh(self) -> None:
        """Index the authorities added since, and forget the lookups they change."""
        if self.rest is not None:
            self.rest.refresh()
        for position, index in enumerate(self.chain):
            added = self._layer(index).added[self.seen[position]:]
            for surname, key in added:
                self.by_surname.pop(surname, None)
                self.by_key.pop(key, None)
            if any(" " in surname for surname, _ in added):
                self.multiwords.clear()
            self.seen[position] += len(added)

    def candidates(self, forms: tuple[str, ...] | list[str]) -> Candidates | None:
        """The candidates of the first form any layer knows, folded, else by romanisation key."""
        for form in forms:
            found = self._found("by_surname", form)
            if found:
                return Candidates(form, *found)
        for form in forms:
            if len(form) < KEY_MIN:
                continue  # "Red" (China) is no Reed: short words are compared as written
            found = self._found("by_key", pn.surname_key(form))
            if found and not _common_english(form):  # "Korea" is no romanisation of Correa
                return Candidates(form, *found)
        return None

    def _found(self, table: str, key: str) -> Found | None:
        cache = getattr(self, table)
        if key not in cache:
            if len(cache) >= LOOKUPS_KEPT:
                cache.clear()  # a worker's process lives for many batches: its memory stays bounded
            cache[key] = self._merged(table, key)
        return cache[key]

    def _merged(self, table: str, key: str) -> Found | None:
        """This layer's people under `key`, then those below that are not one of them."""
        below = self.rest._found(table, key) if self.rest is not None else None
        own = getattr(self.layer, table).get(key, [])
        if not own:
            return below
        found: list[Person] = []
        _add_distinct(found, own)
        earliest = list(found)
        _add_distinct(found, below[0] if below else [])
        return found, earliest

    def multiword(self, last: str) -> list[list[str]]:
        """The surnames of several words ending in `last`, this layer's first."""
        if last not in self.multiwords:
            below = self.rest.multiword(last) if self.rest is not None else []
            self.multiwords[last] = self.layer.multiword.get(last, []) + below
        return self.multiwords[last]


def _add_distinct(found: list[Person], people: list[Person]) -> None:
    """Append to `found` each of `people` that is not one of them already (same id, or `_same`)."""
    for person in people:
        same = next((p for p in found if p.authority.id == person.authority.id or _same(p, person)), None)
        if same is None:
            found.append(person)
        else:
            # the archive's copy of a seed person: its list may give an earlier office ("Senator"
            # for Lyndon B. Johnson), the seed's the later ones that titles in the text name
            same.words |= person.words
            if not same.volumes and person.volumes:
                same.volumes, same.first_year, same.last_year = person.volumes, person.first_year, person.last_year


def _same(known: Person, other: Person) -> bool:
    """Two authorities of one surname whose first given names agree (a packaged copy of a listed person)."""
    if not known.given or not other.given:
        return False
    return pn.given_compatible(known.given[:1], other.given[:1]) and not pn.is_initial(known.given[0]) \
        and not pn.is_initial(other.given[0])


@dataclass
class Mention:
    """A name found in a text and the authority it names (None while ambiguous)."""

    start: int
    end: int
    surname: str
    candidates: list[Person]
    given: list[str]
    titles: list[str]
    earliest: list[Person] = field(default_factory=list)  # the candidates of the batch's list, else the archive's
    cyrillic: bool = False  # the surname is written in Cyrillic
    person: Person | None = None
    confidence: float = 0.0

    @property
    def bare(self) -> bool:
        return not self.given and not self.titles


@lru_cache(maxsize=100_000)
def _surname_forms(token: str) -> tuple[str, ...]:
    """Folded forms a surname token may stand for: itself without a possessive, and for Russian
    the nominatives the analyser gives."""
    word = _POSSESSIVE.sub("", token.rstrip("."))
    forms = [fold_token(word)]  # "El-Said" reaches al-Said by its romanisation key, which drops the article
    for nominative in pn.nominatives(word):
        folded = fold_token(nominative)
        if folded not in forms:
            forms.append(folded)
    if not word.isascii() and word not in forms:
        forms.append(word)  # as written, for the romanisation key: "Hruŝëv" keeps its ŝ (щ)
    return tuple(forms)


# A stretch of capitalised words (with the particles of names and a leading form of address),
# found by the regex engine so that Python only looks at the few stretches a text has. Only
# spaces and tabs join words: a name never spans a line break.
_RUN = re.compile(r"(?:(?<![\w.])(?:com|comrade|comrades|tov|t|тов|товарищ|товарищи|г-н|г-жа|господин|госпожа)\.?[ \t]{1,2})?"
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


def _ends_title(match: re.Match) -> bool:
    """A token ending in a dot that does not end a sentence: an abbreviated title ('Mr.', 'Gen.',
    'com.') or an initial ('N.'). A title written out ends its sentence when a dot follows it:
    "approved by the Secretary. Distribution: ..." is no Mr. Distribution."""
    word = match.group(0).rstrip(".").lower()
    return fold_token(word) in ABBREVIATED_TITLES or word in pn.LOWER_ADDRESS or len(word) == 1 \
        or bool(_INITIALS_RUN.match(match.group(0)))


# The helpers below are asked about every capitalised word of a text, and the words repeat.
@lru_cache(maxsize=100_000)
def _initials(token: str) -> tuple[str, ...]:
    """'N.' -> ('n.',), 'N.S.' -> ('n.', 's.') (folded letters, as `personnames` writes initials); () otherwise."""
    if _INITIAL.match(token) or _INITIALS_RUN.match(token):
        return tuple(fold_token(letter) + "." for letter in token.split(".") if letter)
    return ()


@lru_cache(maxsize=100_000)
def _title_of(token: str) -> str | None:
    """The title word a token is ('Mr.' -> 'mr', 'тов.' -> 'tov'), or None."""
    word = token.rstrip(".")
    if len(word) == 1 and (not token.endswith(".") or word.isupper()):
        return None  # "т. Сталин", "t. Malenkov"; "T." is an initial (Paul T. Carroll), a lone "t" OCR debris
    folded = fold_token(word)
    if folded in TITLES:
        return TITLES[folded] or folded
    if word.lower() in pn.LOWER_ADDRESS:
        return fold_token(word.lower())
    return None


def _mentions_in_run(run: list[re.Match], text: str, people: People) -> list[Mention]:
    """The known surnames of one run, with the given names, initials and titles around each."""
    found: list[Mention] = []
    position = len(run) - 1
    while position >= 0:
        hit = _surname_at(run, position, people)
        if hit is None:
            position -= 1
            continue
        width, named = hit
        start = position - width + 1
        given, titles, first = _before(run, start, named.people)
        if not given and not titles and first == 0 and len(run) == width:
            titles = _office_before(text, run[0].start(), run[-1].end())
            if not titles:
                given, titles = _wrapped_before(text, run[0].start(), named.people)
        after = [i for m in run[position + 1:position + 3] for i in _initials(m.group(0))]
        last = min(position + 2, len(run) - 1)
        following = _POSSESSIVE.sub("", run[position + 1].group(0)) if position + 1 < len(run) else ""
        if pn.GIVEN_AFTER.fullmatch(following):
            after, last = [fold_token(following)], position + 1  # "Chou En-lai": the family name first
        mention = Mention(run[first].start(), run[position].end(), named.surname, named.people, given + after, titles,
                          earliest=named.earliest, cyrillic=bool(_CYRILLIC.search(run[position].group(0))))
        if after:
            mention.end = run[last].end()
        if _plausible(mention, run, start, text):
            found.append(mention)
        position = first - 1
    return found[::-1]


# "From the Ambassador to the United Arab Republic (Battle) to the Assistant Secretary": the office
# before a surname in parentheses, as FRUS and many archives write a document's sender and recipient.
_OFFICE_OPENING = re.compile(r"\b(?:[Ff]rom|to|for|by)\s+(?:the\s+)?")
# Words that open an office before its title: "by the Executive Secretary (Lay)".
OFFICE_ADJECTIVES = {"executive", "special", "acting", "permanent", "personal", "principal"}


def _office_before(text: str, start: int, end: int) -> list[str]:
    """The title words an office opens with, written before a surname in parentheses: "From the
    Ambassador to the United Arab Republic (Battle)" gives ambassador ("to the United..." belongs to
    the office, since a title comes before it), "Secretary Rusk to the President's Special Assistant
    (Bundy)" nothing (a name comes before "to"); [] for a surname not in parentheses."""
    if text[start - 1:start] != "(" or text[end:end + 1] != ")":
        return []
    window = text[max(0, start - 120):start - 1]
    window = window[max((m.end() for m in re.finditer(r"[.;:()\n]", window)), default=0):]
    for opening in reversed(list(_OFFICE_OPENING.finditer(window))):
        titles = []
        words = window[opening.end():].split()
        while words and fold(words[0]) in OFFICE_ADJECTIVES:
            words.pop(0)
        for word in words:
            folded = fold(word)
            if folded not in TITLES:
                break
            titles.append(TITLES[folded] or folded)
        if titles:
            return titles
        before = window[:opening.start()].split()
        if not before or fold(before[-1]) not in TITLES:
            return []  # the office opened here, with no title: "to the President's Special Assistant"
    return []


def _wrapped_before(text: str, start: int, candidates: list[Person]) -> tuple[list[str], list[str]]:
    """The given names, initials and titles that end the line before a surname opening a line of
    the same paragraph ("Colonel Paul T.\nCarroll, Acting White House Staff Secretary"): evidence
    of who is named, though the mention itself stays on its line (a name never spans a line break)."""
    newline = text.rfind("\n", 0, start)
    if newline <= 0 or text[newline + 1:start].strip() or text[newline - 1] == "\n":
        return [], []
    tokens = list(TOKEN.finditer(text, text.rfind("\n", 0, newline) + 1, newline))
    if not tokens or text[tokens[-1].end():newline].strip():
        return [], []  # "Moscow, Kennedy": the line ended in a comma, not in a name's first part
    given, titles, _ = _before(tokens, len(tokens), candidates)
    return given, titles


def _surname_at(run: list[re.Match], position: int, people: People) -> tuple[int, Candidates] | None:
    """(number of words, the candidates) when the run's token at `position` ends a known surname."""
    token = run[position].group(0)
    if _initials(token) or len(token.rstrip(".")) < 2 or _title_of(token):
        return None
    forms = _surname_forms(token)
    for form in forms:
        for words in people.multiword(form):  # "Couve de Murville", read back from its last word
            first = position - len(words) + 1
            if first >= 0 and [fold_token(m.group(0).rstrip(".")) for m in run[first:position]] == words[:-1]:
                found = people.candidates([" ".join(words)])
                if found:
                    return len(words), found
    found = people.candidates(forms)
    return (1, found) if found else None


def _before(run: list[re.Match], start: int, candidates: list[Person]) -> tuple[list[str], list[str], int]:
    """Given names, initials and titles written before a surname, and where the name begins."""
    given: list[str] = []
    titles: list[str] = []
    first = start
    known_given = {g for person in candidates for form in person.forms for g in form if not pn.is_initial(g)}
    for position in range(start - 1, -1, -1):
        token = run[position].group(0)
        word = fold_token(token.rstrip("."))
        title = _title_of(token)
        if _initials(token):
            given = [*_initials(token), *given]
        elif title:
            titles.insert(0, title)
        elif not titles and (word in known_given or word in given_names()):
            given.insert(0, word)
        else:
            break
        first = position
    return given, titles, first


_NEXT_WORD = re.compile(r"[ \t]*([^\W\d_]+)")
_LOCATIVE = re.compile(r"\b(?:in|at|to|from|near|into|via|of)\s+(?:the\s+)?$", re.IGNORECASE)


def _plausible(mention: Mention, run: list[re.Match], start: int, text: str) -> bool:
    """False for a bare common word ("May", "Young"), a sentence-opening capitalised word, an
    ALL-CAPS heading word, a surname naming something else ("Eisenhower Library"), a place written
    as one ("in Berlin") or a Russian word the dictionary knows only as something else."""
    token = _POSSESSIVE.sub("", run[start].group(0).rstrip("."))
    following = _NEXT_WORD.match(text, mention.end)
    owner = _POSSESSIVE.search(text[mention.start:mention.end])  # "Vice President Tho's committee": his
    if following and following.group(1).lower() in NOT_A_PERSON_AFTER - THEIR_DOING and not owner:
        return False
    if token.lower() in pn.STOPWORDS or pn.ROMAN.fullmatch(token):
        return False  # "The U.", "Paul VI": a list's slip, not a surname
    if _CYRILLIC.search(token) and not pn.is_name_word(token):
        return False  # "Вы", "Союза": a Russian word the dictionary knows only as something else
    if not mention.bare:
        return True
    lower = token.lower()
    if token.isupper() and len(token) <= 5:
        return False  # SALT, NATO, TASS: an acronym, not Barbara Salt
    # the records' conventions lift the common-word guards for people a list knows, not for a
    # word an earlier text made a person ("Information" alone on an OCR'd page's last line)
    if not (any(p.volumes for p in mention.candidates) and _signed_or_drafted(text, mention.start, mention.end)):
        # common_surnames are English words (black, marks): a Cyrillic "Маркс" is not the word "marks"
        if lower in COMMON_WORDS or (fold(lower) in common_surnames() and not _CYRILLIC.search(lower)) \
                or fold(lower) in TITLES:
            return False
        if start > 0 and run[start - 1].group(0).rstrip(".").lower() in COMMON_WORDS:
            return False
        if lower in _lower_words(text):
            return False  # "rice" elsewhere in the text
    if _in_place_name(text, mention):
        return False  # "Tel Aviv"
    prominent = max((p.volumes for p in mention.candidates), default=0) >= PROMINENT
    if fold(lower) in place_words():
        return prominent and not _LOCATIVE.search(text[max(0, mention.start - 12):mention.start])
    if fold(lower) in given_names() and " " not in mention.surname:
        return prominent  # "David said": a first name alone is rarely Vaclav David ("Ben Gurion" is no Ben)
    return True


# Where a record names a person by surname alone: who drafted, cleared or approved it ("Drafted by
# Russell; cleared by Symmes, Russell, and Davies"), whom a numbered telegram is for or from ("776.
# From Talbot."), and who signed it (the surname alone on the text's last line).
_DRAFTED_BY = re.compile(r"\b(?:[Dd]rafted|[Cc]leared|[Aa]pproved|[Ii]nitialed|[Ii]nitialled|[Ss]igned)(?: in draft)? by"
                         r"(?:[ \t]+[A-Z][\w’'-]+,?(?:[ \t]+and)?)*[ \t]+$")
_TELEGRAM_ADDRESS = re.compile(r"(?:^|\n)[ \t]*\d+\.[ \t]+(?:For|From)[ \t]+$")
_SIGNATURE = re.compile(r"\n[ \t]*\n[ \t]*$")


def _signed_or_drafted(text: str, start: int, end: int) -> bool:
    """Whether the record's own conventions make a bare surname a person's: drafter, clearer or
    approver, the address of a numbered telegram, or the signature ending the text."""
    before = text[max(0, start - 120):start]
    if _DRAFTED_BY.search(before) or _TELEGRAM_ADDRESS.search(before):
        return True
    return bool(_SIGNATURE.search(before)) and not text[end:].strip(" \t.\n")


def _in_place_name(text: str, mention: Mention) -> bool:
    """Whether the surname opens a place name of several words ("Tel Aviv", "San Salvador")."""
    from fonds.enrich.places import gazetteer_matcher

    window = text[mention.start:mention.end + 30].split("\n")[0]
    return any(hit.start == 0 and hit.end > mention.end - mention.start for hit in gazetteer_matcher().find(window))


def _resolve(mention: Mention, year: int | None) -> None:
    """Pick the authority a mention names, when its own words (or the document's year) single one
    out. The batch's own list (a volume's), else the archive's, is asked first; the others when its
    people do not fit the given names or titles written. A surname written in Cyrillic goes first
    to the authorities that write it in Cyrillic ("Маркс": Karl Marx, "Маркс, Карл"), before those
    it reaches only by romanisation (Leonard H. Marks of a FRUS list)."""
    if mention.cyrillic:
        written = [p for p in mention.candidates if p.cyrillic]
        if written and len(written) < len(mention.candidates):
            mention.candidates = written
            mention.earliest = [p for p in mention.earliest if p.cyrillic] or written
    if len(mention.earliest) < len(mention.candidates) and _fits_titles(mention.earliest, mention) \
            and _fits_year(mention.earliest, mention, year):
        first = Mention(**{**mention.__dict__, "candidates": mention.earliest})
        _choose(first, year)
        if first.person is not None or first.candidates:
            mention.person, mention.confidence, mention.candidates = first.person, first.confidence, first.candidates
            return
    _choose(mention, year)


def _fits_year(people: list[Person], mention: Mention, year: int | None) -> bool:
    """Whether `people` (the archive's own namesakes) may be meant in the document's year: unless
    all are dated, none is listed for that year and another candidate is ("Moose" in 1956 is
    James S. of a 1955-57 list, not the archive's Richard M. of the 1970s)."""
    if any(p.first_year is None for p in people) or _timely(people, year):
        return True
    return not _timely(mention.candidates, year)


def _fits_titles(people: list[Person], mention: Mention) -> bool:
    """Whether one of `people` has a military rank the mention writes, or none of the mention's
    candidates does: "General Burns" is not the archive's only Burns, a political officer, when a
    general Burns is listed beside him. Only ranks decide here: a rank is in every list's entry of a
    soldier, while a civil office is one list's sentence ("Ambassador Lodge" is the archive's Henry
    Cabot Lodge, though the list it came from calls him Permanent Representative at the UN)."""
    ranks = [title for title in mention.titles if title in _RANK_TITLES]

    def ranked(group: list[Person]) -> bool:
        return any(rank in person.words for person in group for rank in ranks)

    return not ranks or ranked(people) or not ranked(mention.candidates)


def _choose(mention: Mention, year: int | None) -> None:
    candidates = mention.candidates
    if mention.given:
        matching = [p for p in candidates if _matches_given(p, mention.given)]
        # A bare authority ("Diem", a List of Persons' cross-reference) agrees with any given names;
        # one whose given names were checked ("Ngo Dinh Diem") is the better match.
        matching = [p for p in matching if p.given] or matching
        # One whose own name has these given names beats one that has them only in a variant:
        # "Ngo Dinh Nhu" is not his wife, Tran Le Xuan, whom a list also calls "Madame Ngo Dinh Nhu".
        matching = [p for p in matching if pn.given_compatible(tuple(mention.given), p.given)] or matching
        if not matching:
            mention.candidates = []  # a namesake no authority has
            return
        if len(matching) == 1:
            mention.person, mention.confidence = matching[0], 0.95
            return
        candidates = matching
    for title in mention.titles:
        titled = [p for p in candidates if title in p.words]
        # "President Johnson" holds the office itself, not the vice presidency of Joseph E. Johnson
        titled = [p for p in titled if not (p.words & OFFICE_MODIFIERS) - set(mention.titles)] or titled
        if not titled and title in SEPARATING_TITLES:
            mention.candidates = []
            return
        if len(titled) == 1:
            mention.person, mention.confidence = titled[0], 0.9
            return
        if titled:
            candidates = titled
    if len(candidates) > 1:
        # One called so by its own name beats one called so only by a variant: a bare "Nhu" is
        # Ngo Dinh Nhu, not his wife Tran Le Xuan, whom a list also calls "Madame Nhu".
        key = pn.surname_key(mention.surname)
        candidates = [p for p in candidates if p.key == key] or candidates
    if len(candidates) == 1 and mention.bare and _out_of_time(candidates[0], year):
        mention.candidates = []  # "Маркс" in 1913 is not Leonard H. Marks of the 1960s
        return
    if len(candidates) == 1:
        mention.person, mention.confidence = candidates[0], 0.8 if not mention.titles else 0.9
    mention.candidates = _of_the_time(candidates, year) if len(candidates) > 1 else candidates
    if len(candidates) > 1 and len(mention.candidates) == 1:
        # the namesakes were listed only years away from the document: "Diem" in 1960 is not Bui
        # Diem, ambassador from 1964 (a decision by dates, a little less sure than a title)
        mention.person, mention.confidence = mention.candidates[0], 0.75


def _of_the_time(candidates: list[Person], year: int | None) -> list[Person]:
    """The candidates the seed lists in volumes that cover the document's year, else within two
    years of it, when that narrows them: in 1956, "Burns" of a 1955-57 volume before the one a
    1958-60 volume lists."""
    for margin in (0, YEARS_MARGIN):
        timely = _timely(candidates, year, margin)
        if timely:
            return timely
    return candidates


def _timely(people: list[Person], year: int | None, margin: int = YEARS_MARGIN) -> list[Person]:
    if year is None:
        return []
    return [p for p in people if p.first_year is not None
            and p.first_year - margin <= year <= (p.last_year or p.first_year) + margin]


def _out_of_time(person: Person, year: int | None) -> bool:
    """Whether the document is dated before the person could have been named in it (fifteen years
    after their birth, when known) or decades away from every volume that lists them."""
    if year is None:
        return False
    if person.born is not None:
        return year < person.born + OUT_OF_TIME
    if person.first_year is None:
        return False
    return year < person.first_year - OUT_OF_TIME or year > (person.last_year or person.first_year) + OUT_OF_TIME


def _matches_given(person: Person, given: list[str]) -> bool:
    """The given names or initials written agree with those of one of the person's names, in order
    or (for initials of an inverted name, "Khrushchev N.S.") by letter."""
    if any(pn.given_compatible(tuple(given), form) for form in person.forms or [person.given]):
        return True
    letters = {g.rstrip(".")[:1] for g in person.given}
    return all(g.endswith(".") and g[0] in letters for g in given)


def find(text: str, known: AuthorityIndex, year: int | None = None) -> list[Mention]:
    """Every person mention of `text` whose surname a known authority has, resolved where possible.

    Ambiguous bare surnames take the authority a fuller mention in the same text resolved to, else
    the one of the document's time, else the one most volumes list (with a low confidence).
    """
    return scan(text, known, year)[0]


def scan(text: str, known: AuthorityIndex, year: int | None = None) -> tuple[list[Mention], list[list[re.Match]], str]:
    """(the mentions of `find`, the runs of capitalised words that name no known person, the text
    as scanned, editors' brackets blanked)."""
    people = People.of(known)
    text = text.replace("[", " ").replace("]", " ")  # editors' insertions: "com. [Rodion] Malinovsky"
    per_run = [(run, _mentions_in_run(run, text, people)) for run in _runs(text)]
    mentions = [m for _, found in per_run for m in found]
    full = [m for m in mentions if not m.bare]
    named = _settle(full, year, {})
    # A bare surname is the person the same text named with given names or a title, if one ("General
    # Burns ... Burns"), before the archive's own namesake is considered: one person per surname and text
    rest = []
    for mention in mentions:
        if mention.bare:
            same = [p for p in mention.candidates if p.authority.id in named]
            if len(same) == 1:
                mention.person, mention.confidence = same[0], min(0.85, named[same[0].authority.id])
            else:
                rest.append(mention)
    _settle(rest, year, named)
    free = [run for run, found in per_run if not any(m.candidates for m in found)]
    return mentions, free, text


def _settle(mentions: list[Mention], year: int | None, named: dict[str, float]) -> dict[str, float]:
    """Resolve `mentions` by their own words; an ambiguous one then takes the candidate the text
    names elsewhere (among them or in `named`), else the most listed. Returns `named` with the
    people found here, each with the confidence of its surest mention."""
    for mention in mentions:
        _resolve(mention, year)
    resolved = {m.person.authority.id for m in mentions if m.person} | set(named)
    for mention in mentions:
        if mention.person is None and mention.candidates:
            seen = [p for p in mention.candidates if p.authority.id in resolved]
            if len(seen) == 1:
                mention.person, mention.confidence = seen[0], 0.85
            else:
                mention.person, mention.confidence = _most_listed(mention.candidates)
    found = dict(named)
    for mention in mentions:
        if mention.person is not None:
            found[mention.person.authority.id] = max(mention.confidence, found.get(mention.person.authority.id, 0))
    return found


def _most_listed(candidates: list[Person]) -> tuple[Person | None, float]:
    """The candidate listed in clearly more volumes than any other (a guess: confidence 0.5), or
    in more than any other (confidence 0.4). A prominent person whom the volumes list many times
    more often than every namesake ("Rusk": Dean Rusk in 33 volumes, Howard Rusk in 2) is taken
    with the confidence of a single candidate's title (0.75): the namesake is the rare reading."""
    ranked = sorted(candidates, key=lambda p: -p.volumes)
    if len(ranked) > 1 and ranked[0].volumes >= PROMINENT and ranked[0].volumes >= DOMINANT * max(1, ranked[1].volumes):
        return ranked[0], 0.75
    if len(ranked) == 1 or ranked[0].volumes >= 2 * max(1, ranked[1].volumes):
        return ranked[0], 0.5
    if ranked[0].volumes > ranked[1].volumes:
        return ranked[0], 0.4
    return None, 0.0


# ---- names no authority has -----------------------------------------------------------------


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    """Folded first names of the seed's people (Nikita, Dean, Foy...), common words left out."""
    names = set()
    for person in seed():
        parsed = pn.parse(person.authority.name)
        if parsed.given and not pn.is_initial(parsed.given[0]) and len(parsed.given[0]) > 2:
            names.add(parsed.given[0])
    return frozenset(names - COMMON_WORDS - set(TITLES) - common_surnames())


@lru_cache(maxsize=1)
def place_words() -> frozenset[str]:
    """Folded one-word names of the packaged gazetteer's places (Berlin, Moscow, China)."""
    from fonds.enrich.places import gazetteer  # the place enricher's list, loaded once per process

    return frozenset(fold(name) for place in gazetteer() for name in [place.name, *place.variants]
                     if len(fold(name).split()) == 1)


# How sure a new person is, by what the text shows of them: (a form of address or title, a written
# given name). A form of address is good evidence ("General Grivas"), with a given name better
# ("Foreign Minister Stavros Costopoulos"). The junk of the held-out reviews came from the others:
# a given name alone ("Benjamin Franklin Auditorium", "Christian Democrats", "Roger Channel"),
# initials alone ("B. Problems", "S. S. Sequoia") or a Russian word the dictionary allows as a
# surname; those stay under the link_threshold default (0.7) and wait for a curator.
NEW_PERSON_CONFIDENCE = {(True, True): 0.8, (True, False): 0.75, (False, True): 0.65, (False, False): 0.6}
# A given name, a middle initial and a surname ("Omar N. Bradley", "John C. Campbell") is how a
# person's name is written whole; the junk a given name alone let through had no such initial.
WHOLE_NAME_CONFIDENCE = 0.75
DOUBTFUL = NEW_PERSON_CONFIDENCE[False, False]  # a link that waits for a curator


def new_people(text: str, runs: list[list[re.Match]]) -> list[tuple[int, int, Authority, float]]:
    """Names no known authority has (in `runs` of `text` that `scan` left free) that the text shows
    to be people (a title or form of address, a known given name or initials before the surname,
    or for Russian a word the dictionary takes for a surname): new authorities named as found,
    each with the confidence its evidence gives (`NEW_PERSON_CONFIDENCE`)."""
    return [person for run in runs if (person := _new_person(run, text))]


def _new_person(run: list[re.Match], text: str) -> tuple[int, int, Authority, float] | None:
    """A new person from a run: [title] [given names or initials] Surname [initials]."""
    tokens = [m.group(0) for m in run]
    end = len(tokens)
    while end > 1 and _initials(tokens[end - 1]):  # "Ivanov I.I."
        end -= 1
    trailing = tokens[end:]
    surname_at = end - 1
    surname = _POSSESSIVE.sub("", tokens[surname_at].rstrip("."))
    particles = []
    while surname_at - len(particles) > 0 and tokens[surname_at - len(particles) - 1] in pn.PARTICLES:
        particles.insert(0, tokens[surname_at - len(particles) - 1])  # "State Secretary von Hase"
    before = tokens[:surname_at - len(particles)]
    titles = [t for t in before if _title_of(t)]
    given = [t for t in before if not _title_of(t)]
    if not titles and not given and not trailing:
        return _russian_surname(run, text)
    initials = [i for t in given + trailing for i in _initials(t)]
    if not titles and not [g for g in given if not _initials(g)] and len(initials) < 2:
        return None  # one initial is an outline letter as often as a name: "D. Solution"
    if initials[:2] == ["u.", "s."] or initials[:2] == ["u.", "k."]:
        return None  # "U. S. Policy"
    if given and not all(_initials(g) or (fold_token(g.rstrip(".")) in given_names() and g.lower() not in _lower_words(text))
                         or _russian_given(g) for g in given):
        return None  # "Assembly Resolution" is no name; nor "Said Mediator" where "said" is a verb
    if titles and not any(fold_token(t.rstrip(".")) in ADDRESSING or t.rstrip(".").lower() in pn.LOWER_ADDRESS
                          for t in titles):
        return None
    if not pn.plausible_surname(surname, COMMON_WORDS) or fold(surname) in common_surnames() \
            or surname.lower() in NOT_A_PERSON_AFTER or surname.lower() in _lower_words(text):
        return None
    # a given name and a middle initial before it: the name written whole ("Colonel Paul T. Carroll")
    whole = bool(given) and bool(_initials(given[-1])) and not particles and any(not _initials(g) for g in given)
    if fold_token(surname) in given_names() and not _CYRILLIC.search(surname) and not whole:
        return None  # "Anatoliy F." and "Karl Heinrich" are given names, a line break took the surname
    if titles and not given and not trailing and not any(fold_token(t.rstrip(".")) in ADDRESS_ALONE for t in titles):
        if not _ranked_name(run, tokens, surname, text):
            return None  # "General Considerations", "Chief Manager": a title that is also an adjective
    if nationality(surname):
        return None  # "Ambassador Yugoslav", "Minister Cypriot": an adjective after a title, not a surname
    if surname.isupper() and not [g for g in given if not _initials(g)] and len(initials) < 2:
        return None  # ALL-CAPS lines (headings, form labels of NARA scans) say little by their capitals
    if len(surname) < 3 and not _CYRILLIC.search(surname):
        return None  # "James F. Mi": OCR debris
    following = _NEXT_WORD.match(text, run[-1].end())
    if following and following.group(1).lower() in NOT_A_PERSON_AFTER:
        return None
    first = next(i for i, t in enumerate(tokens) if not _title_of(t))
    rest = " ".join([_nominative(g) if not _initials(g) else g for g in given] + trailing)
    full = " ".join([*particles, _nominative(surname)])
    name = f"{full}, {rest}" if rest else full
    named = any(not _initials(g) for g in given)
    confidence = NEW_PERSON_CONFIDENCE[bool(titles), named]
    if whole:
        confidence = max(confidence, WHOLE_NAME_CONFIDENCE)
    if not named and not _CYRILLIC.search(surname) and _common_english(surname.lower()):
        confidence = min(confidence, DOUBTFUL)  # "Mr. Accordingly" (NARA's OCR): waits for a curator
    return run[first].start(), run[-1].end(), Authority(id=authority_id(name), kind="person", name=name), confidence


def _russian_surname(run: list[re.Match], text: str) -> tuple[int, int, Authority, float] | None:
    """A lone Russian word capitalised inside a sentence that the dictionary allows as a surname
    ("против Деникина", "с Мартовым"), or a capitalised -ский/-цкий adjective that qualifies no
    noun after it ("Томского"): a new person in the nominative."""
    if len(run) != 1:
        return None
    token = _POSSESSIVE.sub("", run[0].group(0).rstrip("."))
    if not _CYRILLIC.search(token):
        return None
    before = text[max(0, run[0].start() - 3):run[0].start()]
    if not before.strip() or before.rstrip()[-1:] in ".!?\n\"«:—-":
        return None  # a sentence's first word: capitalised for that reason alone
    if token.lower() in _lower_words(text):
        return None
    listed = _listed_with_a_surname(text, run[0].start(), run[0].end())
    surname = next((p for p in pn.morphology().parse(token) if "Surn" in p.tag.grammemes), None)
    if surname is None and _SKY.search(token.lower()) and not _qualifies_next(text, run[0].end()):
        surname = next((p for p in pn.morphology().parse(token) if "ADJF" in p.tag.grammemes), None)
    if surname is not None:
        inflected = surname.inflect({"nomn", "sing", "masc"} if "ADJF" in surname.tag.grammemes else {"nomn", "sing"})
        name, normal = (inflected.word if inflected else surname.normal_form).capitalize(), surname.normal_form
    elif listed and _SURNAME_NOMINATIVE.search(token):
        name, normal = token, token.lower()  # "Плеханов, Аксельрод, Засулич, Мартов": not the months (март)
    else:
        return None
    confidence = _russian_confidence(token, normal, text)
    if listed and fold(name) not in place_words():  # "в Кирове и Горьком": towns named after people
        confidence = max(confidence, RUSSIAN_LISTED_CONFIDENCE)
    return run[0].start(), run[0].end(), Authority(id=authority_id(name), kind="person", name=name), confidence


# Words joined in an enumeration: "Бухарина, Томского, Рыкова", "Бухарин, Рыков и Томский".
_LIST_BEFORE = re.compile(r"([А-ЯЁ][а-яё]+)(?:,[ \t]+(?:и[ \t]+)?|[ \t]+(?:и|или)[ \t]+)$")
_LIST_AFTER = re.compile(r"(?:,[ \t]+(?:и[ \t]+)?|[ \t]+(?:и|или)[ \t]+)([А-ЯЁ][а-яё]+)")
_SURNAME_NOMINATIVE = re.compile(r"[а-яё]{2}(?:ов|ев|ёв|ин|ын)$")


def _listed_with_a_surname(text: str, start: int, end: int) -> bool:
    """Whether a word is one of an enumeration beside a word the dictionary takes for a surname and
    no town is named after ("Бухарина, Томского, Рыкова"; "Засулич, Мартов, Старовер"): a list
    of people names people, so the word's own reading as an adjective of Tomsk or the genitive of
    March gives way."""
    before = _LIST_BEFORE.search(text, max(0, start - 40), start)
    after = _LIST_AFTER.match(text, end)
    return any(m and any("Surn" in grammemes and fold(normal) not in place_words() for normal, grammemes in
                         pn.analyses(m.group(1))) for m in (before, after))


def _russian_confidence(token: str, normal: str, text: str) -> float:
    """How sure a new Russian person from the dictionary is. A word the dictionary knows only as a
    surname ("Бухарина", "Зиновьевым": no common noun or adjective reading) is a person (0.75); so
    is one the text writes in two case forms or more ("Колчак", "Колчака": 0.7), which a heading's
    or a sentence's stray capital does not do; otherwise it waits for a curator (0.6)."""
    found = pn.analyses(token)
    if found and all(grammemes & {"Surn", "Name", "Patr"} for _, grammemes in found):
        return RUSSIAN_SURNAME_CONFIDENCE
    if len(_russian_forms(text).get(normal, ())) >= 2:
        return RUSSIAN_FORMS_CONFIDENCE
    return NEW_PERSON_CONFIDENCE[False, False]


RUSSIAN_SURNAME_CONFIDENCE = 0.75
RUSSIAN_FORMS_CONFIDENCE = 0.7
RUSSIAN_LISTED_CONFIDENCE = 0.7  # in an enumeration beside a surname (`_listed_with_a_surname`)


@lru_cache(maxsize=8)
def _russian_forms(text: str) -> dict[str, frozenset[str]]:
    """The capitalised Cyrillic words of a text that the dictionary allows as surnames, by their
    normal form: {"колчак": {"Колчак", "Колчака"}}."""
    forms: dict[str, set[str]] = {}
    for word in set(re.findall(r"(?<![\w-])[А-ЯЁ][а-яё]+", text)):
        for normal, grammemes in pn.analyses(word):
            if "Surn" in grammemes:
                forms.setdefault(normal, set()).add(word)
    return {normal: frozenset(words) for normal, words in forms.items()}


def _ranked_name(run: list[re.Match], tokens: list[str], surname: str, text: str) -> bool:
    """A military rank before one capitalised word names a person ("General Grivas", "Colonel
    Kotsiuba") unless the pair is a heading on a line of its own ("General Considerations"), a
    series' title ("General Memoranda of Conversation"), or the word is a plural, an abstract noun,
    a word the text writes in lower case elsewhere or a common English word ("General Motors")."""
    if fold_token(tokens[0].rstrip(".")) not in RANKS or len(tokens) != 2:
        return False
    line_start = text.rfind("\n", 0, run[0].start()) + 1
    line_end = text.find("\n", run[-1].end())
    line = text[line_start:line_end if line_end >= 0 else len(text)].strip(" \t.:")
    if line == text[run[0].start():run[-1].end()].strip(" \t.:"):
        return False
    following = _NEXT_WORD.match(text, run[-1].end())
    if following and following.group(1) == "of":
        return False  # "General Memoranda of Conversation": a series, not General Memoranda
    lower = surname.lower()
    plural = lower.endswith("s") and lower[:-1] in _lower_words(text)
    return not _ABSTRACT.search(lower) and not plural and lower not in _lower_words(text) and not _common_english(lower)


COMMON_ENGLISH = 3.5  # Zipf frequency (wordfreq) above which a word is taken for a common English word


# OCR debris: a text whose lower-case words are often no English word at all (NARA's 2023 release:
# median 9% of them, a quarter of its texts 25% or more; FRUS plain text under 0.5% in 95 of 100
# texts, the delegates' 18th-century letters under 2.5%). In such a text a capitalised word that
# matches a surname is as often a misread word, a street or a stamp as a person (the review in
# docs/quality.md): a known surname written with neither given names nor a title, and a new person
# without given names, wait for a curator.
NOISY = 0.05
NOISE_SAMPLE = 300  # lower-case words read to tell
NOISE_MIN = 30  # fewer words than this tell nothing (a title, a short note)
_LOWER_WORD = re.compile(r"\b[a-z]{3,}\b")


@lru_cache(maxsize=64)
def noisy(text: str) -> bool:
    """Whether a text reads as OCR debris (see `NOISY`)."""
    words = _LOWER_WORD.findall(text, 0, 20 * NOISE_SAMPLE)[:NOISE_SAMPLE]
    if len(words) < NOISE_MIN:
        return False
    known = _english_words()
    return sum(word not in known for word in words) >= NOISY * len(words)


@lru_cache(maxsize=1)
def _english_words() -> dict[str, float]:
    from wordfreq import get_frequency_dict  # imported here: its word list loads in ~0.1 s

    return get_frequency_dict("en")


@lru_cache(maxsize=4096)
def _common_english(word: str) -> bool:
    """Whether a word is a common English word ("motors", "problems", "considerations"): after a
    rank it is a company or a heading, not a surname. Surnames that are common words too
    (Taylor, Walker) are known from the lists, not made here."""
    from wordfreq import zipf_frequency  # imported here: its word list loads in ~1 s, only for this case

    return zipf_frequency(word, "en") >= COMMON_ENGLISH


_ABSTRACT = re.compile(r"(?:tions?|ments?|ness|ities|ity|ships?|isms?|ances?|ences?|ings?|ives?)$")


@lru_cache(maxsize=1)
def _country_stems() -> frozenset[str]:
    """Folded names of the gazetteer's countries and historical states of one word, and those names
    less their last one or two letters (Yugoslavia -> yugoslav, Cyprus -> cypr), from which their
    nationality adjectives are formed."""
    from fonds.enrich.places import gazetteer

    stems = set()
    for place in gazetteer():
        if "geonames" in place.external_ids:
            continue  # cities: their adjectives (Berliner) are rarely written after a title
        for name in (place.name, *place.variants):
            folded = fold(name)
            if " " in folded or len(folded) < 4:
                continue
            stems.update(folded[:len(folded) - cut] for cut in (0, 1, 2) if len(folded) - cut >= 4)
    return frozenset(stems)


_NATIONALITY_ENDINGS = ("", "n", "an", "ian", "ese", "ish", "i", "ic", "iot", "ot", "ean", "ite", "vian", "ien", "ois")
# Nationality adjectives not formed from their country's name by the endings above.
NATIONALITIES = set("""british english french dutch spanish danish polish irish welsh swiss scottish greek thai lao laotian
filipino afghan saudi argentine portuguese norwegian icelandic finnish flemish basque arab arabian slav slavic malay
malagasy congolese ghanaian peruvian rumanian romanian soviet turkish czech slovak bavarian prussian kurdish korean
russian american canadian""".split())


@lru_cache(maxsize=4096)
def nationality(word: str) -> bool:
    """Whether a capitalised word is a nationality adjective ("Yugoslav", "Cypriot", "Lebanese",
    "Pakistani"): after a title it says whose official is meant, not who ("the Yugoslav Ambassador")."""
    folded = fold_token(_POSSESSIVE.sub("", word.rstrip(".")))
    if folded in NATIONALITIES:
        return True
    stems = _country_stems()
    return any(folded[:cut] in stems and folded[cut:] in _NATIONALITY_ENDINGS
               for cut in range(4, len(folded) + 1)) and folded not in place_words()


_SKY = re.compile(r"(?:ск|цк)(?:ий|ого|ому|им|ом)$")
_WORD_AFTER = re.compile(r"[ \t]+([А-ЯЁа-яё]+)")


def _qualifies_next(text: str, end: int) -> bool:
    """Whether a capitalised -ский word is an adjective of the word after it ("Томского
    университета", "Московский округ", "Томского военного округа"): that word is most likely a
    noun or an adjective. "Бухарин, Рыков и Томский попытались" is followed by a verb."""
    following = _WORD_AFTER.match(text, end)
    readings = pn.analyses(following.group(1)) if following else ()
    return bool(readings) and bool(readings[0][1] & {"NOUN", "ADJF"})


@lru_cache(maxsize=8)
def _lower_words(text: str) -> frozenset[str]:
    """The words a text writes in lower case: one of them capitalised is a sentence start or a
    heading ("Agreement", "However", "Principles"), not a surname no list has."""
    return frozenset(word for word in re.findall(r"[^\W\d_]+", text) if word.islower())


def _russian_given(token: str) -> bool:
    """A Cyrillic given name or patronymic ("Никита", "Сергеевич")."""
    return bool(_CYRILLIC.search(token)) and any(g & {"Name", "Patr"} for _, g in pn.analyses(token))


def _nominative(word: str) -> str:
    """A Cyrillic name word in the nominative, keeping its gender (Иванова -> Иванова, Ивановой ->
    Иванова, Хрущёва -> Хрущёв); other words as written."""
    if not _CYRILLIC.search(word):
        return word
    for parsed in pn.morphology().parse(word):
        if parsed.tag.grammemes & {"Surn", "Name", "Patr"}:
            inflected = parsed.inflect({"nomn", "sing"})
            if inflected:
                return inflected.word.capitalize() if "-" not in inflected.word else \
                    "-".join(part.capitalize() for part in inflected.word.split("-"))
    return word


# ---- the enricher -----------------------------------------------------------------------------


def enrich(record: Record, context: Context) -> list[Finding]:
    """Add the people a record's text names when the source linked none."""
    if record.people:
        return []
    year = _year(record)
    findings: list[Finding] = []
    for span in spans(record, citation=False):
        mentions, free, text = scan(span.text, context.known, year)
        debris = noisy(span.text)
        for mention in mentions:
            if mention.person is not None:
                doubtful = _unvouched(mention) or (debris and mention.bare)
                confidence = min(mention.confidence, DOUBTFUL) if doubtful else mention.confidence
                findings += _link(record, context, span, mention.start, mention.end, mention.person.authority,
                                  confidence)
        for start, end, authority, confidence in new_people(text, free):
            parsed = pn.parse(authority.name)
            if parsed.surname and context.known.lookup("organization", parsed.surname[-1]):
                continue  # "Mr. CiA": an organization's name read as a surname (here an OCR'd CIA)
            if debris and not [g for g in parsed.given if not pn.is_initial(g)]:
                confidence = min(confidence, DOUBTFUL)  # "Mr. Ceorgo", "COUNSE": OCR debris as often as a name
            existing = context.known.get("person", authority.id) or _compatible(authority, context.known, year)
            findings += _link(record, context, span, start, end, existing or authority, confidence)
    return findings


def _unvouched(mention: Mention) -> bool:
    """Whether a mention without given names names a person only an earlier text made (no list
    describes them) by a common English word or a given name: NARA's OCR made "Mr. Accordingly",
    "Mr. Star" and "LEADER, MR", and their names then came back in page after page. Such links
    wait for a curator instead of being published."""
    if mention.cyrillic or [g for g in mention.given if not pn.is_initial(g)]:
        return False
    person = mention.person
    if person.volumes or person.authority.description:
        return False
    return _common_english(mention.surname) or mention.surname in given_names()


def _compatible(authority: Authority, known: AuthorityIndex, year: int | None) -> Authority | None:
    """The one known person a new name can be ("Бухарин" after "Бухарин, Н. И." in the batch)."""
    parsed = pn.parse(authority.name)
    hit = People.of(known).candidates([" ".join(parsed.surname)])
    if hit is None:
        return None
    matching = [p for p in hit.people if _matches_given(p, list(parsed.given))]
    if len(matching) != 1 or (not parsed.given and _out_of_time(matching[0], year)):
        return None
    return matching[0].authority


def _year(record: Record) -> int | None:
    day = record.date.min if record.date else None
    return int(day[:4]) if day and day[:4].isdigit() else None


def _link(record: Record, context: Context, span: Span, start: int, end: int, authority: Authority,
          confidence: float) -> list[Finding]:
    """Link a person once per record (the first mention is the evidence) and put the authority in the batch."""
    if any(link.id == authority.id for link in record.people):
        return []
    confidence = context.surety(authority, confidence)
    authority = context.adopt(authority)
    record.people.append(Link(id=authority.id, name=authority.name))
    return [Finding(record.id, "people", {"id": authority.id, "name": authority.name}, span.source(start, end),
                    confidence, NAME, span.text[start:end])]
