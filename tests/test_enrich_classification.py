"""The classification enricher: English and Russian markings where a marking is stamped."""

from __future__ import annotations

import pytest

from fonds.enrich import classification, pipeline
from fonds.records import Batch, Classification, Record, Text

pytestmark = pytest.mark.database_independent  # no database: the PostgreSQL pass leaves it out


@pytest.mark.parametrize("text, marking, level", [
    ("#P253/P Top Secret\nTo com. Khrushchev.", "Top Secret", "top-secret"),
    ("Source: Department of State, Central Files, 611.61/12-1459. Secret; Niact. Drafted by Thompson.", "Secret; Niact", "secret"),
    ("Source: Eisenhower Library, Whitman File. Top Secret; Eyes Only. Drafted by Goodpaster.",
     "Top Secret; Eyes Only", "top-secret"),
    ("Source: Johnson Library, NSF, Vol. XXVI, Memos. No classification marking.", "No classification marking", "unclassified"),
    ("UNCLASSIFIED\nText", "UNCLASSIFIED", "unclassified"),
    ("Совершенно секретно\nЭкз. № 1", "Совершенно секретно", "top-secret"),
    ("Секретно\nТекст", "Секретно", "secret"),
    ("Eyes Only\nFor the Secretary", "Eyes Only", None),
    ("Confidential\nMemorandum", "Confidential", "confidential"),
])
def test_find_in_text(text, marking, level):
    assert classification.find_in_text(text) == Classification(marking=marking, level=level)


def test_prose_and_secretaries_are_not_markings():
    text = "The Secretary said that the secret of the atom was no longer a secret to anyone in Moscow at all."
    assert classification.find_in_text(text) is None
    assert classification.find_in_text("SECRETARY OF CC\n4-ak") is None


def test_level_of_and_find_keep_working():
    assert classification.level_of("Secret; Priority") == "secret"
    assert classification.level_of("No classification marking") == "unclassified"
    assert classification.find("a Top Secret note").marking == "Top Secret"


def test_seed_page_is_top_secret(corpus):
    body = (corpus / "seed" / "000_6e32ea4dc738cddf.txt").read_text(encoding="utf-8").split("\n", 4)[4]
    record = Record(id="seed", title="t", texts=[Text(kind="translation", body=body)])
    _, findings = pipeline.enrich_with_findings(Batch(records=[record]), order=["classification"])
    assert record.classification == Classification(marking="Top Secret", level="top-secret")
    assert findings[0].evidence == "Top Secret" and findings[0].source.startswith("texts[0]:")


def test_a_set_marking_is_kept():
    record = Record(id="r", title="t", classification=Classification(marking="Secret"),
                    texts=[Text(kind="original", body="Top Secret\nx")])
    pipeline.enrich(Batch(records=[record]))
    assert record.classification.marking == "Secret"
