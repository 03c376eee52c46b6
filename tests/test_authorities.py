"""The archive's own authorities in every enrichment (`fonds ingest`, `fonds enrich`), and search
across scripts and Russian cases through them, on real documents."""

from __future__ import annotations

import json

import pytest

from fonds.catalog import indexer
from fonds.catalog import models as m
from fonds.catalog.ingest import Ingest
from fonds.readers import tei
from fonds.search.engine import Search, SearchRequest
from fonds.search.index import analyzers

pytestmark = pytest.mark.django_db(transaction=True)
RUSSIAN = ["v09-048", "v11-010", "v13-054", "v15-041", "v15-069"]


@pytest.fixture
def clean_catalog():
    from tests.conftest import empty_catalog

    empty_catalog()
    yield
    empty_catalog()


def _frus_text(corpus, tmp_path, volume: str, number: str):
    """A FRUS document as a plain-text file (head, then the body), as an archive without the TEI has it."""
    root = tei._parse(corpus / "frus" / "tei" / f"{volume}.xml")
    document = next(d for d in tei.documents(root) if d.get(tei._XML_ID) == number)
    head = document.find(tei._T + "head")
    path = tmp_path / f"{volume}-{number}-plain.txt"
    path.write_text(tei._string_without_notes(head) + "\n\n" + tei.body_text(document, head), encoding="utf-8")
    return path


def _people(doc_id: str) -> list[str]:
    return list(m.Mention.objects.filter(document_id=doc_id, role="people").values_list("authority__key", flat=True))


def test_a_new_person_of_a_stored_surname_joins_the_one_person_it_can_be(clean_catalog):
    """Two files of one run name Bukharin as "Бухарин" and "Бухарин, Н. И." (each reader made its
    own new authority): the second is stored as a variant of the first. A name that only starts
    like a stored one ("Hal", "Hall, John A.") or has another given name stays its own person."""
    from django.db import transaction

    from fonds import records as r
    from fonds.catalog.store import write_batch

    def store(doc_id: str, key: str, name: str) -> None:
        record = r.Record(id=doc_id, title=doc_id, people=[r.Link(id=key, name=name)], provenance=r.Provenance(format="test"))
        with transaction.atomic():
            write_batch(r.Batch(records=[record]))

    store("a", "бухарин", "Бухарин")
    store("b", "bukharin-n-i", "Бухарин, Н. И.")
    store("c", "hall-john-a", "Hall, John A.")
    store("d", "hal", "Hal")
    store("e", "hall-peter", "Hall, Peter")
    assert _people("b") == _people("a") == ["бухарин"]
    assert list(m.NameVariant.objects.filter(authority__key="бухарин").values_list("name", flat=True)) == ["Бухарин, Н. И."]
    assert (_people("c"), _people("d"), _people("e")) == (["hall-john-a"], ["hal"], ["hall-peter"])
    # A batch with many new people reads the names once instead of asking for each: same answers.
    names = [("smithers-al", "Smithers, Al"), ("jonesy-bo", "Jonesy, Bo"), ("brownlow-cy", "Brownlow, Cy"),
             ("hall-j", "Hall, J."), ("бухарин-николай", "Бухарин, Николай")]
    records = [r.Record(id=f"f{n}", title="f", people=[r.Link(id=key, name=name)], provenance=r.Provenance(format="test"))
               for n, (key, name) in enumerate(names)]
    with transaction.atomic():
        write_batch(r.Batch(records=records))
    assert [_people(f"f{n}") for n in range(5)] == [["smithers-al"], ["jonesy-bo"], ["brownlow-cy"], ["hall-john-a"],
                                                   ["бухарин"]]


