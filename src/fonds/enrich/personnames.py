"""Personal names: their parts, their spellings across transliteration systems and Russian cases.

One person is written many ways: "Khrushchev, Nikita S." in a List of Persons, "N. S. Khrushchev",
"Premier Khrushchov", "Chruschtschow" in a German paper, "Hruŝëv" in ISO 9, "Хрущёв" and, in a
Russian sentence, "Хрущёва", "Хрущёвым". This module says what the parts of a written name are
(`parse`), when two names can be the same person (`same_person`), which keys a surname is looked up
under (`surname_keys`: the folded form, then a key shared by the common romanisations of Russian:
BGN/PCGN, Library of Congress, ISO 9, press and German spellings) and, for Cyrillic, the
nominative a declined form stands for (`nominatives`, from the pymorphy3 morphological analyser and
its OpenCorpora dictionary). It also holds the guards that keep things that are not people out
(`is_organization`, `plausible_surname`). Plain Python, no Django.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from fonds.search.fold import fold, fold_word

# Titles and forms of address written before a name; the value is the word an authority's name or
# description must contain for the title to single it out (None: it singles out nobody).
TITLES: dict[str, str | None] = {
    "mr": None, "mrs": None, "miss": None, "ms": None, "messrs": None, "dr": None, "sir": "sir", "lord": "lord",
    "lady": "lady", "herr": None, "monsieur": None, "mme": None, "madame": None,
    "com": None, "comrade": None, "comrades": None, "tov": None, "t": None, "tovarishch": None,
    "gospodin": None, "gospozha": None, "mister": None, "g-n": None, "g-zha": None, "m-r": None,
    "president": "president", "secretary": "secretary", "ambassador": "ambassador", "minister": "minister",
    "premier": "premier", "chairman": "chairman", "chancellor": "chancellor", "senator": "senator", "sen": "senator",
    "governor": "governor", "general": "general", "gen": "general", "admiral": "admiral", "adm": "admiral",
    "marshal": "marshal", "colonel": "colonel", "col": "colonel", "major": "major", "captain": "captain",
    "capt": "captain", "commander": "commander", "cdr": "commander", "lieutenant": "lieutenant", "lt": "lieutenant",
    "maj": "major", "brig": "brigadier", "sec": "secretary", "asst": None,  # "Sec. Humphrey", "Asst. Sec. Morton"
    "congressman": "representative", "representative": "representative", "judge": "judge", "justice": "justice",
    "king": "king", "queen": "queen", "shah": "shah", "prince": "prince", "emperor": "emperor", "pope": "pope",
    "director": "director", "deputy": None, "under": None, "assistant": None, "vice": "vice", "prime": "prime",
    "foreign": "foreign", "defense": "defense", "state": None, "first": "first", "chief": "chief",
    "ambassadors": None, "generals": None, "father": None, "rev": None, "reverend": None, "bishop": "bishop",
    "cardinal": "cardinal", "professor": None, "prof": None, "archbishop": "archbishop", "patriarch": "patriarch",
    "sheikh": "sheikh", "emir": "emir", "sultan": "sultan", "marquis": None, "count": None, "countess": None,
    "baron": None, "duke": "duke", "earl": "earl", "viscount": "viscount", "consul": "consul", "counselor": None,
    "counsellor": None, "attache": None, "envoy": "envoy", "delegate": None, "spokesman": None, "brigadier": "brigadier",
    "field": None, "sergeant": None, "sgt": None, "corporal": None, "private": None, "mayor": "mayor", "governor-general": None,
    "rt": None, "hon": None, "honorable": None, "honourable": None,  # "Eden, Rt. Hon. Sir Anthony"
    "thich": None, "bonze": None,  # Buddhist monks: "Thich Tri Quang", "Tri Quang, bonze" (frus1961-63v04)
}
# Russian titles, folded like every other word: генерал -> general, посол -> posol.
_RUSSIAN_TITLES = {"генерал": "general", "маршал": "marshal", "посол": "ambassador", "министр": "minister",
                   "председатель": "chairman", "президент": "president", "секретарь": "secretary", "премьер": "premier",
                   "канцлер": "chancellor", "сенатор": "senator", "адмирал": "admiral", "полковник": "colonel",
                   "товарищ": None, "товарищи": None, "тов": None, "господин": None, "госпожа": None, "мистер": None,
                   "г-н": None, "г-жа": None, "м-р": None}
TITLES.update({fold_word(word): value for word, value in _RUSSIAN_TITLES.items()})
# Forms of address that may be written in lower case before a name ("com. Khrushchev", "тов. Малиновский").
LOWER_ADDRESS = {"com", "comrade", "comrades", "tov", "t", "товарищ", "тов", "товарищи", "г-н", "г-жа", "господин",
                 "госпожа", "м-р", "мистер", "гн"}
SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}
PARTICLES = {"de", "da", "di", "du", "van", "von", "der", "den", "la", "le", "bin", "ibn", "al", "el", "y", "ter", "dos"}
# Words that make a name an organization's ("Japan. Foreign Ministry", "Office of the Secretary").
ORGANIZATION_WORDS = set("""
office ministry department agency bureau division directorate station section committee commission council embassy
consulate legation mission delegation government administration service services staff command headquarters hq
corps army navy force forces board branch desk unit group party union league association institute university
college company corporation inc ltd press newspaper radio tass agency secretariat assembly congress senate house
parliament cabinet presidium politburo court bank fund foundation center centre program programme project file files
chief chiefs joint records registry library archives division branch task team dept dep headquarters hqs hdqs
addressees
министерство управление отдел комитет совет посольство штаб партия союз редакция газета
""".split())
_CODE = re.compile(r"\d|/")  # office codes: "SR/CI", "WH 3", "DIR 27455"
# Words that are never a surname, whatever a list says: function words, and Roman numerals (Paul VI).
STOPWORDS = set("""
the a an and or of in on at to for from by with as if it its is was are were be he she they we you his her their our
your not no yes all each both other this that these those there here then when what which who whom how but also
affairs security matters questions relations
""".split())
# Vietnamese family names: a name that opens with one is called by its last word ("Tran Van Don" is
# General Don), and its "Van" is a middle name, not the Dutch particle.
VIETNAMESE_FAMILY_NAMES = set("""
nguyen tran le pham hoang huynh phan vu vo dang bui do ho ngo duong ly truong dinh ton lam trinh mai cao doan luong
""".split())
ROMAN = re.compile(r"(?=[ivx]{2,}$|[vx]$)x{0,3}(?:ix|iv|v?i{0,3})", re.IGNORECASE)  # II..XXXIX, V, X
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)


@dataclass(frozen=True)
class PersonName:
    """A personal name in parts, each word folded: surname words, given names (initials as one
    letter) and the titles written with it."""

    surname: tuple[str, ...]
    given: tuple[str, ...] = ()
    titles: tuple[str, ...] = ()

    @property
    def first_given(self) -> str | None:
        return self.given[0] if self.given else None


def _words(text: str) -> list[str]:
    """Folded words; an initial ("N.", "Я.", "N.S." as two) is its folded letter and a dot ("n.",
    "ya."), and hyphenated address words stay whole ("г-н")."""
    words = []
    for token in re.findall(r"[^\W\d_]+(?:['’ʹ-][^\W\d_]+)*\.?", text):
        letters = token.rstrip(".")
        if re.fullmatch(r"[IVX]{2,5}", letters) and ROMAN.fullmatch(letters):
            continue  # a regnal number: "Makarios III", "Paul VI"
        if len(letters) == 1 or re.fullmatch(r"(?:[A-ZА-ЯЁ]\.){2,3}", token):
            words += [fold_word(letter) + "." for letter in letters.split(".") if letter]
        elif token.endswith(".") and letters.lower() in DIGRAPH_INITIALS:
            words.append(fold_word(letters) + ".")  # "Rodion Ya.", "Yu. V. Andropov"
        else:
            words.append(fold_word(letters))
    return words


# Russian initials romanised with two or more letters: Я. -> Ya., Ю. -> Yu., Ж. -> Zh.
DIGRAPH_INITIALS = {"ya", "yu", "ye", "yo", "zh", "kh", "ts", "ch", "sh", "shch"}


def is_initial(word: str) -> bool:
    """Whether a word of a `PersonName` is an initial ("n.")."""
    return word.endswith(".")


def _is_title(word: str) -> bool:
    return word in TITLES or word in SUFFIXES


# A ruler's name and regnal number, then what follows it: "Hussein I ibn Talal", "Hussein I, ibn Talal",
# "Faisal II, King". A lone I counts as a number only before a patronymic's particle: "Chen I" is
# Chen Yi, and "Joseph V Stalin" has an initial.
_REGNAL = re.compile(r"\s*([^\W\d_]+)\s+([IVX]{2,5}(?=\s*(?:,|$|(?:ibn|bin|al|el)\b))|I(?=,?\s*(?:ibn|bin|al|el)\b))"
                     r"\s*,?(.*)", re.DOTALL)


def _regnal(name: str) -> PersonName | None:
    """A ruler's name with its regnal number, the ruler's name in the surname's place."""
    match = _REGNAL.fullmatch(name)
    if not match or not (match.group(2) == "I" or ROMAN.fullmatch(match.group(2))) or _is_title(fold_word(match.group(1))):
        return None
    rest = _words(match.group(3))
    return PersonName((fold_word(match.group(1)),), tuple(w for w in rest if not _is_title(w) and w not in PARTICLES),
                      tuple(w for w in rest if w in TITLES))


