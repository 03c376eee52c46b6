"""Where a fonds search spends its time, on a size already built by run.py (run by hand):

    .venv/bin/python bench/search/breakdown.py --size 100k

Times the same query mix three ways, warm, one after the other in one process (the memoising
variant last, since it patches the highlighter module): the full search as run.py measures it;
the search with no snippet texts (texts callable returning nothing: tantivy query, count, facets,
histogram and stored fields only); and the full search with `fold_word` memoised for the
highlighter (a what-if for the snippet cost; fonds' own code is not changed). Prints p50/p95 per
class for each.
"""

from __future__ import annotations

import argparse
import functools
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parents[1] / "src")]

import fonds_side  # noqa: E402
import measure  # noqa: E402
from queries import CLASSES  # noqa: E402


def variants(home: Path) -> dict:
    """The three clients, built lazily in order (the memoising one patches the highlighter)."""
    def full():
        return fonds_side.FondsClient(home)

    def no_snippets():
        client = fonds_side.FondsClient(home)
        client.search.texts = lambda ids: {}
        return client

    def memo_highlighter():
        from fonds.search import snippets

        snippets.fold_word = functools.lru_cache(maxsize=1_000_000)(snippets.fold_word)
        return fonds_side.FondsClient(home)

    return {"full search": full, "no snippet texts": no_snippets, "fold_word memoised in snippets": memo_highlighter}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", required=True)
    parser.add_argument("--work", type=Path, default=Path("/tmp/fonds-bench"))
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    base = args.work / args.size
    mix = json.loads((base / "results" / "queries.json").read_text())["mix"]
    rows = {}
    for name, make in variants(base / "fonds-home").items():
        rows[name] = measure.latencies({name: make()}, mix, args.rounds)[name]["classes"]
    print(f"Data: {args.size}; p50 / p95 ms per class, warm\n")
    print("| class | " + " | ".join(rows) + " |\n|---|" + "---:|" * len(rows))
    for cls in CLASSES:
        print(f"| {cls} | " + " | ".join(f"{r[cls]['p50']:.1f} / {r[cls]['p95']:.1f}" for r in rows.values()) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
