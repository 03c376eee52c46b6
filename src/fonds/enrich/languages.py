"""Languages: each text layer's language detected, and the record's `languages` filled from them.

Detection is done by lingua (PyPI `lingua-language-detector`), whose models ship inside the
package (nothing is downloaded). It was chosen over py3langid after measuring both on 300 texts
each of the Russian, delegates and NARA sets (bench/languages.py, docs/quality.md): both are right
on every Russian and 18th-century English text, but on NARA's noisy OCR lingua was right on
298 of 300 texts and py3langid on 212. A layer's language is set only when lingua is sure (it
answers None when two languages are too close to call) and the text has enough letters.

The record's languages are those of its original (and transcribed) layers: a translation says
nothing about the language the document was written in.
"""

from __future__ import annotations

import functools
import re

from lingua import LanguageDetectorBuilder

from fonds.enrich.findings import Context, Finding
from fonds.records import Record

NAME = "languages"
SAMPLE_CHARS = 3000  # detection reads the start of a text: enough for a sure answer, cheap on long ones
MIN_LETTERS = 20  # fewer letters than this is too little to tell a language by
_LETTER = re.compile(r"[^\W\d_]")


@functools.cache
def _detector():
    return LanguageDetectorBuilder.from_all_languages().build()


def detected_language(text: str) -> str | None:
    """The ISO 639-1 code of the language `text` is written in, or None when it cannot be told."""
    sample = text[:SAMPLE_CHARS]
    if len(_LETTER.findall(sample)) < MIN_LETTERS:
        return None
    language = _detector().detect_language_of(sample)
    return language.iso_code_639_1.name.lower() if language is not None else None


def _confidence(text: str, code: str) -> float:
    detector = _detector()
    language = next(lang for lang in _languages() if lang.iso_code_639_1.name.lower() == code)
    return round(detector.compute_language_confidence(text[:SAMPLE_CHARS], language), 3)


@functools.cache
def _languages():
    from lingua import Language

    return tuple(Language.all())


def enrich(record: Record, context: Context) -> list[Finding]:
    """Detect the language of every layer that has none; fill `languages` from the originals."""
    found = []
    for index, text in enumerate(record.texts):
        if text.language is None:
            code = detected_language(text.body)
            if code:
                text.language = code
                found.append(Finding(record.id, f"texts[{index}].language", code, f"texts[{index}]",
                                     _confidence(text.body, code), NAME, text.body[:80]))
    if not record.languages:
        codes = list(dict.fromkeys(text.language for text in record.texts
                                   if text.kind != "translation" and text.language))
        if codes:
            record.languages = codes
            found.append(Finding(record.id, "languages", codes, "texts", 0.9, NAME, ", ".join(codes)))
    return found
