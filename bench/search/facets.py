"""Why facets dominate a fonds search at 1M documents (run by hand, not a test):

    .venv/bin/python bench/search/facets.py --docs 400000
    .venv/bin/python bench/search/facets.py --fonds-index /tmp/fonds-bench/1M/fonds-home/index --word state

Builds a throwaway tantivy index (under --work, default /tmp/fonds-bench/facets) whose documents
carry one person value in a single-valued fast field and six in a multi-valued one, drawn from the
same skewed distribution over 20,000 names, then times tantivy's terms aggregation over the ~54%
of documents that match a common word: the single-valued field is the peer in the same run. It
also times two aggregations from two Python threads against the same two run one after the other,
and an aggregation in a thread beside a pure-Python loop in the main thread, to show whether
tantivy's Python bindings release the GIL (let a search use both cores).

With --fonds-index it instead times each facet's aggregation on its own, and the year histogram
and the ranked page, for one word on an index run.py built (which facets cost the most).
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import threading
import time
from pathlib import Path

import tantivy

NAMES = 20_000
PER_DOC = 6
COMMON, WORDS = ["state", "washington", "department", "soviet"], [f"w{i}" for i in range(2000)]


def build(path: Path, docs: int) -> tantivy.Index:
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("body")
    builder.add_text_field("one_f", fast=True, tokenizer_name="raw")
    builder.add_text_field("many_f", fast=True, tokenizer_name="raw")
    index = tantivy.Index(builder.build(), path=str(path))
    writer = index.writer(heap_size=500_000_000, num_threads=2)
    rnd = random.Random(1)
    for _ in range(docs):
        doc = tantivy.Document()
        doc.add_text("body", " ".join(rnd.choice(COMMON) if rnd.random() < 0.2 else rnd.choice(WORDS) for _ in range(20)))
        people = [f"person-{int(rnd.paretovariate(1.2)) % NAMES}" for _ in range(PER_DOC)]
        doc.add_text("one_f", people[0])
        for person in people:
            doc.add_text("many_f", person)
        writer.add_document(doc)
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    return index


def python_loop(count: int) -> int:
    total = 0
    for i in range(count):
        total += i
    return total


def median_ms(action, runs: int = 9) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def per_facet(root: Path, word: str) -> None:
    """Median ms of each facet's aggregation alone for `word` on a fonds index."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))
    from fonds.search import query as q
    from fonds.search.engine import Compiler
    from fonds.search.facets import SEGMENT_FACET_SIZE
    from fonds.search.index import FACETS, IndexStore, open_index

    searcher = open_index(IndexStore(root).current_path()).searcher()
    query = Compiler(exact_script=False).compile(q.parse(word).node)
    print(f"{word!r} matches {searcher.search(query, 1, count=True).count:,} of {searcher.num_docs:,}; medians of 9 runs\n")
    print("| aggregation alone | ms |\n|---|---:|")
    for facet in FACETS:
        spec = {facet: {"terms": {"field": f"{facet}_f", "size": 10, "segment_size": SEGMENT_FACET_SIZE}}}
        print(f"| {facet} | {median_ms(lambda: searcher.aggregate(query, spec)):.1f} |")
    years = {"y": {"histogram": {"field": "year", "interval": 1, "min_doc_count": 1}}}
    print(f"| year histogram | {median_ms(lambda: searcher.aggregate(query, years)):.1f} |")
    print(f"| (top 20 and count) | {median_ms(lambda: searcher.search(query, 20, count=True)):.1f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=400_000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/fonds-bench/facets"))
    parser.add_argument("--fonds-index", type=Path, help="a fonds index folder: time each facet on it instead")
    parser.add_argument("--word", default="state")
    args = parser.parse_args()
    if args.fonds_index:
        per_facet(args.fonds_index, args.word)
        return
    index = build(args.work, args.docs)
    searcher = index.searcher()
    query = index.parse_query("state", ["body"])
    matches = searcher.search(query, 1, count=True).count

    def terms(field: str) -> dict:
        return {"p": {"terms": {"field": field, "size": 10, "segment_size": 65536}}}

    single = median_ms(lambda: searcher.aggregate(query, terms("one_f")))
    multi = median_ms(lambda: searcher.aggregate(query, terms("many_f")))
    ranked = median_ms(lambda: searcher.search(query, 20, count=True))

    def in_threads() -> None:
        workers = [threading.Thread(target=searcher.aggregate, args=(query, terms("many_f"))) for _ in range(2)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()

    serial = median_ms(lambda: [searcher.aggregate(query, terms("many_f")) for _ in range(2)])
    threaded = median_ms(in_threads)
    loops = max(1, int(multi * 20_000))  # a pure-Python loop about as long as one aggregation
    python = median_ms(lambda: python_loop(loops))

    def beside_python() -> None:
        worker = threading.Thread(target=searcher.aggregate, args=(query, terms("many_f")))
        worker.start()
        python_loop(loops)
        worker.join()

    together = median_ms(beside_python)
    print(f"{tantivy.__version__}; {args.docs:,} documents, "
          f"{matches:,} match; medians of 9 runs\n")
    print("| what | ms | per matching value, ns |")
    print("|---|---:|---:|")
    print(f"| top 20 by BM25 and the count | {ranked:.1f} | |")
    print(f"| terms aggregation, single-valued field (1 value per document) | {single:.1f} | {single * 1e6 / matches:.0f} |")
    print(f"| terms aggregation, multi-valued field ({PER_DOC} values per document) | {multi:.1f} | "
          f"{multi * 1e6 / (matches * PER_DOC):.0f} |")
    print(f"| two multi-valued aggregations, one after the other | {serial:.1f} | |")
    print(f"| the same two from two Python threads at once | {threaded:.1f} | |")
    print(f"| a pure-Python loop alone | {python:.1f} | |")
    print(f"| one aggregation in a thread beside that loop (GIL released: ~{max(multi, python):.0f}; "
          f"held: ~{multi + python:.0f}) | {together:.1f} | |")


if __name__ == "__main__":
    main()
