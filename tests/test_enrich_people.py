"""People, organizations and places found in text and linked to authorities (existing ones first)."""

from __future__ import annotations

import pytest

from fonds.enrich import people, pipeline
from fonds.enrich.authorities import AuthorityIndex, packaged
from fonds.readers import tei
from fonds.records import Authority, Batch, Link, Record, Text


def _people(text: str, known=(), title: str = "Document") -> list[str]:
    record = Record(id="r", title=title, texts=[Text(kind="original", body=text)])
    pipeline.enrich(Batch(records=[record]), known=known, order=["people"])
    return [link.id for link in record.people]


def test_seed_links_packaged_authorities(corpus):
    text = (corpus / "seed" / "000_6e32ea4dc738cddf.txt").read_text(encoding="utf-8")
    record = Record(id="seed", title="t", texts=[Text(kind="translation", body=text)])
    batch, findings = pipeline.enrich_with_findings(Batch(records=[record]), order=["people"])
    assert [link.id for link in record.people] == ["khrushchev-nikita-sergeyevich", "malinovsky-rodion-yakovlevich"]
    assert {f.evidence for f in findings} == {"Khrushchev", "com. [Rodion] Malinovsky"}
    assert "Хрущёв, Никита Сергеевич" in {a.id: a for a in batch.authorities}["khrushchev-nikita-sergeyevich"].variants


@pytest.mark.parametrize("text", [
    "Khrushchev N.S. spoke.", "com. Khrushchev said", "N. S. Khrushchev arrived", "Nikita Sergeyevich Khrushchev",
    "Хрущёв Н.С. выступил", "доклад тов. Хрущева Н.С.", "Premier Khrushchov replied",
])
def test_forms_of_one_name(text):
    assert _people(text) == ["khrushchev-nikita-sergeyevich"]


LIST = [
    Authority(id="dulles-john-foster", kind="person", name="Dulles, John Foster", description="Secretary of State"),
    Authority(id="dulles-allen-w", kind="person", name="Dulles, Allen W.", description="Director of Central Intelligence"),
    Authority(id="thompson-llewellyn-e", kind="person", name="Thompson, Llewellyn E.", description="Ambassador to the Soviet Union"),
    Authority(id="eisenhower-dwight-d", kind="person", name="Eisenhower, Dwight D.", description="President of the United States"),
    Authority(id="khrushchev-nikita-s", kind="person", name="Khrushchev, Nikita S.", description="Chairman of the Council of Ministers"),
    Authority(id="humphrey-george-m", kind="person", name="Humphrey, George M.", description="Secretary of the Treasury"),
]


def test_titles_and_given_names_tell_namesakes_apart():
    text = ("Secretary Dulles told Ambassador Thompson that President Eisenhower and Allen Dulles agreed. "
            "Senator Humphrey objected.")
    assert _people(text, LIST) == ["dulles-john-foster", "thompson-llewellyn-e", "eisenhower-dwight-d", "dulles-allen-w"]


def test_the_callers_list_wins_over_the_packaged_copy():
    assert _people("Khrushchev said that Хрущёв", LIST) == ["khrushchev-nikita-s"]


def test_bare_ambiguous_surname_takes_the_fuller_mention_of_the_same_text():
    assert _people("Allen Dulles briefed the Council. Dulles said the estimate stands.", LIST) == ["dulles-allen-w"]


def test_not_people():
    assert _people("Source: Eisenhower Library, Whitman File. The Western Powers met in May.",
                   [*LIST, Authority(id="powers-francis-gary", kind="person", name="Powers, Francis Gary"),
                    Authority(id="may-a", kind="person", name="May, Alan")]) == []


def test_new_authority_from_an_addressed_name():
    ids = _people("The Presidium heard com. Ivanov I.I. and Ambassador Menshikov.")
    assert ids == ["ivanov-i-i", "menshikov"]


def test_frus_document_links_to_the_volume_list_of_persons(corpus):
    """FRUS 1955-57 vol. XX, doc. 1, as plain text, against its volume's List of Persons."""
    path = corpus / "frus" / "tei" / "frus1955-57v20.xml"
    root = tei._parse(path)
    by_id, listed = tei.persons(root)
    document = next(tei.documents(root))
    head = document.find(tei._T + "head")
    text = tei._string_without_notes(head) + "\n" + tei.body_text(document, head)
    found = set(_people(text, listed))
    gold = {link.id for link in tei._people(document, by_id)}
    assert len(found & gold) >= 0.8 * len(gold) and len(found - gold) <= 1


def test_organizations_and_places_in_plain_text():
    body = ("Moscow, December 14, 1959\nThe CC CPSU and the Ministry of Defense of the USSR will report. "
            "The Soviet Union proposes talks in Geneva; ЦК КПСС approves. The delegation flew to Berlin.")
    record = Record(id="r", title="Note", texts=[Text(kind="original", body=body)])
    batch, findings = pipeline.enrich_with_findings(Batch(records=[record]))
    assert [link.id for link in record.organizations] == ["cc-cpsu", "ussr-ministry-of-defense"]
    assert [link.id for link in record.places] == ["moscow", "geneva", "berlin"]  # not the acting "Soviet Union"
    moscow = next(a for a in batch.authorities if a.id == "moscow")
    assert moscow.external_ids == {"geonames": "524901"}
    assert {f.enricher for f in findings} >= {"organizations", "places", "dates"}


def test_known_places_win_and_reader_links_are_kept():
    record = Record(id="r", title="t", people=[Link(id="x", name="X")],
                    texts=[Text(kind="original", body="Khrushchev went to Moscow.")])
    pipeline.enrich(Batch(records=[record]))
    assert [link.id for link in record.people] == ["x"] and record.places == []  # names were marked up
    fresh = Record(id="f", title="t", texts=[Text(kind="original", body="He arrived in Moscow today.")])
    place = Authority(id="moskva-local", kind="place", name="Moscow")
    pipeline.enrich(Batch(records=[fresh], authorities=[place]))
    assert [link.id for link in fresh.places] == ["moskva-local"]


def test_person_index_folds_across_scripts():
    index = people.person_index(AuthorityIndex(packaged("people.json")))
    assert {p.authority.id for p in index.by_surname["khrushchev"]} == {"khrushchev-nikita-sergeyevich"}