# A Chinese or Korean name as the period romanised it: the family name, then a given name of two
# syllables joined by a hyphen, the second in lower case ("Wang Ping-nan", "Chou En-lai", "Kim
# Il-sung"); an English double-barrelled name capitalises both parts ("Lloyd-George").
GIVEN_AFTER = re.compile(r"[A-Z][a-z'’]*-[a-z'’]*[a-z]")  # "Ping-nan", "Kuo-ch'uan" (Wade-Giles apostrophes)
_FAMILY_FIRST = re.compile(rf"\s*([A-Z][a-z]+)\s+({GIVEN_AFTER.pattern})\s*(?:,\s*(.*))?$")


def parse(name: str) -> PersonName:
    """The parts of 'Surname, Given Middle, Jr.', 'Given Surname', 'Surname I.O.', 'I.O. Surname',
    'Фамилия Имя Отчество' or 'Ruler II ibn Father' (the ruler's name in the surname's place);
    words in parentheses (other spellings) are left out."""
    name = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", name)
    regnal = _regnal(name)
    if regnal:
        return regnal
    family_first = _FAMILY_FIRST.match(name)
    if family_first:  # "Wang Ping-nan", "Chiang Kai-shek, Generalissimo"
        rest = _words(family_first.group(3) or "")
        return PersonName((fold_word(family_first.group(1)),), (fold_word(family_first.group(2)),),
                          tuple(w for w in rest if w in TITLES))
    if "," in name and [w for w in _words(name.partition(",")[2]) if not _is_title(w)]:
        surname_part, _, rest = name.partition(",")
        surname = [w for w in _words(surname_part) if not _is_title(w)]
        rest_words = _words(rest)
        titles = [w for w in rest_words if w in TITLES]
        given = [w for w in rest_words if not _is_title(w)]
        return PersonName(tuple(surname), tuple(given), tuple(titles))
    words = _words(name)  # a direct name, or one whose comma only adds titles ("Ngo Dinh Nhu, Madame")
    if len(words) > 2 and words[1] in TITLES and not _is_title(words[0]) and "," not in name:
        # a title after the first word: an inverted name whose comma a List of Persons left out
        # ("Nasser Colonel Gamal Abdel"); a direct name puts its titles first
        first, rest = name.split(None, 1)
        return parse(f"{first}, {rest}")
    titles = [w for w in words if w in TITLES]
    words = [w for w in words if not _is_title(w)]
    if not words:
        return PersonName(())
    if len(words) > 1 and all(is_initial(w) for w in words[1:]):  # "Khrushchev N. S."
        return PersonName(tuple(words[:1]), tuple(words[1:]), tuple(titles))
    if len(words) == 3 and _CYRILLIC.search(name) and re.search(r"(?:вич|вна|ична|ич)\b", name.lower()):
        return PersonName(tuple(words[:1]), tuple(words[1:]), tuple(titles))  # "Хрущёв Никита Сергеевич"
    surname = [words[-1]]
    position = len(words) - 2
    vietnamese = words[0] in VIETNAMESE_FAMILY_NAMES
    while position > 0 and words[position] in PARTICLES and not vietnamese:  # "Charles de Gaulle", "Couve de Murville"
        surname.insert(0, words[position])
        position -= 1
    return PersonName(tuple(surname), tuple(words[:position + 1]), tuple(titles))


