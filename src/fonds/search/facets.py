"""Facet counts and the year histogram of a search: the aggregations it needs, and how each is counted.

Each facet's counts follow the query and every other facet's filter (so a selected value does not
hide its siblings), and the year histogram ignores the date range for the same reason; that makes
one aggregation per selected facet besides the main ones (`facet_jobs`).

A query that matches most of its universe (the documents the search may show under the same filters
and dates, whatever its words) is counted by its complement (`count`): the universe's counts, kept
for the index state they were made on (`Universes`), minus the counts over the universe's
documents the query does not match. Both sides return every value with its exact count, so the
difference is exact too. Counting the values of every matching document is what a search spends
its time on at a million documents; a common word found in 88% of them reads an eighth of the
values this way.
"""

from __future__ import annotations

import bisect
import threading
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import tantivy

from fonds.search.index import FACETS

FACET_SIZE = 10
MAX_FACET_SIZE = 200
# Segments keep this many candidate values per facet, so the counts shown are exact unless a
# segment holds more distinct values than this (the response then says the counts are approximate).
SEGMENT_FACET_SIZE = 65536
# The facets in two halves, each counted by its own aggregation so that the two can run on two
# cores. People alone cost as much as all the rest: archival documents name many (at 1M, for a
# word in 882k documents, 159 ms for people against 10-50 ms for each other facet).
FACET_HALVES = (("person",),
                ("type", "lang", "classification", "archive", "author", "organization", "place", "topic", "subject",
                 "withheld"))
AGGREGATORS = ThreadPoolExecutor(max_workers=4, thread_name_prefix="fonds-facets")
# Above this share of its universe a query is counted by its complement (below it, directly: the
# complement would read more values than the query itself).
COMPLEMENT_SHARE = 0.6
# What is kept of universes per index state (a total or the counts of one combination of filters,
# dates and facets recently searched).
UNIVERSES_KEPT = 64


@dataclass
class FacetJob:
    """One aggregation: a query, the facets (and maybe the year histogram) counted under it, and its
    universe (the same query without the search's words; None when the search has no words)."""

    query: tantivy.Query
    names: list[str]
    with_years: bool
    size: int
    universe: tantivy.Query | None = None
    text_query: tantivy.Query | None = None

    def spec(self, size: int | None = None) -> dict:
        """The tantivy aggregation request: the top `size` values of each facet (default: the
        job's), and the year histogram."""
        size = size or self.size
        spec = {name: {"terms": {"field": f"{name}_f", "size": size, "segment_size": max(size, SEGMENT_FACET_SIZE)}}
                for name in self.names}
        if self.with_years:
            spec["_years"] = {"histogram": {"field": "year", "interval": 1, "min_doc_count": 1}}
        return spec

    def complement(self) -> tantivy.Query:
        """The universe's documents that the search's words do not match."""
        return tantivy.Query.boolean_query([(tantivy.Occur.Must, self.universe),
                                            (tantivy.Occur.MustNot, self.text_query)])


def facet_jobs(narrowed, text_query: tantivy.Query | None, filters: dict[str, list[str]], dated: bool,
               size: int) -> list[FacetJob]:
    """The aggregations a search needs. `narrowed(text_query, filters, dated)` makes the search's
    query with some of its filters (and the date range or not); `text_query` is the compiled query
    text (None for none). Unselected facets are counted under every filter, split in two halves that
    can run at once; a selected facet is counted without its own filter, so its other values keep
    their counts. The histogram ignores the date range, so without one it rides along with the
    first half."""
    size = min(max(size, 1), MAX_FACET_SIZE)

    def job(kept: dict, names: list[str], with_years: bool, with_dates: bool) -> FacetJob:
        universe = narrowed(None, kept, with_dates) if text_query is not None else None
        return FacetJob(narrowed(text_query, kept, with_dates), names, with_years, size, universe, text_query)

    halves = [[f for f in half if f not in filters] for half in FACET_HALVES]
    jobs = [job(filters, names, not dated and i == 0, True) for i, names in enumerate(halves)]
    jobs += [job({k: v for k, v in filters.items() if k != facet}, [facet], False, True) for facet in filters]
    if dated:
        jobs.append(job(filters, [], True, False))
    return [j for j in jobs if j.names or j.with_years]


class Counts:
    """Every value of some facets (and the years) over one set of documents, with exact counts,
    each facet's values ranked by count once (ties by value, as tantivy orders them)."""

    def __init__(self, values: dict[str, dict]):
        self.values = values
        self.ranked = {name: sorted(counts.items(), key=lambda item: (-item[1], item[0]))
                       for name, counts in values.items()}

    def minus(self, result: dict, job: FacetJob) -> dict:
        """An aggregation result, as tantivy shapes it, for these documents less those counted in
        `result`: the top values by count, and every year."""
        out = {}
        for name in job.names:
            top = _top(self.ranked[name], _values(result[name]), job.size)
            out[name] = {"buckets": [{"key": value, "doc_count": count} for value, count in top],
                         "doc_count_error_upper_bound": 0}
        if job.with_years:
            left = _values(result["_years"])
            years = {year: count - left.get(year, 0) for year, count in self.values["_years"].items()}
            out["_years"] = {"buckets": [{"key": year, "doc_count": years[year]}
                                         for year in sorted(years) if years[year] > 0]}
        return out


