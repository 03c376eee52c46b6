"""The document type enricher: from the title, else from the heading a text opens with."""

from __future__ import annotations

import pytest

from fonds.enrich import doctype, pipeline
from fonds.records import Batch, Record, Text

pytestmark = pytest.mark.database_independent  # no database: the PostgreSQL pass leaves it out


@pytest.mark.parametrize("title, kind", [
    ("CC CPSU Presidium Decision, 'About Further Steps in the Struggle for Reduction of International Tension'", "Decision"),
    ("1. Memorandum of a Conversation, Department of State, Washington, January 3, 1955", "Memorandum of Conversation"),
    ("23. Telegram From the Embassy in the Soviet Union to the Department of State", "Telegram"),
    ("Letter From Chairman Khrushchev to President Kennedy", "Letter"),
    ("1. National Intelligence Estimate", "Intelligence Estimate"),
    ("Memorandum of Discussion at the 229th Meeting of the National Security Council", "Minutes"),
    ("Minutes of the Meeting of the CC CPSU Presidium", "Minutes"),
    ("3. Memorandum From the Secretary of State to the President", "Memorandum"),
    ("8. Editorial Note", "Editorial Note"),
    ("Report by the Special Assistant to the President (Stassen)", "Report"),
    ("Address by President Eisenhower Before the General Assembly", "Speech"),
    ("Запись беседы Н.С. Хрущева с послом США", "Memorandum of Conversation"),
    ("Выписка из протокола № 253 заседания Президиума ЦК", "Protocol Excerpt"),
    ("Постановление Президиума ЦК КПСС", "Decision"),
])
def test_from_title(title, kind):
    assert doctype.from_title(title) == kind


def test_from_text_when_the_title_names_no_type():
    body = ("Proletarians of all countries, unite!\nCommunist Party of the Soviet Union. CENTRAL COMMITTEE\n"
            "#P253/P Top Secret\nTo com. Khrushchev.\nExcerpt from protocol no. 253 of meeting of the CC Presidium of 14 December 1959")
    record = Record(id="r", title="About further steps in the struggle for reduction of international tension",
                    texts=[Text(kind="translation", body=body)])
    _, findings = pipeline.enrich_with_findings(Batch(records=[record]), order=["doctype"])
    assert record.type == "Protocol Excerpt"
    assert findings[0].evidence == "Excerpt from protocol"


def test_letter_from_its_salutation_and_set_types_are_kept():
    record = Record(id="r", title="Untitled", texts=[Text(kind="original", body="Moscow\nDear Mr. President,\nI write...")])
    pipeline.enrich(Batch(records=[record]), order=["doctype"])
    assert record.type == "Letter"
    kept = Record(id="k", title="Telegram", type="Note")
    pipeline.enrich(Batch(records=[kept]))
    assert kept.type == "Note"


@pytest.mark.parametrize("title, expected", [
    ("Henry Lee to Richard Bland Lee", "Letter"),             # delegates/metadata.csv titles
    ("Board of War to George Washington", "Letter"),
    ("Thomas Johnson, Jr., to Samuel Purviance, Jr.", "Letter"),
    ("Instructions to the Delegation", None),
    ("Статья", "Article"), ("Брошюра", "Pamphlet"), ("Приказ", "Order"), ("Доклад", "Report"),
])
def test_titles_of_correspondence_and_russian_types(title, expected):
    assert doctype.from_title(title) == expected


def test_letter_opening_a_long_line(corpus):
    """The delegates' letters lost their line breaks: "Sir, Philada. Novr. 17th. 1775 The Congress..."."""
    body = (corpus / "delegates" / "texts" / "dg002346.txt").read_text(encoding="utf-8")
    assert doctype.from_text(body) == ("Letter", 0, 4)


def test_russian_letter_salutation(corpus):
    """"Тов. Куштысев!" opens a letter (russian v11-049); a speech's "Товарищи!" does not."""
    body = (corpus / "russian" / "texts" / "v11-049.txt").read_text(encoding="utf-8")
    assert doctype.from_text(body)[0] == "Letter"
    assert doctype.from_text("Товарищи!\nМы собрались сегодня.") is None
