"""Facet counts by complement (fonds.search.facets): a query that matches most of the archive is
counted as the whole archive's counts minus those of the documents it leaves out. The counts must
be exactly those counted directly, whatever the filters, dates, hidden documents or index changes."""

from __future__ import annotations

import shutil

import pytest

from fonds.search import facets as counting
from fonds.search.engine import Search, SearchRequest
from fonds.search.index import IndexStore, IndexWriter, read_position

pytestmark = pytest.mark.django_db
COMMON = "Secretary"  # in most of the sample's documents


def answers(root, monkeypatch, request: SearchRequest, **kw):
    """The same search counted by complement where it can be and, by a second engine, directly."""
    by_complement = Search(root).search(request, **kw)
    with monkeypatch.context() as patch:
        patch.setattr(counting, "COMPLEMENT_SHARE", 2.0)  # no query matches twice its universe
        direct = Search(root).search(request, **kw)
    return by_complement, direct


def share(root, request: SearchRequest) -> float:
    engine = Search(root)
    everything = engine.search(SearchRequest(filters=request.filters, date_from=request.date_from,
                                             date_to=request.date_to, with_facets=False)).total
    return engine.search(SearchRequest(query=request.query, filters=request.filters, date_from=request.date_from,
                                       date_to=request.date_to, with_facets=False)).total / everything


@pytest.mark.parametrize("request_", [
    SearchRequest(query=COMMON, facet_size=200),
    SearchRequest(query=COMMON, facet_size=3),  # the top 3, ties at the cut as tantivy breaks them
    SearchRequest(query=f"{COMMON} OR Stassen", filters={"type": ["Telegram"]}, facet_size=50),
    SearchRequest(query="NOT Eden", date_from="1955-06-01", date_to="1956-12-31", facet_size=50),
    SearchRequest(query="Secretary OR Department", filters={"type": ["Telegram", "Memorandum"], "place": ["London"]}),
], ids=["common", "top-3", "filtered", "dated", "two-filters"])
def test_counts_by_complement_are_the_direct_counts(sample_index, monkeypatch, request_):
    assert share(sample_index, request_) > counting.COMPLEMENT_SHARE  # so the complement is what is tested
    by_complement, direct = answers(sample_index, monkeypatch, request_)
    assert by_complement.facets == direct.facets and by_complement.histogram == direct.histogram
    assert by_complement.total == direct.total and by_complement.facets["person"]


def test_the_complement_is_taken_and_its_universe_kept_only_when_it_pays(sample_index):
    engine = Search(sample_index)
    engine.search(SearchRequest(query=COMMON))
    kept = list(engine._universes._kept.values())
    assert any(isinstance(counts, counting.Counts) for counts in kept)
    # A rare word is counted directly (the complement would read more values), and the universe
    # is not counted whole for it.
    engine._universes._kept.clear()
    engine.search(SearchRequest(query="Stassen AND Dulles AND Eden"))
    assert share(sample_index, SearchRequest(query="Stassen AND Dulles AND Eden")) < counting.COMPLEMENT_SHARE
    assert not any(isinstance(counts, counting.Counts) for counts in engine._universes._kept.values())


def test_hidden_documents_stay_out_of_counts_by_complement(sample_index, monkeypatch):
    engine = Search(sample_index)
    hidden = engine.matching_ids("Stassen")[:40]
    by_complement, direct = answers(sample_index, monkeypatch, SearchRequest(query=COMMON, facet_size=200), hidden=hidden)
    assert by_complement.facets == direct.facets
    shown = Search(sample_index).search(SearchRequest(query=COMMON, facet_size=200))
    assert by_complement.total < shown.total and by_complement.facets != shown.facets


def test_an_index_change_is_counted_at_once(sample_index, tmp_path, monkeypatch):
    root = tmp_path / "index"
    shutil.copytree(sample_index, root)
    engine = Search(root)
    request = SearchRequest(query=COMMON, facet_size=200)
    before = engine.search(request)
    path = IndexStore(root).current_path()
    writer = IndexWriter(path)
    writer.delete(engine.matching_ids(f"{COMMON} AND Stassen")[:30])
    writer.commit(read_position(path) + 1)
    writer.close()
    after = engine.search(request)  # the same engine: its kept universe is of the earlier index
    by_complement, direct = answers(root, monkeypatch, request)
    assert after.total == before.total - 30
    assert after.facets == direct.facets == by_complement.facets and after.histogram == direct.histogram


def test_hits_and_counts_can_be_asked_apart(sample_index):
    engine = Search(sample_index)
    whole = engine.search(SearchRequest(query=COMMON))
    hits = engine.search(SearchRequest(query=COMMON, with_facets=False))
    counts = engine.search(SearchRequest(query=COMMON, with_hits=False))
    assert [h.id for h in hits.hits] == [h.id for h in whole.hits] and hits.facets == {} and hits.histogram == []
    assert counts.hits == [] and counts.facets == whole.facets and counts.histogram == whole.histogram
    assert hits.total == counts.total == whole.total