def given_compatible(first: tuple[str, ...], second: tuple[str, ...]) -> bool:
    """Whether two lists of given names can name one person: each name or initial of the shorter
    list agrees with the one in the same place of the longer ("Nikita S." ~ "Nikita Sergeyevich",
    "W. Averell" ~ "William Averell"). First names are compared across romanisations and common
    English short forms (Bob, Robert); middle names and patronymics, whose spellings vary most
    (Sergeyevich, Sergeevich, Sergeivich), by their first three letters."""
    if not first or not second:
        return True
    if _in_place(first, second):
        return True
    # known by the middle name: "Alexis Johnson" is U. Alexis Johnson, "Averell Harriman" W. Averell
    return any(len(b) > 1 and is_initial(b[0]) and not is_initial(b[1]) and not is_initial(a[0]) and _in_place(a, b[1:])
               for a, b in ((first, second), (second, first)))


def _in_place(first: tuple[str, ...], second: tuple[str, ...]) -> bool:
    """Each given name or initial agrees with the one in the same place (see `given_compatible`)."""
    for place, (a, b) in enumerate(zip(first, second)):
        if is_initial(a) or is_initial(b):
            x, y = name_key(a.rstrip(".")), name_key(b.rstrip("."))  # "I." for Josif (Иосиф)
            if not (x.startswith(y) or y.startswith(x) or a[0] == b[0]):
                return False
        elif place == 0:
            if a != b and name_key(a) != name_key(b) and not _equivalent(a, b):
                return False
        elif name_key(a)[:3] != name_key(b)[:3]:
            return False
    return True


