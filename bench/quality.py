"""Quality of the enrichers on FRUS plain text, with the TEI markup as gold (hand-run, not a test).

For each document of the chosen volumes: strip the TEI markup (head, dateline, source note and
body as plain text, no footnotes), run the enrichers on a bare record holding only that text, and
compare with what the TEI reader takes from the markup:
- date: the enricher's EDTF against the dateline's `<date>` (a time of day is ignored);
- classification: the level of the marking against the source note's (or opener's) marking;
- people: found persons against the `persName/@corresp` links of that same text, matched by the
  linked authority (the enricher is given the volume's List of Persons as known authorities).

    .venv/bin/python bench/quality.py                       # the default evaluation volumes
    .venv/bin/python bench/quality.py --tune                # the two tuning volumes
    .venv/bin/python bench/quality.py /tmp/frus99/frusX.xml # any volumes

Unpack the 99 volumes first if /tmp/frus99 is missing:
    mkdir -p /tmp/frus99 && tar -xJf ../shared/corpus/frus/frus-tei-99vols.tar.xz -C /tmp/frus99
"""

from __future__ import annotations

import argparse
import platform
import re
import sys
import time
from collections import Counter
from pathlib import Path

from fonds.enrich import pipeline
from fonds.readers import tei
from fonds.records import Batch, Record, Text

REPO = Path(__file__).resolve().parents[1]
TUNING = [REPO.parent / "shared/corpus/frus/tei/frus1955-57v20.xml", REPO.parent / "shared/corpus/frus/tei/frus1961-63v05.xml"]
FRUS99 = Path("/tmp/frus99")
# Not used for tuning; chosen to span 1917-1976 and several kinds of volume.
EVALUATION = ["frus1948v01p2", "frus1949v07p1", "frus1952-54v02p1", "frus1955-57v24", "frus1958-60v10p2",
              "frus1961-63v15", "frus1964-68v14", "frus1969-76v12", "frus1977-80v21"]
_T = tei._T


def plain_text(document) -> tuple[str, str]:
    """(head, text) of one document without markup: datelines, the source note, then the body."""
    head = document.find(_T + "head")
    title = tei._string_without_notes(head) if head is not None else ""
    datelines = [tei._string(d) for d in tei._own(document, "dateline")]
    note = tei._source_note(document, head)
    source = tei._string(note) if note is not None else ""
    if source and not source.lower().startswith("source"):
        source = "Source: " + source  # old volumes' inline notes ("711.00/1-248: Telegram")
    body = tei.body_text(document, head)
    for dateline in datelines:  # the body carries the dateline too; keep it once, on top
        body = body.replace(dateline, "", 1)
    return title, "\n".join(part for part in [*datelines, source, body.strip()] if part)


def gold_people(document, head, by_id, note) -> set[str]:
    """Authorities linked by persName in the text we hand over (footnotes other than the source note excluded)."""
    found = set()
    for element in document.iter(_T + "persName"):
        parent, excluded = element.getparent(), False
        while parent is not None and parent is not document:
            if parent.tag == _T + "note" and parent is not note:
                excluded = True
            parent = parent.getparent()
        authority = tei._resolve(element, by_id)
        if authority is not None and not excluded:
            found.add(authority.id)
    return found


def day(edtf: str | None) -> str | None:
    """An EDTF value without its time of day ("1961-01-03T19:00:00+03:00" -> "1961-01-03")."""
    if not edtf:
        return None
    low, _, high = re.sub(r"T[^/]*", "", edtf).partition("/")
    return low if not high or high == low else f"{low}/{high}"  # "X/X" is the day X


def evaluate(paths: list[Path]) -> dict:
    stats = Counter()
    errors = {"date": Counter(), "classification": Counter(), "people_fp": Counter(), "people_fn": Counter()}
    examples: dict[str, list[str]] = {}
    elapsed = 0.0
    for path in paths:
        root = tei._parse(path)
        by_id, listed = tei.persons(root)
        volume = tei._volume_id(root, path)
        names = tei._Names(listed, tei._volume_title(root))
        rows = []
        for document in tei.documents(root):
            gold = tei._record(document, volume, path, by_id, names)
            head = document.find(_T + "head")
            title, text = plain_text(document)
            bare = Record(id=gold.id, title=title or "Untitled", texts=[Text(kind="original", language="en", body=text)])
            truth = gold_people(document, head, by_id, tei._source_note(document, head))
            rows.append((gold, bare, truth))
        # One volume is one batch, as in ingest: the known authorities are indexed once per batch.
        started = time.perf_counter()
        pipeline.enrich(Batch(records=[bare for _, bare, _ in rows]), known=listed)
        elapsed += time.perf_counter() - started
        for gold, bare, truth in rows:
            stats["documents"] += 1
            _score_date(gold, bare, stats, errors, examples)
            _score_classification(gold, bare, stats, errors, examples)
            _score_people(truth, bare, {a.id for a in listed}, stats, errors)
    return {"stats": stats, "errors": errors, "examples": examples, "seconds": elapsed}


