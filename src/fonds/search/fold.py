"""Folding text so that spellings of one name in different scripts and systems meet.

`fold` transliterates Cyrillic to Latin, strips diacritics (Satō -> sato), lowercases, and then
collapses the variants English-language sources use for Russian names: Хрущёв, Хрущев,
Khrushchev, Khrushchov all fold to "khrushchev"; Малиновский, Malinovskii, Malinovskiy and
Malinovsky to "malinovsky"; Ельцин and Yeltsin to "eltsin". The index keeps a folded copy of the
text beside the exact one, and queries are folded the same way, so the rules only need to agree
with themselves, not be a correct romanisation.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# A simple, reversible-enough romanisation (close to BGN/PCGN without diacritics); ё is "e"
# because English texts mostly write Хрущёв as Khrushchev.
CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i",
    "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "",
    "э": "e", "ю": "yu", "я": "ya", "і": "i", "ї": "yi", "є": "ye", "ґ": "g", "ў": "u", "ј": "j", "љ": "lj",
    "њ": "nj", "ћ": "c", "ђ": "dj", "џ": "dz",
}
_TABLE = str.maketrans({**CYRILLIC, **{k.upper(): v.capitalize() for k, v in CYRILLIC.items()}})
# Spelling rules applied to each folded word, in order (`snippets.seeds` relies on how they can
# change a word's first two letters).
CONSONANTS = "bcdfghklmnprstvz"
_RULES = [
    (re.compile(r"(zh|ch|sh)(?:y?o)v"), r"\1ev"),        # Khrushchov, Khrushchyov -> khrushchev
    (re.compile(f"(?<=[{CONSONANTS}])yo"), "e"),          # Pyotr -> petr (Пётр)
    (re.compile(r"(?:iy|ii|ij|yi|yy)$"), "y"),            # Malinovskiy, Malinovskii -> malinovsky
    (re.compile(r"^ye"), "e"),                            # Yeltsin -> eltsin (Ельцин)
    (re.compile(r"['’ʹʼ]"), ""),                          # soft-sign apostrophes: Gor'kiy -> gorky
]
WORD = re.compile(r"[^\W_]+(?:['’ʹʼ][^\W_]+)*", re.UNICODE)


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# Words follow Zipf's law, so a cache of the commonest ones answers most calls (indexing spends
# most of its time here otherwise).
@lru_cache(maxsize=262_144)
def fold_word(word: str) -> str:
    """The folded form of one word."""
    if word.isascii():  # no Cyrillic, no marks: most words, and the normalisations cost more than the rules
        folded = word.lower()
    else:
        folded = _strip_marks(unicodedata.normalize("NFC", word).translate(_TABLE)).lower()
    for pattern, replacement in _RULES:
        folded = pattern.sub(replacement, folded)
    return folded


def fold(text: str) -> str:
    """The folded form of a text: its words folded, separated by single spaces."""
    return " ".join(fold_word(word) for word in WORD.findall(text or ""))


def words(text: str) -> list[str]:
    """The words of a text as `fold` sees them (for highlighting)."""
    return WORD.findall(text or "")