def _equivalent(a: str, b: str) -> bool:
    """Short forms and other-language forms of one given name (Bob = Robert, Iosif = Joseph)."""
    return bool(_GIVEN_GROUPS.get(a, set()) & _GIVEN_GROUPS.get(b, set()))


_GIVEN_EQUIVALENTS = [
    "robert bob bobby", "john jack", "william bill", "richard dick", "james jim jimmy", "charles chip", "thomas tom",
    "joseph joe iosif josif", "michael mike mikhail", "david dave", "edward ed ted", "theodore ted", "albert al",
    "dwight ike", "anthony tony", "walter walt", "andrew andy andrei", "frederick fred", "mcgeorge mac",
    "nicholas nikolai nikolay", "alexander aleksandr", "alexis aleksei alexei alexey", "peter pyotr petr",
    "paul pavel", "gregory grigori grigory", "basil vasili vasily vassily", "jacob yakov", "george georgi georgy",
    "leon lev", "eugene evgeni yevgeni", "vladimir wladimir", "anastas anastase",
    "katherine kay kathy kate", "elizabeth betty liz", "margaret peggy",
    # English given names as Russian writes them (folded): Джон, Джеймс, Джордж, Ричард, Генри, Уинстон
    "john dzhon", "james dzheyms dzheims", "george dzhordzh", "richard richard", "henry genri", "winston uinston",
    "harry garri", "franklin franklin", "dwight duayt", "charles sharl", "harold garold", "dean din", "lyndon lindon",
]
_GIVEN_GROUPS: dict[str, set[int]] = {}
for _number, _group in enumerate(_GIVEN_EQUIVALENTS):
    for _name in _group.split():
        _GIVEN_GROUPS.setdefault(_name, set()).add(_number)


