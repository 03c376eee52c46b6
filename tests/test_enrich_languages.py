"""Languages: each text layer's language detected (lingua), the record's languages from its originals."""

from __future__ import annotations

import pytest

from fonds.enrich import languages, pipeline
from fonds.readers import read
from fonds.records import Batch, Record, Text

pytestmark = pytest.mark.database_independent  # no database: the PostgreSQL pass leaves it out


@pytest.mark.parametrize("path, code", [
    ("russian/texts/v09-036.txt", "ru"),
    ("russian/texts/v04-012.txt", "ru"),
    ("delegates/texts/dg002346.txt", "en"),
    ("nara-jfk-2023/files/2023/124-10221-10231.txt", "en"),  # noisy OCR
])
def test_texts_of_the_real_sets(corpus, path, code):
    record = pipeline.enrich(read(corpus / path)).records[0]
    assert record.texts[0].language == code and record.languages == [code]


def test_a_translation_says_nothing_of_the_original(corpus):
    """russian/metadata.csv marks v01-012 as translated into Russian (from Georgian): the layer is a
    Russian translation, and the language of the original is left unknown."""
    batch, findings = pipeline.enrich_with_findings(read(corpus / "russian" / "metadata.csv"))
    by_id = {record.id: record for record in batch.records}
    translated = by_id["v01-012"]
    assert (translated.texts[0].kind, translated.texts[0].language, translated.languages) == ("translation", "ru", [])
    original = by_id["v09-036"]
    assert (original.texts[0].kind, original.languages) == ("original", ["ru"])
    (finding,) = [f for f in findings if f.record == "v09-036" and f.field == "texts[0].language"]
    assert finding.enricher == "languages" and 0.5 < finding.confidence <= 1


def test_given_languages_are_kept_and_short_texts_left_alone():
    record = Record(id="r", title="t", languages=["de"], texts=[Text(kind="original", language="fr", body="Bonjour.")])
    pipeline.enrich(Batch(records=[record]))
    assert record.languages == ["de"] and record.texts[0].language == "fr"
    short = Record(id="s", title="t", texts=[Text(kind="original", body="OK 12")])
    pipeline.enrich(Batch(records=[short]))
    assert short.texts[0].language is None and short.languages == []
    assert languages.detected_language("Совершенно секретно. Запись беседы с послом.") == "ru"


def _confidence(text: str) -> float:
    return round(languages._detector().compute_language_confidence_values(text)[0].value, 3)


@pytest.mark.parametrize("path, first_look_settles", [
    ("delegates/texts/dg002346.txt", True),  # clean prose: lingua is sure of its first 400 characters
    ("nara-jfk-2023/files/2023/104-10014-10064.txt", False),  # OCR: not sure enough, so the 1,000 are read
])
def test_a_first_look_settles_a_sure_text_and_an_unsure_one_is_read_further(corpus, path, first_look_settles):
    text = (corpus / path).read_text(encoding="utf-8")
    assert len(text) > languages.SAMPLE_CHARS
    code, confidence = languages._detection(text)
    first_look = _confidence(text[:languages.FIRST_LOOK_CHARS])
    assert code == "en" and (first_look >= languages.SURE) == first_look_settles
    assert confidence == (first_look if first_look_settles else _confidence(text[:languages.SAMPLE_CHARS]))
