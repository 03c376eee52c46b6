"""Citation rendering, run by hand (not a test): fonds' citeproc-py against citeproc-py's own code.

fonds.cite.styles works around three slow paths of citeproc-py (a part of a style's "calls a
variable" worked out down its whole subtree for every group rendered; an item's reference looked
up in the bibliography's source for every variable; a locale term found by an XPath search each
time). The peer in the same run is citeproc-py with its own methods for those three put back;
everything else (the styles, their adaptations, the items) is the same. Both render the three
styles of the same CSL items, taken turn about in rounds, and the outputs must be the same.

    .venv/bin/python bench/citations.py tests/fixtures/corpus/frus/tei/*.xml --documents 200
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from citeproc import CitationItem  # noqa: E402
from citeproc import model as csl_model  # noqa: E402

# citeproc-py's own methods, kept before fonds.cite.styles replaces them.
OWN = {(csl_model.Parent, "calls_variable"): csl_model.Parent.calls_variable,
       (csl_model.Text, "calls_variable"): csl_model.Text.calls_variable,
       (CitationItem, "reference"): CitationItem.reference,
       (csl_model.Locale, "get_term"): csl_model.Locale.get_term}

from fonds.cite import styles  # noqa: E402
from fonds.cite.csl import to_csl  # noqa: E402
from fonds.readers import tei  # noqa: E402

FONDS = {key: getattr(key[0], key[1]) for key in OWN}


def use(methods: dict) -> None:
    for (cls, name), method in methods.items():
        setattr(cls, name, method)


def items(paths: list[Path], count: int) -> list[dict]:
    """CSL items of the first `count` documents of the TEI files, as a document page cites them."""
    found = []
    for path in paths:
        for record in tei.read(path).records:
            found.append(to_csl(record, url=f"https://archive.example/documents/{record.id}/", publisher="fonds",
                                accessed=date(2026, 12, 7)))
            if len(found) == count:
                return found
    return found


def timed(batch: list[dict]) -> tuple[float, list]:
    started = time.process_time()
    out = [[(r.bibliography_html, r.note_html) for r in styles.render_all(item)] for item in batch]
    return (time.process_time() - started) * 1000 / len(batch), out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("tei", nargs="+", type=Path)
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    batch = items(args.tei, args.documents)
    styles.render_all(batch[0])  # styles parsed and locales loaded before timing
    times = {"citeproc-py's own": [], "fonds": []}
    outputs = {}
    for _ in range(args.rounds):
        for label, methods in (("citeproc-py's own", OWN), ("fonds", FONDS)):
            use(methods)
            ms, outputs[label] = timed(batch)
            times[label].append(ms)
    use(FONDS)
    same = outputs["fonds"] == outputs["citeproc-py's own"]
    peer = statistics.median(times["citeproc-py's own"])
    print(f"Machine: {platform.machine()}, Python {platform.python_version()}; {len(batch)} documents, "
          f"3 styles each, {args.rounds} rounds taken turn about; CPU ms per document (median of rounds)\n")
    print("| rendering | ms per document | vs peer |\n|---|---:|---:|")
    for label, values in times.items():
        print(f"| {label} | {statistics.median(values):.1f} | {statistics.median(values) / peer:.2f}x |")
    print(f"\nSame output for every document: {same}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