def same_person(first: PersonName, second: PersonName) -> bool:
    """Whether two written names can be the same person: one surname (in any romanisation), and
    given names that agree as far as both go; a name with given names is not the same as a bare one
    only because the surnames agree (that is for the caller to decide)."""
    if not first.surname or not second.surname:
        return False
    if first.surname != second.surname and surname_key(" ".join(first.surname)) != surname_key(" ".join(second.surname)):
        return False
    return given_compatible(first.given, second.given)


# ---- spellings across romanisation systems ----------------------------------------------------

# ISO 9 and scholarly letters that stripping diacritics would turn into the wrong Latin letter.
_ISO9 = str.maketrans({"ŝ": "shch", "š": "sh", "ž": "zh", "č": "ch", "ë": "e", "û": "yu", "â": "ya", "ǎ": "a",
                       "Ŝ": "Shch", "Š": "Sh", "Ž": "Zh", "Č": "Ch", "Ë": "E", "Û": "Yu", "Â": "Ya", "ʹ": "", "ʺ": ""})
_KEY_RULES = [
    (re.compile(r"schtsch|chtch|shtch|stch"), "shch"),      # German, French, old press forms of щ
    (re.compile(r"tsch"), "ch"),                             # German ч
    (re.compile(r"tch"), "ch"),                              # French ч
    (re.compile(r"sch"), "sh"),                              # German ш (and ж)
    (re.compile(r"ou"), "u"),                                # French у
    (re.compile(r"^ch(?=[^aeiouy])"), "kh"),                 # German Ch- before a consonant: Chruschtschow
    (re.compile(r"^h(?=[^aeiouy])"), "kh"),                  # ISO 9 h for х: Hruŝëv
    (re.compile(r"w"), "v"),                                 # German and Polish w: Molotow, Malinowski
    (re.compile(r"j(?=[aeiou])"), "y"),                      # German j: Jakowlew, Juri
    (re.compile(r"(zh|ch|sh)(?:y?o)v"), r"\1ev"),            # Khrushchov -> Khrushchev
    (re.compile(r"shch|sh|zh"), "S"),                        # щ, ш, ж: press spellings confuse them (Kruschev)
    (re.compile(r"kh"), "k"),                                # х: Krushchev
    (re.compile(r"c(?=[aou])"), "k"),                        # Caramanlis, Karamanlis
    (re.compile(r"(?<=[a-z])(?:oe|ue|ae)"), lambda m: m.group(0)[0]),  # Schroeder, Schröder
    (re.compile(r"ts|tz"), "c"),
    (re.compile(r"x"), "ks"),                                # Alexei, Aleksei
    (re.compile(r"[yj]"), "i"),                              # й, ы and the iotated vowels
    (re.compile(r"ie|ye"), "e"),
    (re.compile(r"ff$"), "v"),                               # Romanoff
    (re.compile(r"(.)\1+"), r"\1"),                          # doubled letters
]


def _romanise(word: str) -> str:
    return fold_word(unicodedata.normalize("NFC", word).translate(_ISO9))


@lru_cache(maxsize=100_000)
def name_key(word: str) -> str:
    """A key that the common romanisations of one Russian name share: BGN/PCGN (Khrushchev),
    Library of Congress (Khrushchëv), ISO 9 (Hruŝëv), press (Khrushchov, Kruschev) and German
    (Chruschtschow) spellings, and the Cyrillic itself. Coarser than `fold`: for names only."""
    key = _romanise(word)
    for pattern, replacement in _KEY_RULES:
        key = pattern.sub(replacement, key)
    return key


