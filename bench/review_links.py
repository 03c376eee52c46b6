"""A sample of a home's published person links, with their context, for review by hand (not a test).

Draws `--sample` links at random (fixed `--seed`) from the person links an enricher or a reader
made in the documents read from `--format` (the reader's name: metadata-sheet, text...), keeping only the published ones (confidence
at least `--threshold`, the `link_threshold` default), and prints each as a row of a Markdown table:
the document, the authority linked, the words that were read as the name and the text around them.
The reviewer adds a verdict to each row: a person named in full or by surname (right), or junk (a
word, a place, an organization, a heading or OCR debris read as a person). docs/quality.md gives
the verdicts of the NARA release this way.

    .venv/bin/python bench/review_links.py HOME/catalog.sqlite3 --format metadata-sheet --sample 200 --seed 1
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sqlite3
import zlib

_SPAN = re.compile(r"^texts\[(\d+)\]:(\d+)-(\d+)$")


def _body(connection: sqlite3.Connection, document: str, position: int) -> str:
    row = connection.execute("SELECT body FROM catalog_textlayer WHERE document_id = ? AND position = ?",
                             (document, position)).fetchone()
    if row is None:
        return ""
    body = row[0]
    if isinstance(body, str):
        return body
    try:
        return zlib.decompress(body).decode("utf-8")
    except zlib.error:
        return bytes(body).decode("utf-8", errors="replace")


def _context(connection: sqlite3.Connection, document: str, source: str, width: int = 70) -> str:
    match = _SPAN.match(source)
    if not match:
        return f"({source})"  # a reader's field: the sheet's From/To column
    body = _body(connection, document, int(match.group(1)))
    start, end = int(match.group(2)), int(match.group(3))
    text = f"{body[max(0, start - width):start]}**{body[start:end]}**{body[end:end + width]}"
    return " ".join(text.split()).replace("|", "/")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("catalog", help="the home's catalog.sqlite3")
    parser.add_argument("--format", default="metadata-sheet", help="only documents read from this format")
    parser.add_argument("--sample", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threshold", type=float, default=0.7)
    args = parser.parse_args()
    connection = sqlite3.connect(f"file:{args.catalog}?mode=ro", uri=True)
    rows = connection.execute(
        "SELECT f.document_id, f.value, f.source, f.evidence, f.confidence, f.enricher FROM catalog_finding f "
        "JOIN catalog_document d ON d.id = f.document_id WHERE f.field IN ('people', 'authors', 'recipients') "
        "AND f.value IS NOT NULL AND f.confidence >= ? AND d.provenance_format = ? ORDER BY f.id",
        (args.threshold, args.format)).fetchall()
    persons = {row[0] for row in connection.execute("SELECT key FROM catalog_authority WHERE kind = 'person'")}
    rows = [row for row in rows if json.loads(row[1]).get("id") in persons]
    drawn = random.Random(args.seed).sample(rows, min(args.sample, len(rows)))
    print(f"{len(drawn)} of {len(rows)} published person links (confidence >= {args.threshold}) "
          f"in documents read from {args.format}, seed {args.seed}\n")
    print("| # | document | linked | confidence | enricher | context | verdict |")
    print("|---:|---|---|---:|---|---|---|")
    for number, (document, value, source, evidence, confidence, enricher) in enumerate(drawn, 1):
        name = json.loads(value).get("name", "")
        print(f"| {number} | {document} | {name} | {confidence:.2f} | {enricher} | "
              f"{_context(connection, document, source)} | |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