def test_plain_text_after_a_tei_volume_links_to_the_volume_authorities(corpus, tmp_path, clean_catalog):
    """FRUS 1961-63 vol. V in TEI, then two of its documents as plain text (read in two worker
    processes, which get the catalog's authorities once each): the people link to the records
    the volume's List of Persons made, and no bare "kennedy" or "dobrynin" record appears."""
    assert Ingest([corpus / "frus" / "tei" / "frus1961-63v05.xml"], jobs=1).run().errors == []
    before = set(m.Authority.objects.filter(kind="person").values_list("key", flat=True))
    paths = [_frus_text(corpus, tmp_path, "frus1961-63v05", number) for number in ("d4", "d10")]
    report = Ingest(paths, jobs=2).run()
    assert report.errors == [] and report.created == 2
    for path, number in zip(paths, ("d4", "d10")):
        found, gold = set(_people(path.stem)), set(_people(f"frus1961-63v05-{number}"))  # the TEI's links
        assert len(gold) >= 3 and len(found & gold) >= 0.7 * len(gold), (path.stem, found, gold)
    after = set(m.Authority.objects.filter(kind="person").values_list("key", flat=True))
    assert not {key for key in after - before if key.split("-")[0] in {"kennedy", "dobrynin", "khrushchev", "rusk"}}
    assert not m.Authority.objects.filter(name__contains="\n").exists()


def test_fonds_enrich_relinks_stored_documents_and_keeps_curated_values(corpus, tmp_path, clean_catalog):
    """A plain text ingested before the volume that lists its people; `fonds enrich` links it to
    the volume's records once they are there, and a curator's title survives."""
    from fonds.archive import changes, roles
    from fonds.curation import parse

    path = _frus_text(corpus, tmp_path, "frus1955-57v20", "d1")
    assert Ingest([path], jobs=1).run().errors == []
    editor = roles.create_user("editor", "a long enough passphrase", roles.EDITOR)
    changes.edit(editor, path.stem, {"title": parse("title", "A curated title")}, changes.Road.ADMIN)
    assert Ingest([corpus / "frus" / "tei" / "frus1955-57v20.xml"], jobs=1).run().errors == []
    listed = {a.key for a in m.Authority.objects.filter(kind="person")}
    logged = m.Change.objects.count()
    report = changes.enrich(editor, [path.stem])
    assert report.errors == [] and report.documents == 1
    found, gold = set(_people(path.stem)), set(_people("frus1955-57v20-d1"))
    assert found <= listed and len(found & gold) >= 0.8 * len(gold), (found, gold)
    assert m.Document.objects.get(id=path.stem).title == "A curated title"
    assert m.Change.objects.count() == logged + report.updated  # search follows through the change log
    assert changes.enrich(editor, [path.stem]).updated == 0  # a second run changes nothing


def test_fonds_enrich_command(cli, corpus, tmp_path):
    path = _frus_text(corpus, tmp_path, "frus1955-57v20", "d1")
    cli("ingest", str(path), check=True, env={"FONDS_INGEST_STATUS": "published"})  # a QUERY finds public documents
    assert cli("enrich").returncode == 2  # neither QUERY nor --all
    done = cli("enrich", "disarmament", check=True)
    assert "1 documents enriched again" in done.stdout
    assert "enriched again" in cli("enrich", "--all", check=True).stdout


def test_a_stored_person_keeps_the_dates_that_say_whom_an_early_text_names(corpus, clean_catalog):
    """Once the archive holds Stalin (from a 1927 letter), a 1918 telegram signed "Ленин / Сталин"
    (v04-030) still links him: the lists name him only from 1969, and it is his birth year, stored
    with the archive's copy, that places a bare "Сталин" of 1918 in his lifetime. Without the dates
    the archive's copy was out of its time and a second, bare "Сталин" record was made."""
    from fonds.catalog.store import authority_snapshot

    texts = corpus / "russian" / "texts"
    assert Ingest([texts / "v09-048.txt"], jobs=1).run().errors == []
    (stalin,) = [a for a in authority_snapshot() if a.id == "stalin-joseph-vissarionovich"]
    assert stalin.dates == "1878/1953"
    assert Ingest([texts / "v04-030.txt"], jobs=1).run().errors == []
    assert "stalin-joseph-vissarionovich" in _people("v04-030")
    assert not m.Authority.objects.filter(kind="person", key__startswith="stalin").exclude(
        key="stalin-joseph-vissarionovich").exists()


# ---- search across scripts and Russian cases ------------------------------------------------