# The Arabic article as editors romanise it before a surname, assimilated or not (al-Said, el-Said,
# es-Said, ash-Shishakli, ad-Dawalibi): one name with or without it.
_ARABIC_ARTICLE = re.compile(r"^(?:al|el|as|es|ash|esh|ad|ed|ar|er|at|et|az|ez)[-‑](?=[^\W\d_]{3})", re.IGNORECASE)


def without_article(word: str) -> str:
    """A surname word without the Arabic article before it ("al-Said" -> "Said")."""
    return _ARABIC_ARTICLE.sub("", word)


@lru_cache(maxsize=100_000)
def surname_key(surname: str) -> str:
    """The `name_key` of each word of a (folded or written) surname, without an Arabic article,
    joined by spaces."""
    return " ".join(name_key(without_article(word)) for word in surname.split())


# ---- Russian cases --------------------------------------------------------------------------

# Tags of the analyses that make a capitalised word a name: surname, given name, patronymic.
_NAME_TAGS = {"Surn", "Name", "Patr"}


@lru_cache(maxsize=1)
def morphology():
    """The pymorphy3 analyser with its Russian dictionary (OpenCorpora; loaded once, ~0.1 s)."""
    import pymorphy3  # imported here: only Cyrillic text needs it

    return pymorphy3.MorphAnalyzer(lang="ru")


@lru_cache(maxsize=200_000)
def analyses(word: str) -> tuple[tuple[str, frozenset[str]], ...]:
    """(normal form, grammemes) of each analysis pymorphy3 gives a Cyrillic word, likeliest first."""
    return tuple((parsed.normal_form, frozenset(parsed.tag.grammemes)) for parsed in morphology().parse(word))


def nominatives(word: str) -> list[str]:
    """The nominative forms a Cyrillic name may stand for ("Хрущёва" -> "хрущёв"; "Ивановой" ->
    "иванов", "иванова"), the word itself first; [] for other scripts."""
    if not _CYRILLIC.search(word):
        return []
    forms = [word.lower()]
    for normal, grammemes in analyses(word):
        if grammemes & _NAME_TAGS or "UNKN" in grammemes or not grammemes & {"NOUN", "ADJF", "VERB", "PREP", "CONJ"}:
            if normal not in forms:
                forms.append(normal)
            if "femn" in grammemes and "Surn" in grammemes:  # Громыко's wife: "Громыко" / "Иванова" as written
                feminine = _feminine(normal)
                if feminine and feminine not in forms:
                    forms.append(feminine)
    return forms


def _feminine(masculine: str) -> str | None:
    for ending, feminine in (("ий", "ая"), ("ой", "ая"), ("ов", "ова"), ("ев", "ева"), ("ёв", "ёва"), ("ин", "ина")):
        if masculine.endswith(ending):
            return masculine[: -len(ending)] + feminine
    return None


def is_name_word(word: str) -> bool:
    """For a capitalised Cyrillic word: whether the dictionary lets it be a name (a surname, given
    name or patronymic, or a word it does not know), not only a common noun or adjective
    ("Союза", "Советского" are not names; "Хрущёва", "Малиновский" are)."""
    found = analyses(word)
    return any(grammemes & _NAME_TAGS for _, grammemes in found) or all("UNKN" in g or "LATN" in g for _, g in found)


def is_place_word(word: str) -> bool:
    """For a capitalised Cyrillic word: whether the dictionary knows it as a place name (Geox)."""
    return any("Geox" in grammemes for _, grammemes in analyses(word))


# ---- guards ---------------------------------------------------------------------------------


