"""Hand-run check of the FRUS TEI reader over a folder of volumes (not a test).

    PYTHONPATH=src .venv/bin/python bench/tei_volumes.py /tmp/frus99

Reads every *.xml in the folder, reports any volume that fails, and prints counts that should
stay stable across changes to the reader: documents, speed, dates missing / month-only / ranges,
how many documents got a classification, and how many person links were made.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

from fonds.readers import tei
from fonds.records import ReadError


def tally(counts: Counter, batch) -> None:
    """Add one volume's records to the running counts."""
    for record in batch.records:
        counts["documents"] += 1
        date = record.date
        if date is None:
            counts["no date"] += 1
        elif "/" in date.edtf:
            counts["ranges"] += 1
        elif len(date.edtf) == 7:
            counts["month-only"] += 1
        counts["classification"] += record.classification is not None
        counts["classification level"] += bool(record.classification and record.classification.level)
        counts["with type"] += record.type is not None
        counts["with source citation"] += bool(record.source and record.source.citation)
        counts["with authors"] += bool(record.authors)
        counts["with recipients"] += bool(record.recipients)
        counts["person links"] += len(record.people)
        counts["documents with persons"] += bool(record.people)
    kinds = Counter(authority.kind for authority in batch.authorities)
    for kind, number in kinds.items():
        counts[f"authorities: {kind}"] += number


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="folder holding FRUS TEI volumes (*.xml)")
    args = parser.parse_args(argv)
    paths = sorted(args.folder.glob("*.xml"))
    counts: Counter = Counter()
    failures = []
    started = time.perf_counter()
    for path in paths:
        try:
            tally(counts, tei.read(path))
        except ReadError as error:
            failures.append(str(error))
    elapsed = time.perf_counter() - started
    documents = counts["documents"] or 1

    def share(key: str) -> str:
        return f"{counts[key]} ({100 * counts[key] / documents:.1f}%)"

    print(f"volumes:               {len(paths)} ({len(failures)} failed)")
    print(f"documents:             {counts['documents']}")
    print(f"time:                  {elapsed:.1f} s, {counts['documents'] / elapsed:.0f} docs/s")
    print(f"without date:          {share('no date')}")
    print(f"month-only dates:      {counts['month-only']}")
    print(f"date ranges:           {counts['ranges']}")
    print(f"classification found:  {share('classification')}, with a level: {share('classification level')}")
    print(f"type found:            {share('with type')}")
    print(f"source citation:       {share('with source citation')}")
    print(f"authors / recipients:  {share('with authors')} / {share('with recipients')}")
    print(f"persons linked:        {counts['person links']} links, {share('documents with persons')} documents")
    for key in sorted(k for k in counts if k.startswith("authorities: ")):
        print(f"{key + ':':22} {counts[key]}")
    for failure in failures:
        print("FAILED", failure, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
