"""Quality of what `fonds ingest` makes of the real sets of ../shared/corpus, against their own metadata
(hand-run, not a test; the tables of docs/quality.md, "Real-world sets").

For each set, two ingests through the real command line into fresh archive homes (SQLite):
- as delivered: the set's folder (a metadata sheet beside its texts: what an archive receives);
- texts alone: only the texts, so that every value is the readers' and enrichers' own, and the
  set's metadata is the gold.
Each record is matched to its metadata row by its file and compared:
- dates: the year, and (NARA) the exact day where the sheet gives one;
- type: the controlled type the set's own label means (the tables below, written for this bench);
- languages: the detected language of the text layer, and the record's languages (the original's);
- from/to: authors and recipients against the set's author and recipient columns (names compared
  lowercased, punctuation and word order ignored);
- classification: the sets have no marking column, so only how many records got one is reported.

Figures are given for the part of each set used while developing and for a part held out of it:
russian volumes 13-16, delegates volumes 21-25, and NARA's rows released on 05/11/2023.

    .venv/bin/python bench/corpus_quality.py                      # every set, tables on stdout
    .venv/bin/python bench/corpus_quality.py russian delegates    # some sets
    .venv/bin/python bench/corpus_quality.py --corpus DIR --jobs 2
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from fonds.enrich.dates import from_field

REPO = Path(__file__).resolve().parents[1]
FONDS = REPO / ".venv" / "bin" / "fonds"
NARA_SHEET = "national-archives-jfk-assassination-records-2023-release.csv"

# What each set's own type label means on fonds' controlled list (the gold, written for this bench).
RUSSIAN_TYPES = {"Статья": "Article", "Доклад": "Report", "Письмо": "Letter", "Выступление": "Speech",
                 "Беседа": "Memorandum of Conversation", "Приказ": "Order", "Телеграмма": "Telegram",
                 "Брошюра": "Pamphlet", "Прокламация": "Proclamation", "Комментарий": "Commentary",
                 "Постановление": "Decision", "Резолюция": "Decision", "Записка": "Note"}
# NARA From/To cells that name no one (the bench's own list, read off the sheet).
NARA_NO_ONE = {"THE RECORD", "FOR THE RECORD", "MFR", "MEMO FOR THE RECORD", "MEMO FOR THE RECORD.",
               "MEMORANDUM FOR THE RECORD", "RECORD", "FILE", "FILES", "THE FILES", "NONE", "N/A", "ILLEGIBLE",
               "MEMORANDUM", "MEMORANDUM OF CONTACT", "REPORT", "MULTIPLE ADDRESSEES", "MULTI ADDRESSES",
               "MULTIPLE ADSES", "MULTIPLE ADDEES", "BOOK MESSAGE", "BOOK CABLE", "BOOK MESSAGE (MULTIPLE ADDEES)",
               "BOOK CABLE (MULTIPLE ADDEES)", "PRIORITY BOOK CABLE", "FIELD DISTRIBUTION", "UNKNOWN"}
NARA_TYPES = {"NOTES": "Note", "DRAFT BRIEFING NOTES": "Note", "MEMORANDUM": "Memorandum",
              "MEMORANDUM FOR THE RECORD": "Memorandum", "REPORT": "Report", "OUTSIDE CONTACT REPORT": "Report",
              "TRANSCRIPT": "Minutes", "LETTER": "Letter"}


def held_out(set_name: str, row: dict) -> bool:
    if set_name == "russian":
        return int(row["volume"]) >= 13
    if set_name == "delegates":
        return int(row["volume"]) >= 21
    return row["NARA Release Date"] == "05/11/2023"


# ---------------------------------------------------------------- running fonds


def ingest(paths: list[Path], jobs: int) -> tuple[dict[str, dict], list[str], float]:
    """Ingest into a fresh home; returns (records by file, stderr lines, seconds)."""
    with tempfile.TemporaryDirectory(prefix="fonds-quality-") as home:
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "FONDS_DATABASE_URL")}
        env["FONDS_HOME"] = home
        start = time.perf_counter()
        result = subprocess.run([str(FONDS), "ingest", "--jobs", str(jobs), *map(str, paths)], env=env,
                                capture_output=True, text=True)
        seconds = time.perf_counter() - start
        export = Path(home) / "export.jsonl"
        subprocess.run([str(FONDS), "export", "-o", str(export)], env=env, check=True, capture_output=True)
        records = [json.loads(line) for line in export.read_text(encoding="utf-8").splitlines()]
    documents = [record for record in records if "authority" not in record]
    stderr = [line for line in result.stderr.splitlines() if line.startswith(("error:", "warning:", "note:"))]
    return documents, stderr, seconds


def by_file(documents: list[dict]) -> dict[str, dict]:
    """Records by the text file they came from (a sheet's row: source.parts.file)."""
    found = {}
    for record in documents:
        parts = (record.get("source") or {}).get("parts") or {}
        name = parts.get("file") or (record.get("provenance") or {}).get("file") or ""
        found[name] = record
    return found


# ---------------------------------------------------------------- comparing


def _name(text: str) -> str:
    return " ".join(sorted(re.sub(r"[^\w ]+", " ", text.lower()).split()))


class Tally:
    """Counts of right / out-of (per measure, per part of the set)."""

    def __init__(self):
        self.right: Counter = Counter()
        self.total: Counter = Counter()

    def add(self, measure: str, right: bool) -> None:
        self.total[measure] += 1
        self.right[measure] += bool(right)

    def cell(self, measure: str) -> str:
        total = self.total[measure]
        return f"{100 * self.right[measure] / total:.1f}% ({self.right[measure]:,} / {total:,})" if total else "–"


def compare_russian(record: dict | None, row: dict, tally: Tally) -> None:
    tally.add("stored", record is not None)
    if record is None:
        return
    date = record.get("date")
    tally.add("date: found", bool(date))
    if date:
        tally.add("date: year right, of those found", date["min"][:4] == row["year"] == date["max"][:4])
    tally.add("date: given to the day", bool(date) and date["min"] == date["max"])
    tally.add("type", record.get("type") == RUSSIAN_TYPES.get(row["type"]))
    texts = record.get("texts") or []
    tally.add("language of the text (ru)", bool(texts) and texts[0].get("language") == "ru")
    expected = [] if row["translation"] == "1" else ["ru"]
    tally.add("record languages (ru; none for translations)", record.get("languages") == expected)
    tally.add("given a classification marking", bool(record.get("classification")))


def compare_delegates(record: dict | None, row: dict, tally: Tally) -> None:
    tally.add("stored", record is not None)
    if record is None:
        return
    date = record.get("date")
    tally.add("date: found", bool(date))
    if date:
        tally.add("date: year right, of those found", date["min"][:4] == row["year"])
    tally.add("date: given to the day (or days)", bool(date) and len(date["edtf"]) >= 10)
    tally.add("type (Letter)", record.get("type") == "Letter")
    texts = record.get("texts") or []
    tally.add("language of the text (en)", bool(texts) and texts[0].get("language") == "en")
    tally.add("record languages (en)", record.get("languages") == ["en"])
    for column, role in (("author", "authors"), ("recipient", "recipients")):
        if row[column] != "Unknown":  # 22 rows name no one
            names = {_name(link["name"]) for link in record.get(role) or []}
            tally.add(f"{'from' if role == 'authors' else 'to'}: the {column}", _name(row[column]) in names)
    tally.add("given a classification marking", bool(record.get("classification")))


def compare_nara(record: dict | None, row: dict, tally: Tally) -> None:
    tally.add("stored", record is not None)
    if record is None:
        return
    date = record.get("date")
    try:
        gold = from_field(row["Doc Date"]).value
    except ValueError:
        gold = None
    if gold is not None:
        tally.add("date: found (rows with a year)", bool(date))
        if date:
            tally.add("date: year right, of those found", date["min"][:4] == gold.min[:4])
        if gold.min == gold.max and row["Doc Date"][:5] != "01/01":
            tally.add("date: exact day (rows with a day)", bool(date) and date["edtf"] == gold.edtf)
    else:
        tally.add("date: none where the sheet has none", not date)
    expected = NARA_TYPES.get(row["Doc Type"].strip())
    if expected:
        tally.add("type (rows naming one)", record.get("type") == expected)
    tally.add("given a type", bool(record.get("type")))
    texts = record.get("texts") or []
    tally.add("language of the text detected as English", bool(texts) and texts[0].get("language") == "en")
    tally.add("given a classification marking", bool(record.get("classification")))
    declassification = record.get("declassification") or {}
    tally.add("release status kept", bool(declassification.get("status")) or not row["Formerly Withheld"])
    for column, role in (("From Name", "authors"), ("To Name", "recipients")):
        value = row[column].strip()
        if value and value not in NARA_NO_ONE:
            linked = [link["name"] for link in record.get(role) or []]
            withheld = [item["marker"] for item in declassification.get("withheld") or []]
            kept = bool(linked) or any(value in marker for marker in withheld)
            tally.add(f"{'from' if role == 'authors' else 'to'}: linked (or withheld) where the sheet names someone", kept)


SETS = {
    "russian": ("metadata.csv", "texts", compare_russian, lambda row: row["file"]),
    "delegates": ("metadata.csv", "texts", compare_delegates, lambda row: row["file"]),
    "nara-jfk-2023": (NARA_SHEET, "files", compare_nara, lambda row: row["File Name"]),
}


def measure(corpus: Path, set_name: str, jobs: int) -> str:
    sheet, texts, compare, file_of = SETS[set_name]
    folder = corpus / set_name
    rows = list(csv.DictReader(open(folder / sheet, encoding="utf-8", newline="")))
    delivered, delivered_log, delivered_time = ingest([folder], jobs)
    alone, alone_log, alone_time = ingest([folder / texts], jobs)
    delivered_files, alone_files = by_file(delivered), by_file(alone)
    tallies = {key: Tally() for key in ("delivered-dev", "delivered-held", "alone-dev", "alone-held")}
    for row in rows:
        part = "held" if held_out(set_name, row) else "dev"
        name = file_of(row)
        compare(delivered_files.get(name), row, tallies[f"delivered-{part}"])
        text_name = str(folder / texts / (name[len(texts) + 1:] if name.startswith(texts + "/") else
                                          str(Path(name).with_suffix(".txt"))))
        compare(alone_files.get(text_name), row, tallies[f"alone-{part}"])
    refused = [line for line in delivered_log if line.startswith("error:")]
    measures = list(dict.fromkeys(m for tally in tallies.values() for m in tally.total))
    lines = [f"### {set_name}", "",
             f"{len(rows):,} rows in `{sheet}`. As delivered (`fonds ingest ../shared/corpus/{set_name}`): "
             f"{len(delivered):,} documents stored, {len(refused):,} rows or files refused, "
             f"{sum(1 for line in delivered_log if line.startswith('warning:'))} warnings, {delivered_time:.0f} s. "
             f"Texts alone (`fonds ingest ../shared/corpus/{set_name}/{texts}`): {len(alone):,} documents, "
             f"{sum(1 for line in alone_log if line.startswith('error:'))} refused, {alone_time:.0f} s.", "",
             "| measure | as delivered: developed on | as delivered: held out | texts alone: developed on | "
             "texts alone: held out |", "|---|---:|---:|---:|---:|"]
    for name in measures:
        lines.append(f"| {name} | " + " | ".join(tallies[key].cell(name) for key in tallies) + " |")
    if refused:
        reasons = Counter(re.sub(r"'[^']*'", "'…'", line.split(": ", 2)[-1]).split(" (nor")[0] for line in refused)
        lines += ["", "Refused: " + "; ".join(f"{count} × {reason}" for reason, count in reasons.most_common(5))]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sets", nargs="*", help=f"some of {', '.join(SETS)} (default: all)")
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    parser.add_argument("--jobs", type=int, default=0, help="reader processes for fonds ingest (default: all cores)")
    args = parser.parse_args()
    print(f"Measured {time.strftime('%Y-%m-%d')} on {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, fonds ingest into fresh SQLite homes.\n")
    unknown = [name for name in args.sets if name not in SETS]
    if unknown:
        parser.error(f"unknown sets {unknown}; choose from {', '.join(SETS)}")
    for set_name in args.sets or list(SETS):
        print(measure(args.corpus, set_name, args.jobs))
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
