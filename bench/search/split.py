"""Hits first, counts after: the page and the facet counts of a search timed apart, at a size
built by run.py (by hand):

    .venv/bin/python bench/search/split.py --size 1M

The saved query mix of the size (queries.json; 50 queries per class), warm (the first `--warm` of
each class run untimed first, then left out of the timing):

In one process, the engine (`Search.search`), four ways taking turns query by query:
- page: the ranked page with snippets and the total, no counts (`with_facets=False`);
- counts: the total, facet counts and histogram, no hits (`with_hits=False`), by complement where
  the query matches most of its universe (fonds.search.facets);
- counts, direct (peer): the same counted directly (COMPLEMENT_SHARE set above 1);
- whole, direct (peer): hits and counts in one call, as every search was before the split.

Through HTTP (`fonds serve`, one client with keep-alive, a fresh server per pass so that no
answer is kept from another pass):
- the search page as a browser gets it: `/search` (it waits at most `counts_wait` for the counts),
  then `/search/counts` when the page names it; "page + counts" is both requests end to end;
- `/api/search?facets=0` and `/api/search?hits=0`;
- `/api/search` whole (peer).

Prints one Markdown table per way: p50 / p95 ms per class.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import statistics
import sys
import time
import urllib.parse
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent), str(HERE.parents[1] / "src")]

import fonds_side  # noqa: E402
from queries import CLASSES  # noqa: E402

COUNTS_URL = re.compile(r'data-counts-url="([^"]+)"')


def timed_mix(mix: list[dict], warm: int) -> tuple[list[dict], list[dict]]:
    """(warm-up queries, timed queries): the first `warm` of each class, and the rest."""
    seen: dict[str, int] = defaultdict(int)
    warmup, timed = [], []
    for spec in mix:
        seen[spec["class"]] += 1
        (warmup if seen[spec["class"]] <= warm else timed).append(spec)
    return warmup, timed


def engine_ways(home: Path) -> dict:
    """The engine's four ways of answering, each with a Search of its own (its own kept universes)."""
    from fonds.search import facets
    from fonds.search.engine import Search, SearchRequest

    share = facets.COMPLEMENT_SHARE

    def search():
        return Search(fonds_side.index_root(home), texts=fonds_side.CatalogTexts(fonds_side.catalog_path(home)))

    def way(engine, complement_share: float, **flags):
        def run(spec: dict) -> int:
            facets.COMPLEMENT_SHARE = complement_share
            request = SearchRequest(query=spec["fonds"], filters=spec.get("filters") or {}, page=spec.get("page", 1))
            return engine.search(replace(request, **flags)).total
        return run

    return {"page": way(search(), share, with_facets=False), "counts": way(search(), share, with_hits=False),
            "counts, direct (peer)": way(search(), 2.0, with_hits=False),
            "whole, direct (peer)": way(search(), 2.0)}


def run_engine(home: Path, mix: list[dict], warm: int) -> dict[str, dict[str, list[float]]]:
    ways = engine_ways(home)
    warmup, timed = timed_mix(mix, warm)
    for spec in warmup:
        for run in ways.values():
            run(spec)
    times: dict[str, dict[str, list[float]]] = {name: defaultdict(list) for name in ways}
    for spec in timed:
        totals = set()
        for name, run in ways.items():
            started = time.perf_counter()
            totals.add(run(spec))
            times[name][spec["class"]].append((time.perf_counter() - started) * 1000)
        assert len(totals) == 1, f"the ways disagree on the total of {spec}"
    return times


class Client:
    """One HTTP client with keep-alive."""

    def __init__(self, base: str):
        parts = urllib.parse.urlsplit(base)
        self.connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)

    def get(self, path: str) -> tuple[float, str]:
        started = time.perf_counter()
        self.connection.request("GET", path)
        reply = self.connection.getresponse()
        body = reply.read().decode("utf-8", "replace")
        if reply.status != 200:
            raise SystemExit(f"{path}: {reply.status}")
        return (time.perf_counter() - started) * 1000, body