def _top(ranked: list[tuple[str, int]], left: dict[str, int], size: int) -> list[tuple[str, int]]:
    """The `size` values with the highest counts once `left` is taken off, from values ranked by
    their whole counts. A value's count can only fall, so the walk stops at the first value whose
    whole count is below the lowest count chosen: for a query that leaves out little, after a few
    more values than `size`."""
    chosen: list[tuple[int, str]] = []  # (-count, value), best first
    for value, whole in ranked:
        if len(chosen) == size and whole < -chosen[-1][0]:
            break
        count = whole - left.get(value, 0)
        if count > 0:
            bisect.insort(chosen, (-count, value))
            del chosen[size:]
    return [(value, -count) for count, value in chosen]


def _values(result: dict) -> dict:
    return {bucket["key"]: bucket["doc_count"] for bucket in result["buckets"]}


def _every_value(result: dict) -> bool:
    return not result.get("sum_other_doc_count") and not result.get("doc_count_error_upper_bound")


class Universes:
    """What is known of the universes searched lately, for one index state: how many documents
    each holds and, once a query needed them, the counts of all its values. A change to the index
    (another state) forgets it all."""

    def __init__(self, kept: int = UNIVERSES_KEPT):
        self._kept: OrderedDict[tuple, object] = OrderedDict()
        self._state = None
        self._size = kept
        self._lock = threading.Lock()

    def total(self, state, job: FacetJob, matches: Matches) -> int:
        """How many documents the job's universe holds."""
        return self._known(state, ("total", repr(job.universe)), lambda: matches(job.universe))

    def counts(self, state, searcher: tantivy.Searcher, job: FacetJob) -> Counts | None:
        """The job's universe counted whole (None when a facet has more values than one aggregation
        returns: the complement cannot be used then)."""
        return self._known(state, ("counts", f"{job.names}{job.with_years}{job.universe!r}"),
                           lambda: _count_whole(searcher, job))

    def _known(self, state, key: tuple, work):
        with self._lock:
            if state != self._state:
                self._kept.clear()
                self._state = state
            if key in self._kept:
                self._kept.move_to_end(key)
                return self._kept[key]
        found = work()
        with self._lock:
            if state == self._state:
                self._kept[key] = found
                while len(self._kept) > self._size:
                    self._kept.popitem(last=False)
        return found


def _count_whole(searcher: tantivy.Searcher, job: FacetJob) -> Counts | None:
    result = searcher.aggregate(job.universe, job.spec(SEGMENT_FACET_SIZE))
    if not all(_every_value(result[name]) for name in job.names):
        return None
    return Counts({name: _values(part) for name, part in result.items()})


class Matches:
    """How many documents the queries of one search match, each counted once however many of its
    aggregations ask (the two halves of the facets share their query, and a search without hits
    gives it as its total)."""

    def __init__(self, searcher: tantivy.Searcher):
        self.searcher = searcher
        self._counts: dict[str, Future] = {}
        self._lock = threading.Lock()

    def __call__(self, query: tantivy.Query) -> int:
        key = repr(query)
        with self._lock:
            counted = self._counts.get(key)
            mine = counted is None
            if mine:
                counted = self._counts[key] = Future()
        if mine:
            try:  # scored as constants: only the count is wanted
                counted.set_result(self.searcher.search(tantivy.Query.const_score_query(query, 1.0), limit=1,
                                                        count=True).count)
            except Exception as error:  # the others asking must not wait for ever
                counted.set_exception(error)
        return counted.result()


def count(job: FacetJob, matches: Matches, universes: Universes | None = None, state=None) -> dict:
    """The job's aggregation result: directly, or by its complement when the query matches more
    than COMPLEMENT_SHARE of its universe and the universe's counts are known or can be made."""
    searcher = matches.searcher
    if job.universe is not None and universes is not None:
        if matches(job.query) > COMPLEMENT_SHARE * universes.total(state, job, matches):
            whole = universes.counts(state, searcher, job)
            rest = searcher.aggregate(job.complement(), job.spec(SEGMENT_FACET_SIZE)) if whole else None
            if rest and all(_every_value(rest[name]) for name in job.names):
                return whole.minus(rest, job)
    return searcher.aggregate(job.query, job.spec())


def start(jobs: list[FacetJob], matches: Matches, universes: Universes | None = None, state=None) -> list[Future]:
    """Count the jobs on worker threads: tantivy lets go of the GIL while it aggregates, so the
    counts run on other cores while the caller ranks the page and cuts the snippets."""
    return [AGGREGATORS.submit(count, job, matches, universes, state) for job in jobs]


def collect(jobs: list[FacetJob], pending: list[Future]) -> tuple[dict[str, list[dict]], list[dict], bool]:
    """Once the jobs' aggregations are done: facet counts in FACETS order, the year histogram, and
    whether any count is approximate."""
    facets, histogram, approximate = {}, [], False
    for job, future in zip(jobs, pending):
        result = future.result()
        for name in job.names:
            facets[name] = [{"value": b["key"], "count": b["doc_count"]} for b in result[name]["buckets"]]
            approximate |= bool(result[name].get("doc_count_error_upper_bound"))
        if job.with_years:
            histogram = [{"year": int(b["key"]), "count": b["doc_count"]}
                         for b in result["_years"]["buckets"] if b["doc_count"]]
    return ({name: facets[name] for name in FACETS} if jobs else {}), histogram, approximate
