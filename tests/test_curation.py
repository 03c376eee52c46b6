"""Curated values as plain data: what a curator types, how it is shown again, how it is applied."""

from __future__ import annotations

import pytest

from fonds import curation
from fonds.records import Link, Record

pytestmark = pytest.mark.database_independent  # no database: the PostgreSQL pass leaves it out


def test_a_written_or_edtf_date_becomes_a_date_with_its_bounds():
    assert curation.parse("date", "14 December 1959") == {
        "edtf": "1959-12-14", "display": "14 December 1959", "min": "1959-12-14", "max": "1959-12-14"}
    assert curation.parse("date", "1959-12")["max"] == "1959-12-31"
    assert curation.parse("date", "") is None
    with pytest.raises(curation.CurationError, match="date: 'next Tuesday' is neither"):
        curation.parse("date", "next Tuesday")


def test_a_marking_gets_its_level_in_english_and_russian():
    assert curation.parse("classification", "Secret; Niact") == {"marking": "Secret; Niact", "level": "secret"}
    assert curation.parse("classification", "Совершенно секретно")["level"] == "top-secret"


def test_links_are_one_per_line_with_an_optional_authority_id():
    typed = "Khrushchev, N. S.\nmalinovsky-rodion-yakovlevich | com. Malinovsky"
    assert curation.parse("people", typed) == [
        {"id": "khrushchev-n-s", "name": "Khrushchev, N. S."},
        {"id": "malinovsky-rodion-yakovlevich", "name": "com. Malinovsky"}]
    shown = curation.show("people", curation.parse("people", typed))
    assert curation.parse("people", shown) == curation.parse("people", typed)


def test_lists_split_on_lines_or_commas():
    assert curation.parse("topics", "Berlin Crisis, Cuba") == ["Berlin Crisis", "Cuba"]
    assert curation.parse("languages", "en\nru\nen") == ["en", "ru"]


@pytest.mark.parametrize(("field", "typed", "message"), [
    ("status", "gone", "status: 'gone' is not one of draft"),
    ("embargo_until", "2030-13-01", "embargo_until: '2030-13-01' is not a day"),
    ("source", "{not json", "source: not JSON"),
    ("rights", "[1]", "rights: must be a JSON object"),
    ("provenance", "x", "provenance: not a field a curator can set"),
    ("people", " | Nobody", "a link needs a name"),
])
def test_bad_input_names_the_field_and_the_problem(field, typed, message):
    with pytest.raises(curation.CurationError, match=message):
        curation.parse(field, typed)


def test_apply_replaces_only_the_curated_keys_and_validates_the_result():
    record = Record(id="d1", title="Memo", type="Report", people=[Link(id="x", name="X")])
    curated = curation.apply(record, {"type": "Letter", "people": []})
    assert (curated.type, curated.people, curated.title) == ("Letter", [], "Memo")
    with pytest.raises(curation.CurationError, match="title"):
        curation.apply(record, {"title": None})
    with pytest.raises(curation.CurationError, match="source.bogus"):
        curation.apply(record, {"source": {"bogus": 1}})