@pytest.fixture
def russian(corpus, tmp_path, clean_catalog, monkeypatch):
    """Five real Russian texts ingested and indexed (their people linked to the packaged seed)."""
    texts = [corpus / "russian" / "texts" / f"{name}.txt" for name in RUSSIAN]
    assert Ingest(texts, jobs=1, status="published").run().errors == []
    root = tmp_path / "index"
    indexer.catch_up(root)
    engine = Search(root, texts=indexer.catalog_texts)
    return lambda query, **kw: {hit.id for hit in engine.search(SearchRequest(query=query, page_size=100, **kw)).hits}


def test_russian_stemming_finds_case_forms(russian):
    """Ленина (v09-048, v13-054), Ленину and Ленине (v11-010): Ленин finds them all, in either mode."""
    lenin = {"v09-048", "v13-054", "v11-010"}
    assert russian("Ленин") >= lenin and russian("Ленин", exact_script=True) >= lenin
    assert russian("Ленину") >= lenin
    assert "v15-041" in russian("Гитлер") and "v15-069" in russian("Черчилль", exact_script=True)


def test_latin_queries_reach_russian_texts(russian):
    """Lenin folds to Ленин's transliteration; Hitler and Churchill do not (Гитлер, Черчилль): they
    reach the texts through the authorities' variants. The exact-script switch turns both off."""
    assert russian("Lenin") >= {"v09-048", "v13-054", "v11-010"}
    assert "v15-041" in russian("Hitler") and "v15-069" in russian("Churchill")
    assert "v15-069" in russian("person:Churchill")
    assert "v15-041" not in russian("Hitler", exact_script=True) and not russian("Lenin", exact_script=True)


def test_name_groups_pair_scripts(russian):
    groups = [set(group) for group in indexer.name_groups()]
    assert {"Hitler", "Гитлер"} <= next(g for g in groups if "Hitler" in g)


def test_older_index_generations_keep_their_analysis():
    """An index built before Russian stemming is searched with its own analyzers until reindexed."""
    assert analyzers(1)["fonds_exact"].analyze("Ленина Черчилля") == ["ленина", "черчилля"]
    assert analyzers(2)["fonds_exact"].analyze("Ленина Черчилля") == ["ленин", "черчилл"]
    assert analyzers(2)["fonds_exact"].analyze("Churchill's statements") == analyzers(1)["fonds_exact"].analyze(
        "Churchill's statements")


def test_export_has_no_authority_name_with_a_line_break(cli, corpus):
    cli("ingest", str(corpus / "seed"), str(corpus / "russian" / "texts"), check=True)
    exported = cli("export", check=True).stdout.splitlines()
    names = [json.loads(line)["authority"]["name"] for line in exported if line.startswith('{"authority"')]
    assert names and not [name for name in names if "\n" in name or name != name.strip()]


def test_a_new_authority_another_writer_stored_meanwhile_is_taken_as_it_is():
    """`store._create_authority` writes a new row in one statement, and takes the row another writer
    stored meanwhile under the same kind and key (a worker's job beside a `fonds ingest`) instead
    of failing, with the transaction still usable."""
    from django.db import transaction

    from fonds import records as r
    from fonds.catalog.store import _create_authority

    with transaction.atomic():
        made = _create_authority(r.Authority(id="new-person", kind="person", name="Person, New",
                                             external_ids={"viaf": "1"}, dates="1900-1970"), "Person, New")
        stored = m.Authority.objects.get(kind="person", key="new-person")
        assert (made.pk, made.name, made.external_ids, made.dates) == (stored.pk, "Person, New", {"viaf": "1"},
                                                                        "1900-1970")
        made.description = "Saved again through the ORM."
        made.save()  # an UPDATE of the same row, not a second INSERT
        earlier = m.Authority.objects.create(kind="person", key="raced", name="Raced, First")
        taken = _create_authority(r.Authority(id="raced", kind="person", name="Raced, Second"), "Raced, Second")
        assert (taken.pk, taken.name) == (earlier.pk, "Raced, First")
        assert m.Authority.objects.filter(key__in=["new-person", "raced"]).count() == 2
        assert m.Authority.objects.get(key="new-person").description == "Saved again through the ORM."