def is_organization(name: str) -> bool:
    """Whether a name given as a person's is an organization's: a short acronym (CIA, FBI, DCI), an
    office code (SR/CI, WH 3, DIR 27455), a name with an organization word ("Japan. Foreign
    Ministry", "Office of the Secretary", "Staff") or a "Country. Body" form."""
    text = " ".join(name.split())
    if not text:
        return False
    if _CODE.search(text):
        return True
    if re.fullmatch(r"[A-ZА-ЯЁ&.-]{2,}", text) and len(text.replace(".", "")) <= 4:
        return True
    words = [w.lower().strip(".,;:()") for w in text.replace(",", " ").split()]
    if any(word in ORGANIZATION_WORDS for word in words):
        return True
    sentence = re.search(r"([^\W\d_]{3,})\.\s+[A-ZА-ЯЁ]", text)  # "Japan. Foreign Ministry", not "Mrs. Smith"
    return bool(sentence) and "," not in text and fold_word(sentence.group(1)) not in TITLES


# What sheets put in a From or To cell when there is no name: never linked to anything.
PLACEHOLDERS = {"withheld", "restricted", "none", "unknown", "multiple", "multiple addressees", "the record", "record",
                "file", "files", "mfr", "memo for the record", "memorandum for the record", "for the record", "memorandum",
                "see title", "private", "citizen", "various", "n/a", "na", "not given", "illegible", "unidentified"}


def kind_of_name(name: str) -> str | None:
    """What a name given as a person's (a sheet's From/To, a front matter author) really is:
    "person", "organization" (an agency, office, office code, station or an office title alone:
    "CIA", "SAC, MM", "CHIEF, WH DIVISION", "DIRECTOR") or None for a placeholder that names
    nobody ("WITHHELD", "[RESTRICTED]", "THE RECORD")."""
    text = " ".join(re.sub(r"[\[\]()]", " ", name).split()).strip(" ,.;:")
    lower = text.lower()
    if not text or lower in PLACEHOLDERS or not re.search(r"[^\W\d_]", text):
        return None
    if is_organization(text):
        return "organization"
    parts = [part.strip() for part in text.split(",") if part.strip()]
    if len(parts) > 1 and all(re.fullmatch(r"[A-ZА-ЯЁ&./-]{1,4}", part) for part in parts):
        return "organization"  # "SAC, MM", "LEG, PA": office codes
    tokens = re.findall(r"[^\W\d_]+", text)
    words = [fold_word(word) for word in tokens]
    rest = [token for token, word in zip(tokens, words) if word not in TITLES and word not in STOPWORDS]
    if words and words[0] in TITLES and all(re.fullmatch(r"[A-ZА-ЯЁ]{2,4}", token) for token in rest):
        return "organization"  # "DIRECTOR", "DIRECTOR, FBI", "Secretary": an office, not a person
    if words and words[0] in TITLES and {"of", "for"} & set(words):
        return "organization"  # "Deputy Director for Plans", "Secretary of State"
    return "person"


def person_part(name: str) -> str:
    """A person's name without the office codes a sheet appends ("MORRISON, J., OGC" -> "MORRISON, J.")."""
    parts = [part.strip() for part in name.split(",")]
    while len(parts) > 2 and re.fullmatch(r"[A-ZА-ЯЁ/&.-]{2,5}", parts[-1]) and fold_word(parts[-1].strip(".")) not in SUFFIXES:
        parts.pop()
    return ", ".join(parts)


def plausible_surname(word: str, common_words: set[str]) -> bool:
    """A capitalised word that can be a surname of a new person: not a title, a common word, an
    organization word, a lone letter or an ALL-CAPS short word; a Cyrillic one that the dictionary
    knows as a name (or does not know)."""
    bare = word.strip(".'’")
    lower = bare.lower()
    if len(bare) < 2 or not bare[:1].isupper() or lower in common_words or fold(lower) in TITLES:
        return False
    if lower in STOPWORDS or ROMAN.fullmatch(bare):
        return False
    if lower in ORGANIZATION_WORDS or lower in LOWER_ADDRESS or fold(lower) in SUFFIXES:
        return False
    if bare.isupper() and len(bare) <= 4:
        return False
    if _CYRILLIC.search(bare):
        found = analyses(bare)
        return is_name_word(bare) and not (found and "Geox" in found[0][1])
    return True