def _example(examples, kind, line):
    if len(examples.setdefault(kind, [])) < 6:
        examples[kind].append(line)


def _score_date(gold, found, stats, errors, examples):
    want, got = day(gold.date.edtf) if gold.date else None, day(found.date.edtf) if found.date else None
    if want:
        stats["date_gold"] += 1
        if got == want:
            stats["date_exact"] += 1
        else:
            kind = "missed" if got is None else "wrong"
            errors["date"][kind] += 1
            _example(examples, f"date {kind}", f"{gold.id}: gold {want} found {got} | {found.title[:80]}")
    elif got:
        errors["date"]["spurious (gold has none)"] += 1
        _example(examples, "date spurious", f"{gold.id}: found {got} | {found.title[:80]}")
    else:
        stats["date_none_agree"] += 1


def _score_classification(gold, found, stats, errors, examples):
    want = gold.classification.level if gold.classification else None
    got = found.classification.level if found.classification else None
    stats["class_docs"] += 1
    if want == got:
        stats["class_correct"] += 1
        if gold.classification and found.classification and gold.classification.marking == found.classification.marking:
            stats["marking_exact"] += 1
    else:
        kind = "missed" if got is None else "spurious" if want is None else "wrong level"
        errors["classification"][kind] += 1
        errors["classification"][f"{kind} in {gold.id.rsplit('-', 1)[0]}"] += 1
        _example(examples, f"classification {kind}", f"{gold.id}: gold {want} found {got} "
                 f"({found.classification.marking if found.classification else ''})")
    if gold.classification:
        stats["class_gold"] += 1


def _score_people(truth: set[str], found: Record, listed: set[str], stats, errors):
    linked = {link.id for link in found.people if link.id in listed}
    stats["people_new"] += sum(1 for link in found.people if link.id not in listed)
    stats["people_tp"] += len(linked & truth)
    stats["people_fp"] += len(linked - truth)
    stats["people_fn"] += len(truth - linked)
    for person in linked - truth:
        errors["people_fp"][person] += 1
    for person in truth - linked:
        errors["people_fn"][person] += 1


def report(result: dict, paths: list[Path]) -> None:
    s = result["stats"]
    p = s["people_tp"] / max(1, s["people_tp"] + s["people_fp"])
    r = s["people_tp"] / max(1, s["people_tp"] + s["people_fn"])
    f1 = 2 * p * r / max(1e-9, p + r)
    print(f"machine: {platform.machine()} {platform.processor() or ''} Python {platform.python_version()}")
    print(f"volumes: {', '.join(path.stem for path in paths)}")
    print(f"documents: {s['documents']}")
    print(f"date exact (docs with a gold date): {s['date_exact']}/{s['date_gold']} = {s['date_exact'] / max(1, s['date_gold']):.3f}")
    print(f"date errors: {dict(result['errors']['date'])}; agreed no date: {s['date_none_agree']}")
    print(f"classification level accuracy (all docs, none=none counts): {s['class_correct']}/{s['class_docs']} = "
          f"{s['class_correct'] / max(1, s['class_docs']):.3f}; marking exactly as gold: {s['marking_exact']}/{s['class_gold']}")
    print(f"classification errors: {dict(result['errors']['classification'])}")
    print(f"people: P {p:.3f} R {r:.3f} F1 {f1:.3f} (tp {s['people_tp']}, fp {s['people_fp']}, fn {s['people_fn']}); "
          f"new authorities made for unlisted names: {s['people_new']}")
    print(f"most frequent false positives: {result['errors']['people_fp'].most_common(8)}")
    print(f"most frequent misses: {result['errors']['people_fn'].most_common(8)}")
    print(f"throughput: {s['documents'] / result['seconds']:.0f} docs/s ({result['seconds']:.1f} s enriching, one process)")
    for kind, lines in result["examples"].items():
        print(f"-- {kind}")
        for line in lines:
            print("   ", line)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("volumes", nargs="*", type=Path)
    parser.add_argument("--tune", action="store_true", help="evaluate on the two tuning volumes")
    args = parser.parse_args(argv)
    paths = args.volumes or (TUNING if args.tune else [FRUS99 / f"{name}.xml" for name in EVALUATION])
    missing = [str(path) for path in paths if not path.exists()]
    if missing:
        print(f"missing volumes: {missing} (see the docstring for unpacking the archive)", file=sys.stderr)
        return 1
    report(evaluate(paths), paths)
    return 0


if __name__ == "__main__":
    sys.exit(main())