def query_string(spec: dict, **extra: str) -> str:
    pairs = [("q", spec["fonds"])] + [(f, v) for f, values in (spec.get("filters") or {}).items() for v in values]
    if spec.get("page", 1) != 1:
        pairs.append(("page", str(spec["page"])))
    return urllib.parse.urlencode(pairs + list(extra.items()))


def browser_pass(client: Client, spec: dict, times: dict) -> None:
    page_ms, body = client.get("/search?" + query_string(spec))
    later = COUNTS_URL.search(body)
    counts_ms = client.get(later.group(1).replace("&amp;", "&"))[0] if later else 0.0
    times["/search (page)"][spec["class"]].append(page_ms)
    times["/search/counts, when the page named it"][spec["class"]].append(counts_ms if later else float("nan"))
    times["/search page + counts"][spec["class"]].append(page_ms + counts_ms)


def api_split_pass(client: Client, spec: dict, times: dict) -> None:
    times["/api/search?facets=0"][spec["class"]].append(client.get("/api/search?" + query_string(spec, facets="0"))[0])
    times["/api/search?hits=0"][spec["class"]].append(client.get("/api/search?" + query_string(spec, hits="0"))[0])


def api_whole_pass(client: Client, spec: dict, times: dict) -> None:
    times["/api/search whole (peer)"][spec["class"]].append(client.get("/api/search?" + query_string(spec))[0])


def run_http(home: Path, mix: list[dict], warm: int) -> dict[str, dict[str, list[float]]]:
    import load

    warmup, timed = timed_mix(mix, warm)
    times: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for one_pass in (browser_pass, api_split_pass, api_whole_pass):
        process, base = load.start_fonds(home, workers=1)
        try:
            client = Client(base)
            for spec in warmup:
                one_pass(client, spec, defaultdict(lambda: defaultdict(list)))
            for spec in timed:
                one_pass(client, spec, times)
        finally:
            load.stop(process)
    return times


def table(title: str, times: dict[str, dict[str, list[float]]]) -> str:
    lines = [f"{title}\n", "| way | " + " | ".join(CLASSES) + " |", "|---|" + "---:|" * len(CLASSES)]
    for name, classes in times.items():
        cells = []
        for cls in CLASSES:
            values = sorted(v for v in classes.get(cls, []) if v == v)
            if not values:
                cells.append("–")
                continue
            p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
            cells.append(f"{statistics.median(values):.1f} / {p95:.1f}" + (f" ({len(values)})" if len(values) < len(classes[cls]) else ""))
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", required=True)
    parser.add_argument("--work", type=Path, default=Path("/tmp/fonds-bench"))
    parser.add_argument("--warm", type=int, default=2, help="untimed queries per class before timing")
    parser.add_argument("--skip", choices=["engine", "http"], action="append", default=[])
    parser.add_argument("--counts-wait", help="the servers' counts_wait (default: the setting's)")
    args = parser.parse_args()
    if args.counts_wait is not None:
        os.environ["FONDS_COUNTS_WAIT"] = args.counts_wait
    base = args.work / args.size
    mix = json.loads((base / "results" / "queries.json").read_text())["mix"]
    home = base / "fonds-home"
    wait = os.environ.get("FONDS_COUNTS_WAIT", "default")
    print(f"Data: {args.size}; p50 / p95 ms per class; counts_wait {wait}; load {os.getloadavg()[0]:.1f}\n", flush=True)
    if "engine" not in args.skip:
        print(table("In process (Search.search):", run_engine(home, mix, args.warm)) + "\n", flush=True)
    if "http" not in args.skip:
        print(table("Through HTTP (fonds serve, 1 client):", run_http(home, mix, args.warm)), flush=True)
    print(f"\nload at the end {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
