"""Where each query class's time goes inside one fonds search, on a size built by run.py (by hand):

    .venv/bin/python bench/search/breakdown.py --size 1M

Runs the saved query mix warm through the full `Search.search`, with the search's own steps
wrapped in timers (the wrappers only time; the steps run unchanged): the ranked page and count
(`_hits`, tantivy plus stored fields), reading the 20 texts from the catalog, cutting the snippets,
and waiting for the facet and histogram aggregations (`facets.collect`; they run on worker threads from
the start of the search, so this is only what is left of them once the rest is done); "rest" is
parsing, compiling the query and reopening the searcher. Prints the median ms of each step per class, and the p95 of the whole.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parents[1] / "src")]

import fonds_side  # noqa: E402
from queries import CLASSES  # noqa: E402

STEPS = ("hits", "facets", "texts", "snippets", "rest")


def timed(spent: dict, step: str, action):
    """`action` wrapped so that its time adds to spent[step]."""
    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return action(*args, **kwargs)
        finally:
            spent[step] += time.perf_counter() - started
    return wrapper


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", required=True)
    parser.add_argument("--work", type=Path, default=Path("/tmp/fonds-bench"))
    parser.add_argument("--warm", type=int, default=5)
    args = parser.parse_args()
    base = args.work / args.size
    mix = json.loads((base / "results" / "queries.json").read_text())["mix"]
    from fonds.search import engine, snippets

    client = fonds_side.FondsClient(base / "fonds-home")
    spent: dict[str, float] = defaultdict(float)
    search = client.search
    search._hits = timed(spent, "hits", search._hits)
    engine.counting.collect = timed(spent, "facets", engine.counting.collect)
    search.texts = timed(spent, "texts", search.texts)
    snippets.Highlighter.snippet = timed(spent, "snippets", snippets.Highlighter.snippet)
    rows: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    warmed: dict[str, int] = defaultdict(int)
    for spec in mix:
        if warmed[spec["class"]] < args.warm:
            warmed[spec["class"]] += 1
            client.run(spec)
    for spec in mix:
        spent.clear()
        started = time.perf_counter()
        client.run(spec)
        total = time.perf_counter() - started
        spent["rest"] = total - sum(spent.values())
        for step in STEPS:
            rows[spec["class"]][step].append(spent[step] * 1000)
        rows[spec["class"]]["total"].append(total * 1000)
    print(f"Data: {args.size}; median ms per step, warm ({len(mix)} queries)\n")
    print("| class | " + " | ".join(STEPS) + " | total p50 / p95 |\n|---|" + "---:|" * (len(STEPS) + 1))
    for cls in CLASSES:
        steps = rows[cls]
        totals = sorted(steps["total"])
        p95 = totals[min(len(totals) - 1, round(0.95 * (len(totals) - 1)))]
        cells = " | ".join(f"{statistics.median(steps[s]):.1f}" for s in STEPS)
        print(f"| {cls} | {cells} | {statistics.median(totals):.1f} / {p95:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
