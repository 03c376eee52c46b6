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
# Detection reads the start of a text. 1,000 characters were right on 900 of 900 texts of the three
# real sets, as many as 3,000 (NARA: 300 against 298) at under half the time (bench/languages.py).
SAMPLE_CHARS = 1000
# A first look at 400 characters settles most texts at a third of the cost; only when lingua is
# less than 0.999 sure of it are the 1,000 read (0.95 lost 4-6 of 300 NARA OCR texts). Against the
# 1,000 alone, on 300 texts of each real set drawn three times (bench/languages.py --seed 1..3; the
# threshold chosen on seeds 1 and 2): Russian and delegates' letters the same, NARA OCR the same
# twice and 292 against 294 on seed 3, at about half the time (docs/quality.md).
FIRST_LOOK_CHARS = 400
SURE = 0.999
MIN_LETTERS = 20  # fewer letters than this is too little to tell a language by
_LETTER = re.compile(r"[^\W\d_]")


@functools.cache
def _detector():
    return LanguageDetectorBuilder.from_all_languages().build()


def detected_language(text: str) -> str | None:
    """The ISO 639-1 code of the language `text` is written in, or None when it cannot be told."""
    found = _detection(text)
    return found[0] if found else None


def _detection(text: str) -> tuple[str, float] | None:
    """(language code, lingua's confidence in it) for the start of `text`: the first look, or the
    whole sample when lingua is not sure of it (asking for the language and then its confidence
    would run the models twice; the ranked confidences give both)."""
    sample = text[:SAMPLE_CHARS]
    if len(_LETTER.findall(sample)) < MIN_LETTERS:
        return None
    detector = _detector()
    ranked = detector.compute_language_confidence_values(sample[:FIRST_LOOK_CHARS])
    if len(sample) > FIRST_LOOK_CHARS and not (ranked and ranked[0].value >= SURE):
        ranked = detector.compute_language_confidence_values(sample)
    if not ranked or (len(ranked) > 1 and ranked[0].value == ranked[1].value):
        return None  # too close to call
    return ranked[0].language.iso_code_639_1.name.lower(), round(ranked[0].value, 3)


def enrich(record: Record, context: Context) -> list[Finding]:
    """Detect the language of every layer that has none; fill `languages` from the originals."""
    found = []
    for index, text in enumerate(record.texts):
        if text.language is None:
            detection = _detection(text.body)
            if detection:
                text.language, confidence = detection
                found.append(Finding(record.id, f"texts[{index}].language", text.language, f"texts[{index}]",
                                     confidence, NAME, text.body[:80]))
    if not record.languages:
        codes = list(dict.fromkeys(text.language for text in record.texts
                                   if text.kind != "translation" and text.language))
        if codes:
            record.languages = codes
            found.append(Finding(record.id, "languages", codes, "texts", 0.9, NAME, ", ".join(codes)))
    return found
